package gen

import (
	"bytes"
	"encoding/binary"
	"sync"

	"github.com/fleetyard/fleetyard/gen/internal/keyenc"
	"github.com/fleetyard/fleetyard/gen/nix"
	"github.com/fleetyard/fleetyard/gen/sshkey"
)

// Cache is an editor session: it remembers the costly, pure parts of
// parsing and generation between calls, so that regenerating after an edit
// costs about what the edit changed. It remembers parsed SSH keys, printed
// files whose inputs did not change (by fingerprint, fingerprint.go) and
// sops-encrypted stubs (two X25519 operations per reader). Results are keyed
// by every input they depend on, so a cached run gives the same bytes as an
// uncached one. Only entries used by the latest generation are kept.
//
// Parse through the Cache ([Cache.Parse]) and Generate the Fleet it returns;
// the playground keeps one Cache for the session, the CLI needs none.
type Cache struct {
	mu    sync.Mutex
	stubs recent[string, []byte] // encrypted stubs by cacheKey of their inputs
	keys  map[string]parsedKey   // SSH/age key text -> parse result
	// Printed files by path and fingerprint (build.addNixMemo), and the
	// manifest hash of a file's bytes, by their address and length: files
	// are never modified once added, so the same array means the same
	// content.
	files recent[string, memoEntry]
	sums  recent[bytesID, string]
	// joined is the last bytes of each file joined from pieces (splice.go)
	// or written whole (build.addKept); the pieces are in files.
	joined recent[string, []byte]
	// last is the latest generation's output (output_memo.go).
	last lastOutput
	// gens counts generations (rotate).
	gens int
	// bindings is the printed bindings the builds share (build.memo).
	bindings nix.Memo
	// accessRows are the Access rows of the fleet last parsed, by
	// accessKey (accessMemo).
	accessKey  []byte
	accessRows []SecretFile
	// accessSpare is a key buffer accessMemo may write its next key into.
	accessSpare []byte
	// bufs are the byte buffers the latest build grew (takeBuffers), for
	// the next: a keystroke otherwise grew a README-sized buffer and the
	// memo key buffers from nothing (about 0.4 MB on large.json).
	bufs buffers
	// paths is the sorted path list of the latest generation (build.paths),
	// shared read-only with the builds that reuse it.
	paths []string
	// layoutText is the README's layout section for layoutPaths.
	layoutPaths []string
	layoutText  []byte
	// readmeText is the README's users, access and bootstrap sections
	// written from readmeSpec, a fleet.json (readme_memo.go).
	readmeSpec, readmeText []byte
	// readmeLen is the length of the last README written (readmeSizeHint).
	readmeLen int
	// lastText is the text the latest Parse read, and what it returned.
	lastText  []byte
	lastFleet *Fleet
	lastDiags []Diagnostic
	// tree is the JSON tree of the latest text parsed without a syntax
	// error (syntax_memo.go).
	tree syntaxTree
	// ring is the keyring built last (buildKeyring).
	ring builtRing
	// runs are the patterns' latest outputs (replay.go); log, while a
	// pattern runs, collects the remembered entries it uses.
	runs []*patternRun // by patternIndex
	log  *[]toucher
	// replays counts the patterns replayed, for tests.
	replays int
	// fleets counts the fleets parsed (keepFleet), for their ids.
	fleets uint64
}

// layout returns the README layout section written for exactly this path
// list (the same array: build.paths reuses the previous list when the set
// of files is unchanged), or nil.
func (c *Cache) layout(paths []string) []byte {
	if c == nil || len(paths) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.layoutPaths) != len(paths) || &c.layoutPaths[0] != &paths[0] {
		return nil
	}
	return c.layoutText
}

func (c *Cache) setLayout(paths []string, text []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.layoutPaths, c.layoutText = paths, text
	c.mu.Unlock()
}

func (c *Cache) lastPaths() []string {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paths
}

func (c *Cache) setLastPaths(p []string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.paths = p
	c.mu.Unlock()
}

