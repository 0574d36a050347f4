package gen

import (
	"bytes"
	"time"
)

// The last generation's output, for a Fleet generated again unchanged.
// [Cache.Parse] hands back the very same Fleet for the very same text, and
// Generate is a function of the Fleet and the Options alone, so the same
// pair gives the same files: the playground regenerates unchanged text
// when a request is repeated, an edit is undone to the text before it, or
// a docs example is shown again.

// lastOutput is what the latest generation through a Cache returned.
type lastOutput struct {
	fleet   *fleet
	entropy []byte
	time    time.Time
	files   []File
}

// output returns a copy of the files the latest generation returned if it
// was for s with the same options, else nil. The memo maps are left as
// that generation left them (no rotate), so the next real generation finds
// everything it used.
func (c *Cache) output(s *fleet, opt Options) []File {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.last
	if l.fleet != s || l.files == nil || !bytes.Equal(l.entropy, opt.Entropy) || !l.time.Equal(opt.Time) {
		return nil
	}
	out := make([]File, len(l.files))
	copy(out, l.files)
	return out
}

// setOutput remembers files as the output for s and opt. files must not be
// modified afterwards (generateOwned keeps its own copy of the slice).
func (c *Cache) setOutput(s *fleet, opt Options, files []File) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.last = lastOutput{fleet: s, entropy: bytes.Clone(opt.Entropy), time: opt.Time, files: files}
	c.mu.Unlock()
}

// addKept records data for path, an emitter's freshly built bytes, as the
// array the previous generation had for path when it holds the same bytes.
// Files printed through the memos already come back as the same array; this
// does the same for the files written whole every time (README.md,
// fleet.json, .sops.yaml, the manifest), so that their manifest hash is
// found by address ([Cache.hashHex]) and the playground's worker compares
// them by pointer.
func (b *build) addKept(path string, data []byte) {
	if b.cache != nil {
		data = b.cache.kept(path, data, true)
	}
	b.add(path, data)
}

// keptLen is the length path had in the latest generation that wrote it
// whole (addKept), or 0: a size to allocate a new text at.
func (c *Cache) keptLen(path string) int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.joined.m[path]; ok {
		return len(e.v)
	}
	return 0
}

// kept returns the array path had in the latest generations if it holds
// exactly data, else data, which it remembers: data itself when the caller
// hands it over (owned), else a copy (the caller reuses a scratch buffer).
func (c *Cache) kept(path string, data []byte, owned bool) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.joined.m[path]
	if !ok {
		e = &stamped[[]byte]{}
		c.joined.m[path] = e
	}
	e.gen = c.joined.gen
	note(c.log, e)
	if !ok || !bytes.Equal(e.v, data) {
		e.v = data
		if !owned {
			e.v = bytes.Clone(data)
		}
	}
	return e.v
}
