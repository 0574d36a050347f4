// Package gen turns a fleet spec (fleet.json) into a complete Nix repository:
// a clan-core + flake-parts flake whose modules live under modules/ (loaded
// by import-tree), with its secrets layout, overlays, home-manager
// configurations, Terraform and checks.
//
// # What to call
//
//	fleet, diags := gen.Parse(data)         // decode, default, validate, resolve (diagnostics carry line:col)
//	if gen.HasErrors(diags) { … }           // show them; nothing else to do
//	files, err := gen.Generate(fleet, opt)  // the repository, sorted by path
//
// Package [github.com/fleetyard/fleetyard/gen/archive] packs files into the
// deterministic .tar.gz and .zip downloads (apart from gen, so a program that
// only generates links no compression code).
//
// [Fleet.Access] says who can decrypt which secret (the same rows the
// README, the .sops.yaml rules and the playground's matrix are made of);
// [Fleet.Terraform] previews what Terraform would create. [Schema] and
// [Reference] describe fleet.json for editors and the docs. An editor that
// regenerates on every keystroke keeps one [Cache] and parses through it
// ([Cache.Parse]): the Fleets it returns generate incrementally.
//
// # The model
//
// [Spec] is the wire format, fleet.json as written. Parse normalizes it
// (every default written out, once: defaults.go), validates it (every rule:
// validate.go) and resolves it into the model the emitters read
// (model.go): plain booleans, defaults applied, names resolved to the
// machines and users they mean, age keys derived. [Fleet.Spec] gives the
// normalized spec back; it is what the generated fleet.json holds.
//
// # Promises
//
// Determinism: the same spec and [Options] give the same bytes everywhere
// (CLI, WebAssembly, docs build); nothing depends on map order, the clock or
// the machine. Only the sops-encrypted stubs depend on Options.Entropy and
// Options.Time.
//
// One validator: Parse reports every problem of a spec, positioned on the
// field; a spec Parse accepts always generates (Generate fails only without
// entropy or time), which FuzzParse checks.
//
// Purity and safety: no I/O and no syscall/js here. User text reaches Nix
// only through the gen/nix printer (strings escaped by construction, no raw
// Nix text), YAML through gen/yaml, JSON through gen/jsonw. Private key
// material in the spec is refused and never echoed.
//
// Truth against upstream: every option, path, var name and command the
// generated repository uses was read in the upstream source it belongs to
// (clan-core, sops-nix, nix-darwin, home-manager, …) and is pinned by a test
// that names that file; CI evaluates each example's repository against the
// pinned upstream interfaces and checks its formatting against nixfmt.
//
// # How patterns plug in
//
// A pattern (pattern.go) is a value declared in its emit_<pattern>.go: its
// name (its docs page content/docs/<name>.md and its golden folder
// testdata/golden/<name>/), the flake inputs it needs, what it adds to each
// machine's module (ranked imports and settings), its nix-unit tests, its
// steps in the README's bootstrap section, and the function that writes its
// own files. flake.nix, the machine modules, the nix-unit check and the
// README gather these contributions; none of them knows the patterns. Shared
// decisions live in one place each: each input's URL, pin and real follows
// (inputs.go), who holds which age key (keyring.go), who reads which secret
// (access.go), the rules (validate.go) and defaults (defaults.go).
//
// Adding a pattern: write emit_<pattern>.go with its pattern value, add it
// to the patterns table, put its rules in validate.go (and any new fields
// in spec.go, defaults.go and reference.go), write its docs page, and run
// `go test ./gen -run TestGolden -update` for its golden folder. Files
// that are a function of one machine or user go through addNixMemo with
// that entity's fingerprint, so the playground reprints them only when they
// change.
package gen

import (
	"bytes"
	"runtime"
	"slices"
	"time"

	"github.com/fleetyard/fleetyard/gen/internal/keyenc"
	"github.com/fleetyard/fleetyard/gen/nix"
)

// File is one generated file. Paths are slash-separated and relative to the
// repository root.
type File struct {
	Path string `json:"path"`
	Data []byte `json:"data"`
	// Mode is 0o644 or 0o755.
	Mode uint32 `json:"mode"`
}

// Severity of a [Diagnostic].
type Severity string

