package gen

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"

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
	mu         sync.Mutex
	prev, curr map[[32]byte][]byte
	keys       map[string]parsedKey // SSH/age key text -> parse result
	// Printed files by path and fingerprint (build.addNixMemo), and the
	// manifest hash of a memoized file's bytes, by their first byte's
	// address: memoized bytes are never modified, so the same array means
	// the same content.
	filesPrev, filesCurr map[string][]byte
	sumsPrev, sumsCurr   map[*byte]string
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

// Parse is [Parse] with key derivations remembered across calls.
func (c *Cache) Parse(data []byte) (*Fleet, []Diagnostic) { return parse(data, c) }

// NewCache returns an empty cache, safe for concurrent use.
func NewCache() *Cache {
	return &Cache{prev: map[[32]byte][]byte{}, curr: map[[32]byte][]byte{}, keys: map[string]parsedKey{},
		filesPrev: map[string][]byte{}, filesCurr: map[string][]byte{},
		sumsPrev: map[*byte]string{}, sumsCurr: map[*byte]string{}}
}

// rotate starts a new Generate call: entries not used by the previous one
// are dropped, bounding the cache to about one repository's stubs.
func (c *Cache) rotate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.prev, c.curr = c.curr, make(map[[32]byte][]byte, len(c.curr))
	c.filesPrev, c.filesCurr = c.filesCurr, make(map[string][]byte, len(c.filesCurr))
	c.sumsPrev, c.sumsCurr = c.sumsCurr, make(map[*byte]string, len(c.sumsCurr))
	c.mu.Unlock()
}

// file returns the bytes printed for key by the previous or the current
// generation, or prints them with mk and remembers them.
func (c *Cache) file(key string, mk func() []byte) []byte {
	c.mu.Lock()
	v, ok := c.filesCurr[key]
	if !ok {
		v, ok = c.filesPrev[key]
	}
	c.mu.Unlock()
	if !ok {
		v = mk()
	}
	c.mu.Lock()
	c.filesCurr[key] = v
	c.mu.Unlock()
	return v
}

// hashHex is HashHex, remembered for memoized bytes (sums of other bytes
// are computed and not kept: their arrays are new every generation).
func (c *Cache) hashHex(data []byte, memoized bool) string {
	if c == nil || !memoized || len(data) == 0 {
		return HashHex(data)
	}
	p := &data[0]
	c.mu.Lock()
	v, ok := c.sumsCurr[p]
	if !ok {
		v, ok = c.sumsPrev[p]
	}
	c.mu.Unlock()
	if !ok {
		v = HashHex(data)
	}
	c.mu.Lock()
	c.sumsCurr[p] = v
	c.mu.Unlock()
	return v
}

// memo returns the cached value for key or computes, stores and returns it.
// Errors are not cached.
func (c *Cache) memo(key [32]byte, compute func() ([]byte, error)) ([]byte, error) {
	if c == nil {
		return compute()
	}
	c.mu.Lock()
	v, ok := c.curr[key]
	if !ok {
		v, ok = c.prev[key]
	}
	c.mu.Unlock()
	if !ok {
		var err error
		if v, err = compute(); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	c.curr[key] = v
	c.mu.Unlock()
	return v, nil
}

// cacheKey hashes length-prefixed parts, so no two different part lists
// collide by concatenation.
func cacheKey(parts ...string) [32]byte {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}