// recent remembers values for two generations: those the previous
// Generate call used and those the current one has used so far. Anything
// older is dropped, which bounds a Cache to about one repository.
//
// One map, each entry stamped with the last generation that used it: a
// keystroke finds nearly everything it needs again, and a hit then costs
// one hash of its key and a store into the entry, where a map per
// generation cost a second hash to carry the entry over, and growing the
// new map from empty every generation (a tenth of a keystroke's time in
// Cache.file, its map growth included).
type recent[K comparable, V any] struct {
	m   map[K]*stamped[V]
	gen int // the current generation
	// held counts the entries the previous generation used (rotate).
	held int
}

// stamped is a remembered value and the latest generation that used it.
type stamped[V any] struct {
	v   V
	gen int
}

func newRecent[K comparable, V any]() recent[K, V] {
	return recent[K, V]{m: map[K]*stamped[V]{}}
}

// touch keeps e for the current generation, as a use would: a pattern
// replayed (replay.go) uses none of its entries, and they would otherwise
// be dropped before the next keystroke that needs it printed.
func (e *stamped[V]) touch(gen int) { e.gen = gen }

// A toucher is a remembered entry of any kind.
type toucher interface{ touch(gen int) }

// note adds e to the log of the pattern running, if one is recorded; the
// caller holds the Cache's lock.
func note(log *[]toucher, e toucher) {
	if log != nil {
		*log = append(*log, e)
	}
}

// rotate starts a generation, dropping what the one ending did not use.
func (r *recent[K, V]) rotate() {
	r.held = 0
	for k, e := range r.m {
		if e.gen < r.gen {
			delete(r.m, k)
		} else {
			r.held++
		}
	}
	r.gen++
}

// get returns the value for k, or computes it (with c.mu released), and
// keeps it for this generation. Errors are not kept. A value is a function
// of its key, so a value computed twice meanwhile is the same.
func (r *recent[K, V]) get(mu *sync.Mutex, log **[]toucher, k K, compute func() (V, error)) (V, error) {
	mu.Lock()
	if e, ok := r.m[k]; ok {
		e.gen = r.gen
		note(*log, e)
		mu.Unlock()
		return e.v, nil
	}
	mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	mu.Lock()
	e := &stamped[V]{v: v, gen: r.gen}
	r.m[k] = e
	note(*log, e)
	mu.Unlock()
	return v, nil
}

type parsedKey struct {
	key sshkey.Key
	err error
}

// maxKeys bounds the key memo; a fleet with more distinct keys than this
// simply re-parses (the memo is dropped and refilled).
const maxKeys = 4096

// parseKey is sshkey.ParseKey, remembered: point decompression and the
// Montgomery conversion are slow in wasm (no 64-bit multiply), and every
// regeneration sees the same keys again.
func (c *Cache) parseKey(s string) (sshkey.Key, error) {
	if c == nil {
		return sshkey.ParseKey(s)
	}
	c.mu.Lock()
	r, ok := c.keys[s]
	c.mu.Unlock()
	if ok {
		return r.key, r.err
	}
	k, err := sshkey.ParseKey(s)
	c.mu.Lock()
	if len(c.keys) >= maxKeys {
		c.keys = map[string]parsedKey{}
	}
	c.keys[s] = parsedKey{k, err}
	c.mu.Unlock()
	return k, err
}

// Parse is [Parse] with key derivations remembered across calls. The same
// text as the previous call gives the same Fleet back (a Fleet is read-only),
// with its entity fingerprints already computed: an editor regenerates
// unchanged text whenever only the options change, or an edit is undone.
func (c *Cache) Parse(data []byte) (*Fleet, []Diagnostic) {
	c.mu.Lock()
	if c.lastText != nil && bytes.Equal(c.lastText, data) {
		f, d := c.lastFleet, cloneDiagnostics(c.lastDiags)
		c.mu.Unlock()
		return f, d
	}
	c.mu.Unlock()
	f, diags := parse(data, c)
	c.mu.Lock()
	// Into the previous text's array: nothing else holds it.
	c.lastText, c.lastFleet, c.lastDiags = append(c.lastText[:0], data...), f, cloneDiagnostics(diags)
	c.mu.Unlock()
	return f, diags
}

// NewCache returns an empty cache, safe for concurrent use.
// printMemo is the binding memo for a build: c's, or a new one for a
// generation without a Cache.
func (c *Cache) printMemo() *nix.Memo {
	if c == nil {
		return new(nix.Memo)
	}
	return &c.bindings
}