const (
	// Error makes a spec unusable; Generate refuses it.
	Error Severity = "error"
	// Warning is shown but does not stop generation.
	Warning Severity = "warning"
)

// Diagnostic is one problem found in a spec. Path names the field
// (users[1].sshKeys[0]); Line and Col (1-based, 0 when unknown) point into the
// JSON text; Hint says how to fix it.
type Diagnostic struct {
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
}

// Options are the inputs to Generate that do not come from the spec. Only
// sops-encrypted files depend on them.
type Options struct {
	// Entropy seeds the sops data keys, nonces and age stanzas of the
	// encrypted secret stubs. It must be secret and random (32 bytes from a
	// CSPRNG) for real use: anyone who knows it can derive the data keys.
	// Tests pin it. When empty, no randomness is available and Generate
	// returns an error if the spec has encrypted files.
	//
	// Why it must stay secret: `sops edit` keeps a file's data key, so real
	// secrets added later to a stub are readable by anyone who can derive
	// that key from Entropy. The CLI and the playground draw it at random.
	// Each file's randomness is derived from Entropy, its path, its
	// recipient set and Time, so editing one user does not change another
	// user's stub, and a stub for a different set of readers never reuses
	// a data key.
	Entropy []byte
	// Time is the sops lastmodified timestamp (truncated to seconds, UTC).
	Time time.Time
}

// Fleet is a spec ready to generate: decoded, with every default written
// out, names resolved and age keys derived, once. [Parse] and [Cache.Parse]
// return one; [Generate] and [Access] read it. A Fleet is never modified
// after Parse, so concurrent calls on one Fleet are safe.
type Fleet struct {
	m *fleet
	// cache is the Cache that parsed it ([Cache.Parse]), nil for [Parse]:
	// Generate reuses what that Cache remembers.
	cache *Cache
}

// Spec returns the spec as normalized: what the user wrote, with every
// default written out (this is what the generated fleet.json holds). The
// caller must not modify it.
func (f *Fleet) Spec() *Spec { return f.m.spec }

// Generate returns the repository for f, sorted by path. f must have no
// error diagnostics (Parse's promise: a spec it accepts always generates).
//
// A Fleet from [Cache.Parse] generates incrementally: files whose inputs
// did not change since that Cache's previous generation, and encrypted
// stubs with the same readers, are reused rather than rebuilt. The output
// is byte for byte the same either way.
func Generate(f *Fleet, opt Options) ([]File, error) {
	files, _, err := generateOwned(f.m, opt, f.cache, nil)
	return files, err
}

// GenerateManifestLater is [Generate] for an editor that answers each
// keystroke with the files it changed: files is the repository without the
// manifest ([ManifestPath]), and manifest builds that file, byte for byte
// what Generate puts there. The manifest holds the SHA-256 of every other
// file, and a keystroke in a large fleet changes a few hundred KB of
// fleet-wide files (README.md, fleet.json) that SHA-256 in WebAssembly
// hashes at about 150 MB/s: the playground shows the keystroke's files first
// and builds the manifest once the user pauses.
//
// manifest may be called at any time, any number of times; it is cheapest
// before f's Cache generates again, whose memo of this generation's hashes
// it then uses.
func GenerateManifestLater(f *Fleet, opt Options) (files []File, manifest func() File, err error) {
	if out := f.cache.output(f.m, opt); out != nil {
		// The same Fleet again: its whole output is remembered.
		i := manifestIndex(out)
		man := out[i]
		return append(out[:i], out[i+1:]...), func() File { return man }, nil
	}
	b, out, err := generateBuild(f.m, opt, f.cache, nil, false)
	if err != nil {
		return nil, nil, err
	}
	var man *File
	return out, func() File {
		if man == nil {
			man = b.finishManifest(out)
		}
		return *man
	}, nil
}

// finishManifest is the manifest pattern of a build that deferred it
// (generateBuild without it): it emits the manifest, remembers the whole
// output as Generate would have, and returns the manifest.
func (b *build) finishManifest(out []File) *File {
	if b.cache != nil && b.cache.generation() != b.gen {
		// The Cache has moved on: its memos are another generation's now,
		// so hash without them and leave them alone.
		b.cache = nil
	}
	b.pattern = manifestPattern.name
	manifestPattern.emit(b)
	man := b.files[ManifestPath]
	if b.cache != nil {
		i := manifestIndex(out)
		all := make([]File, 0, len(out)+1)
		b.cache.setOutput(b.spec, b.opt, append(append(append(all, out[:i]...), man), out[i:]...))
	}
	return &man
}

