//go:build !js

package gen

import (
	"cmp"
	"runtime"
	"slices"
)

// emitConcurrently runs the patterns ps on the process's CPUs, each on a
// build of its own, then adds their files to b in table order, as if they
// had run one after another: the first failing pattern's error wins.
//
// Only for a generation without a Cache (generateBuild): the emitters then
// share nothing but the spec, which they only read, and the stub work,
// which is safe to wait on from several goroutines. The README and the
// manifest read the other patterns' files, so they are not in ps. The
// machines pattern is handed out first, split into one part per CPU (every
// machine's and user's files are independent): it is about half of the
// work for a large fleet, and whole it was the last to finish while the
// other CPU sat idle. On two CPUs (BenchmarkGenerate, five alternating
// runs) a 1000-machine fleet took 69-76 ms against 77-84 one pattern at a
// time, 100 machines 7.7-8.3 against 8.3-9.3; the CPU time is the same.
func (b *build) emitConcurrently(ps []*pattern) {
	// A job is pattern ps[pattern], or its part shard of shards.
	type job struct{ pattern, shard, shards int }
	shards := min(runtime.GOMAXPROCS(0), len(b.spec.Machines)/64+1)
	var jobs []job
	for i, p := range ps {
		if p == &machinesPattern {
			for k := range shards {
				jobs = append(jobs, job{i, k, shards})
			}
		}
	}
	for i, p := range ps {
		if p != &machinesPattern {
			jobs = append(jobs, job{i, 0, 1})
		}
	}
	subs := make([]*build, len(jobs))
	parallel(len(jobs), func(k int) {
		j := jobs[k]
		p := ps[j.pattern]
		sb := &build{spec: b.spec, opt: b.opt, files: make(map[string]File), pattern: p.name, stubs: b.stubs, shard: j.shard, shards: j.shards, memo: b.memo}
		p.emit(sb)
		subs[k] = sb
	})
	// Table order, as if the patterns had run one after another.
	merge := make([]int, len(jobs))
	for k := range merge {
		merge[k] = k
	}
	slices.SortFunc(merge, func(x, y int) int {
		return cmp.Or(jobs[x].pattern-jobs[y].pattern, jobs[x].shard-jobs[y].shard)
	})
	if len(b.files) == 0 {
		// Sized once: growing it file by file rehashes a few thousand
		// entries a dozen times.
		n := 2
		for _, sb := range subs {
			n += len(sb.files)
		}
		b.files = make(map[string]File, n)
	}
	for _, k := range merge {
		sb := subs[k]
		if sb.err != nil {
			b.fail(sb.err)
			return
		}
		b.pattern = sb.pattern
		for _, f := range sb.files {
			b.put(f.Path, f.Data, f.Mode)
		}
	}
	// The README, next, reads only the paths: meanwhile the other CPUs
	// hash the files for the manifest. Nothing waits for it on an early
	// error; it reads only these files' bytes, which never change.
	b.hashing = b.startHashing()
}

// hashAll returns the SHA-256 (hex) of every file in paths, or nil when the
// manifest should ask the Cache file by file (with a Cache, a keystroke finds
// all but a few sums already known). Without a Cache and with more than one
// CPU, the files written before the README were hashed while it was
// written (startHashing); the rest are hashed here.
func (b *build) hashAll(paths []string) []string {
	if b.hashing == nil {
		return nil
	}
	b.hashing.wait()
	sums := make([]string, len(paths))
	for i, p := range paths {
		if Protected(p) {
			continue
		}
		data := b.files[p].Data
		if h, ok := b.hashing.sums[p]; ok && sameBytes(h.data, data) {
			sums[i] = h.sum
		} else {
			sums[i] = HashHex(data)
		}
	}
	return sums
}

// fileHashes are the sums of the files a build had when startHashing was
// called, each with the bytes it was computed from.
type fileHashes struct {
	done chan struct{}
	sums map[string]hashed
}

// wait returns once the hashing is done (at once for nil).
func (h *fileHashes) wait() {
	if h != nil {
		<-h.done
	}
}

// hashed is one file's sum and the bytes it is the sum of.
type hashed struct {
	data []byte
	sum  string
}

// startHashing hashes b's files so far on the other CPUs, in the
// background: hashing every file is a tenth of a cold thousand-machine
// generation, and the README, written next, reads only the paths. Only for
// a build without a Cache on more than one CPU; else nil.
func (b *build) startHashing() *fileHashes {
	const chunk = 64
	if b.cache != nil || runtime.GOMAXPROCS(0) < 2 || len(b.files) < 2*chunk {
		return nil
	}
	files := make([]File, 0, len(b.files))
	for _, f := range b.files {
		if !Protected(f.Path) {
			files = append(files, f)
		}
	}
	h := &fileHashes{done: make(chan struct{}), sums: make(map[string]hashed, len(files))}
	go func() {
		defer close(h.done)
		sums := make([]string, len(files))
		parallel((len(files)+chunk-1)/chunk, func(c int) {
			for i := c * chunk; i < min((c+1)*chunk, len(files)); i++ {
				sums[i] = HashHex(files[i].Data)
			}
		})
		for i, f := range files {
			h.sums[f.Path] = hashed{f.Data, sums[i]}
		}
	}()
	return h
}

// sameBytes reports whether a and b are the same slice (not merely equal
// contents): a file put again after hashing has new bytes.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
