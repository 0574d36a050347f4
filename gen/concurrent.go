//go:build !js

package gen

// emitConcurrently runs the patterns ps on the process's CPUs, each on a
// build of its own, then adds their files to b in table order, as if they
// had run one after another: the first failing pattern's error wins.
//
// Only for a generation without a Cache (generateBuild): the emitters then
// share nothing but the spec, which they only read, and the stub work,
// which is safe to wait on from several goroutines. The README and the
// manifest read the other patterns' files, so they are not in ps. The
// machines pattern is handed out first: it is about half of the work for a
// large fleet, and a worker that starts with it finishes with the rest.
// On two CPUs (BenchmarkGenerate, five alternating runs) a 1000-machine
// fleet took 69-76 ms against 77-84 one pattern at a time, 100 machines
// 7.7-8.3 against 8.3-9.3; the CPU time is the same. Where the stubs' X25519
// work already keeps both CPUs busy, there is little more to gain here.
func (b *build) emitConcurrently(ps []*pattern) {
	order := make([]int, 0, len(ps))
	for i, p := range ps {
		if p == &machinesPattern {
			order = append(order, i)
		}
	}
	for i, p := range ps {
		if p != &machinesPattern {
			order = append(order, i)
		}
	}
	subs := make([]*build, len(ps))
	parallel(len(order), func(k int) {
		p := ps[order[k]]
		sb := &build{spec: b.spec, opt: b.opt, files: make(map[string]File), pattern: p.name, stubs: b.stubs}
		p.emit(sb)
		subs[order[k]] = sb
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
	for i, sb := range subs {
		if sb.err != nil {
			b.fail(sb.err)
			return
		}
		b.pattern = ps[i].name
		for _, f := range sb.files {
			b.put(f.Path, f.Data, f.Mode)
		}
	}
}