// manifestIndex is where ManifestPath is, or goes, in files sorted by path.
// (A loop: slices.BinarySearchFunc and friends, instantiated for File,
// cost the wasm module 2 KB of brotli.)
func manifestIndex(files []File) int {
	i := 0
	for i < len(files) && files[i].Path < ManifestPath {
		i++
	}
	return i
}

// generateOwned is Generate that also fills owner (path -> pattern name)
// when owner is not nil.
func generateOwned(s *fleet, opt Options, cache *Cache, owner map[string]string) ([]File, map[string]string, error) {
	if owner == nil {
		if files := cache.output(s, opt); files != nil {
			return files, nil, nil
		}
	}
	_, out, err := generateBuild(s, opt, cache, owner, true)
	if err != nil {
		return nil, nil, err
	}
	return out, owner, nil
}

// generateBuild runs the patterns and returns the build and its files in
// path order; without withManifest it leaves the manifest pattern out
// (GenerateManifestLater) and remembers no output.
func generateBuild(s *fleet, opt Options, cache *Cache, owner map[string]string, withManifest bool) (*build, []File, error) {
	// Sized for the previous generation's file count: growing a map of a
	// few thousand files rehashes it a dozen times.
	b := &build{spec: s, opt: opt, cache: cache, files: make(map[string]File, len(cache.lastPaths())+2), owner: owner, memo: cache.printMemo()}
	cache.rotate()
	b.gen = cache.generation()
	bufs := cache.takeBuffers()
	b.scratch, b.keyBuf, b.treeBuf = bufs.scratch, bufs.keyBuf, bufs.treeBuf
	defer func() { cache.putBuffers(buffers{b.scratch, b.keyBuf, b.treeBuf}) }()
	if runtime.GOMAXPROCS(0) > 1 && !(cache != nil && s.edit.base != 0 && secretsPattern.ignores&s.edit.field != 0) {
		// The stubs' X25519 work is independent of every file: with a
		// second CPU it runs while the other patterns print.
		b.stubs = startStubs(b, true)
		defer func() { <-b.stubs.done }() // never leave it running after an early error
	}
	ps := patterns
	if cache == nil && runtime.GOMAXPROCS(0) > 1 {
		// Nothing is remembered, so nothing is shared: the patterns
		// before the README run at once (concurrent.go).
		i := patternIndex(&readmePattern)
		if b.emitConcurrently(ps[:i]); b.err != nil {
			return nil, nil, b.err
		}
		ps = ps[i:]
	}
	for _, p := range ps {
		if p == &manifestPattern && !withManifest {
			continue
		}
		b.pattern = p.name
		if !b.replay(p) {
			b.record(p)
		}
		if b.err != nil {
			return nil, nil, b.err
		}
	}
	paths := b.paths()
	out := make([]File, len(paths))
	for i, p := range paths {
		out[i] = b.files[p]
	}
	if cache != nil && withManifest {
		cache.setOutput(s, opt, slices.Clone(out))
	}
	return b, out, nil
}

// paths returns the paths of the files emitted so far, sorted. The list is
// built on the first call (the README's, near the end) and kept sorted as
// the last few files are added. A keystroke leaves the set of paths as it
// was, so the Cache's list from the previous generation is reused when it
// names exactly these files: no sorting of a few thousand paths, and the
// README's layout section, a function of that set, is reused with it.
func (b *build) paths() []string {
	if b.sorted != nil {
		return b.sorted
	}
	if prev := b.cache.lastPaths(); len(prev) == len(b.files) && len(prev) > 0 {
		same := true
		for _, p := range prev {
			if _, ok := b.files[p]; !ok {
				same = false
				break
			}
		}
		if same {
			b.sorted = prev
			return prev
		}
	}
	paths := make([]string, 0, len(b.files))
	for p := range b.files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	b.cache.setLastPaths(paths)
	b.sorted = paths
	return paths
}