func NewCache() *Cache {
	return &Cache{stubs: newRecent[string, []byte](), keys: map[string]parsedKey{},
		files: newRecent[string, memoEntry](), sums: newRecent[bytesID, string](),
		joined: newRecent[string, []byte]()}
}

// rotate starts a new Generate call: entries not used by the previous one
// are dropped, bounding the cache to about one repository's stubs.
func (c *Cache) rotate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.gens++
	c.stubs.rotate()
	c.files.rotate()
	c.sums.rotate()
	c.joined.rotate()
	c.mu.Unlock()
}

// generation numbers the Cache's latest generation (0 for a nil Cache).
func (c *Cache) generation() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gens
}

// first reports whether this is the Cache's first generation (nothing
// remembered from an earlier one), when looking files up by their trees
// would only cost the keys.
func (c *Cache) first() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files.held == 0
}

// memoEntry is a remembered file (or binding) text and the key it is
// stored under, so that a hit can carry the entry into the current
// generation without allocating the key again.
type memoEntry struct {
	key  string
	text []byte
}

// file returns the bytes printed for key by the previous or the current
// generation, or prints them with mk and remembers them. key is usually a
// reused buffer: lookups do not allocate, and a hit costs no new key. ok is
// false, and nothing is remembered, when mk fails.
func (c *Cache) file(key []byte, mk func() ([]byte, bool)) ([]byte, bool) {
	c.mu.Lock()
	if e, ok := c.files.m[string(key)]; ok {
		e.gen = c.files.gen
		note(c.log, e)
		c.mu.Unlock()
		return e.v.text, true
	}
	c.mu.Unlock()
	k := string(key) // before mk, which may reuse the caller's buffer
	text, ok := mk()
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	e := &stamped[memoEntry]{v: memoEntry{k, text}, gen: c.files.gen}
	c.files.m[k] = e
	note(c.log, e)
	c.mu.Unlock()
	return text, true
}

// bytesID names a file's bytes by where they are. Generated bytes are
// never modified, and a remembered array stays alive while its entry does,
// so no other bytes can take its address meanwhile.
type bytesID struct {
	p *byte
	n int
}

// hashHex is HashHex, remembered for the current and the next generation:
// memoized bytes come back the same next time, so a keystroke hashes only
// the files it changed.
func (c *Cache) hashHex(data []byte) string {
	if c == nil || len(data) == 0 {
		return HashHex(data)
	}
	v, _ := c.sums.get(&c.mu, &c.log, bytesID{&data[0], len(data)}, func() (string, error) { return HashHex(data), nil })
	return v
}

// memo returns the stub remembered for key or computes, stores and returns
// it. Errors are not remembered.
func (c *Cache) memo(key string, compute func() ([]byte, error)) ([]byte, error) {
	if c == nil {
		return compute()
	}
	return c.stubs.get(&c.mu, &c.log, key, compute)
}

// cacheKey joins length-prefixed parts, so no two different part lists
// collide by concatenation. The parts themselves, not a digest of them: a
// keystroke looks up every stub of the fleet, and in wasm SHA-256 over
// their recipients was most of that (3 % of a keystroke on large.json).
func cacheKey(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + binary.MaxVarintLen64
	}
	return string(keyenc.Strs(make([]byte, 0, n), parts))
}

// cloneDiagnostics copies d (slices.Clone would add a generic instance to
// the wasm module for one call site).
func cloneDiagnostics(d []Diagnostic) []Diagnostic {
	if d == nil {
		return nil
	}
	out := make([]Diagnostic, len(d))
	copy(out, d)
	return out
}

// buffers are a build's reusable byte buffers (see build.scratch).
type buffers struct{ scratch, keyBuf, treeBuf []byte }

// takeBuffers hands the buffers the latest build left (putBuffers) to a
// new one; a build running beside it gets none and grows its own.
func (c *Cache) takeBuffers() buffers {
	if c == nil {
		return buffers{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.bufs
	c.bufs = buffers{}
	return b
}

// putBuffers keeps a finished build's buffers for the next. Every byte a
// build keeps was copied out of them (bytes.Clone, Cache.kept, string
// keys), so they are free once it returns.
func (c *Cache) putBuffers(b buffers) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.bufs = b
	c.mu.Unlock()
}