// build is the state shared by emitters during one Generate call.
type build struct {
	spec  *fleet
	opt   Options
	cache *Cache // nil: nothing is remembered
	// gen is the Cache's generation this build started (Cache.rotate).
	gen   int
	files map[string]File
	err   error
	// scratch is addNix's reusable print buffer, keyBuf its key buffer;
	// treeBuf is addNixSet's second key buffer.
	scratch, keyBuf, treeBuf []byte
	// pattern names the pattern whose emitter is running; owner, when
	// set (by tests), records it for every file: the golden folders are
	// per pattern.
	pattern string
	owner   map[string]string
	// stubs is the sops stub encryption started with the generation
	// (emit_secrets.go), nil when it runs inside emitSecrets.
	stubs *stubWork
	// sorted is paths()'s result once computed, kept sorted by put (which
	// inserts into a copy: the list may be shared with the Cache).
	sorted []string
	// run records the files of the pattern running, for replay.
	run *patternRun
	// hashing is the background hashing of the files written before the
	// README (startHashing), nil when the manifest hashes them itself.
	hashing *fileHashes
	// shard and shards split the machines pattern's per-machine work over
	// several builds (emitConcurrently): this build writes the files of
	// the machines and users whose index is shard modulo shards. shards 0
	// or 1: all of them.
	shard, shards int
	// memo remembers the bindings printed so far (nix.Memo): a fleet's
	// modules repeat most of theirs from machine to machine and from one
	// keystroke to the next. Shared by the concurrent builds; the Cache's
	// when there is one, else this generation's.
	memo *nix.Memo
}

// mine reports whether item i (a machine's or user's index) is this build's
// to write (see build.shards).
func (b *build) mine(i int) bool { return b.shards < 2 || i%b.shards == b.shard }

// add records a regular file. Emitting the same path twice is a bug.
func (b *build) add(path string, data []byte) { b.put(path, data, 0o644) }

// addExec records an executable file.
func (b *build) addExec(path string, data []byte) { b.put(path, data, 0o755) }

// addNix prints f and records it. Printing goes through one scratch buffer
// per build and each file keeps an exact-size copy, so a few hundred files
// cost one growing buffer instead of a few hundred (less garbage for the
// single-threaded wasm collector).
//
// With a Cache, the file is remembered by its tree (nix.AppendKey): the
// files that list the whole fleet (the clan inventory, the checks, the
// home configurations) are rebuilt as trees on every call, but a keystroke
// that does not touch what they say gives the same tree, and laying it out
// again is what costs. Equal trees print equal bytes, so this memo cannot
// be stale, whatever the file reads.
func (b *build) addNix(path string, f nix.File) {
	if b.cache == nil {
		b.scratch = b.memo.Append(b.scratch[:0], f)
		b.add(path, bytes.Clone(b.scratch))
		return
	}
	b.add(path, b.printMemo(path, f))
}

// printMemo prints f through the Cache's tree memo: by the whole tree,
// then (nix.SplitHeader) by its body apart from its header comments, which
// name things such as a machine's description that the body does not show.
func (b *build) printMemo(path string, f nix.File) []byte {
	c := b.cache
	// path, NUL, 0x01 (which no fingerprint of addNixMemo starts with), tree
	b.keyBuf = nix.AppendKey(append(append(b.keyBuf[:0], path...), 0, 1), f)
	data, _ := c.file(b.keyBuf, func() ([]byte, bool) {
		h, body, ok := nix.SplitHeader(f)
		if !ok {
			b.scratch = b.memo.Append(b.scratch[:0], f)
			return bytes.Clone(b.scratch), true
		}
		// path, NUL, 0x05, the body's tree
		b.treeBuf = nix.AppendKey(append(append(b.treeBuf[:0], path...), 0, 5), body)
		text, _ := c.file(b.treeBuf, func() ([]byte, bool) {
			b.scratch = b.memo.Append(b.scratch[:0], body)
			return bytes.Clone(b.scratch), true
		})
		b.scratch = append(b.memo.Append(b.scratch[:0], h), text...)
		return bytes.Clone(b.scratch), true
	})
	return data
}

// addNixMemo is addNix for a file that is a function of its path and the
// key parts alone (fingerprints of what it reads, fingerprint.go; each part
// is length-prefixed, so they cannot run together): with a Cache, a key the
// previous generation printed reuses those bytes and mk is not called. This
// is what makes a keystroke in the playground reprint only the files it
// changes.
func (b *build) addNixMemo(path string, mk func() nix.File, key ...string) {
	b.addMemo(path, func() []byte {
		if b.cache == nil || b.cache.first() {
			// Nothing printed yet to find by tree.
			b.scratch = b.memo.Append(b.scratch[:0], mk())
			return bytes.Clone(b.scratch)
		}
		// A new fingerprint often means a new header only (a machine's
		// module names its description), or no change at all in this
		// file: the tree memo finds the text.
		return b.printMemo(path, mk())
	}, key...)
}

// addNixMemoHeaded is addNixMemo for a file whose header comments show
// what its key leaves out (a machine's description, which nothing else in
// its module reads): the body is remembered by path and key, and the file
// by path, headerKey (what header reads beyond what key covers) and key.
// So a new header reuses the body's text, and an unchanged file comes back as the
// same bytes (which the manifest's hashes and the worker's delta find by
// address) without building either. The header and the body print apart
// exactly as together (nix.SplitHeader) for a body that is a function, a
// let or a non-empty attribute set; any other is printed whole and not
// remembered.
func (b *build) addNixMemoHeaded(path string, header func() []string, headerKey string, body func() nix.Expr, key ...string) {
	c := b.cache
	if c == nil {
		b.addNix(path, nix.File{Header: header(), Body: body()})
		return
	}
	// Neither key can be another memo's: after the path and NUL, 0x08 and
	// 0x09 start no fingerprint (a length in decimal) and are no other
	// memo's tag (0x01-0x05 here and in splice.go, 0x06 and 0x07 in
	// derived_memo.go).
	keyed := func(tag byte, first string) []byte {
		b.keyBuf = keyenc.Str(append(append(b.keyBuf[:0], path...), 0, tag), first)
		for _, part := range key {
			b.keyBuf = append(b.keyBuf, part...)
		}
		return b.keyBuf
	}
	var whole []byte
	data, ok := c.file(keyed(9, headerKey), func() ([]byte, bool) {
		h := header()
		text, ok := c.file(keyed(8, ""), func() ([]byte, bool) {
			f := nix.File{Header: h, Body: body()}
			_, bf, ok := nix.SplitHeader(f)
			switch {
			case !ok:
				b.scratch = b.memo.Append(b.scratch[:0], f)
				whole = bytes.Clone(b.scratch)
				return nil, false
			case c.first():
				b.scratch = b.memo.Append(b.scratch[:0], bf)
				return bytes.Clone(b.scratch), true
			default:
				// A new key often leaves the body as it was (a change to
				// a user that only the user's own modules show): the
				// tree memo finds the text.
				return b.printMemo(path, bf), true
			}
		})
		if !ok {
			return nil, false
		}
		b.scratch = append(b.memo.Append(b.scratch[:0], nix.File{Header: h}), text...)
		return bytes.Clone(b.scratch), true
	})
	if !ok {
		data = whole
	}
	b.add(path, data)
}

// addMemo is addNixMemo for a file whose text text() makes.
func (b *build) addMemo(path string, text func() []byte, key ...string) {
	c := b.cache
	if c == nil {
		b.add(path, text())
		return
	}
	b.keyBuf = append(append(b.keyBuf[:0], path...), 0)
	for _, part := range key {
		b.keyBuf = append(b.keyBuf, part...)
	}
	data, _ := c.file(b.keyBuf, func() ([]byte, bool) { return text(), true })
	b.add(path, data)
}

func (b *build) put(path string, data []byte, mode uint32) {
	if _, dup := b.files[path]; dup {
		panic("gen: file emitted twice: " + path)
	}
	b.files[path] = File{Path: path, Data: data, Mode: mode}
	if b.sorted != nil {
		i, _ := slices.BinarySearch(b.sorted, path)
		b.sorted = slices.Insert(slices.Clip(b.sorted), i, path)
	}
	if b.owner != nil {
		b.owner[path] = b.pattern
	}
	if b.run != nil {
		b.run.files = append(b.run.files, File{Path: path, Data: data, Mode: mode})
	}
}

// fail stops generation with err (the first error wins).
func (b *build) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}
