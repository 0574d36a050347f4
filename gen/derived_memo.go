package gen

import (
	"bytes"

	"github.com/fleetyard/fleetyard/gen/internal/keyenc"
)

// Whole-fleet texts that are functions of a few fields: with a Cache they
// are remembered by exactly those fields (spelled out below, read off the
// function that writes the text), so an edit elsewhere reuses the bytes
// without building them. Their keys live in the Cache's file memo with a
// marker no file key uses (see printMemo): 0x06 for .sops.yaml, 0x07 for
// the Terraform preview.

// sopsConfigMemo is sopsConfig, remembered by every field it reads: each
// key holder's recipients and anchors, and each rule's path_regex and its
// readers' recipients and anchors.
func (b *build) sopsConfigMemo(kr keyring, files []SecretFile) ([]byte, error) {
	if b.cache == nil {
		return sopsConfig(kr, files)
	}
	k := append(append(b.keyBuf[:0], ".sops.yaml"...), 0, 6)
	for _, hs := range [][]keyHolder{kr.Admins, kr.Users, kr.Machines} {
		k = keyenc.Int(k, int64(len(hs)))
		for _, h := range hs {
			k = keyenc.Strs(keyenc.Strs(k, h.Recipients), h.Anchors)
		}
	}
	k = keyenc.Int(k, int64(len(files)))
	for _, f := range files {
		k = keyenc.Int(keyenc.Str(k, f.Rule), int64(len(f.Readers)))
		for _, r := range f.Readers {
			k = keyenc.Str(keyenc.Str(k, r.Recipient), r.Anchor)
		}
	}
	b.keyBuf = k
	var err error
	data, _ := b.cache.file(k, func() ([]byte, bool) {
		var d []byte
		d, err = sopsConfig(kr, files)
		return d, err == nil
	})
	return data, err
}

// terraformMemo is terraformJSON, remembered by every field it reads: the
// fleet's name and each machine's name and hetzner block.
func (c *Cache) terraformMemo(s *fleet) []byte {
	k := fingerprint(append([]byte("(terraform)"), 0, 7)).str(s.Name)
	for _, m := range s.Machines {
		k = k.str(m.Name).hetzner(m.Hetzner)
	}
	data, _ := c.file(k, func() ([]byte, bool) { return terraformJSON(s), true })
	return data
}

// accessMemo is access(s, s.keys), remembered by every field it reads
// (with clanAccess, machineHasVars, controller and hasHetzner): the
// keyring's holders; each user's name, whether they have secrets and the
// name and class of each machine they are on; each machine's name, class,
// zerotier role and whether it has a hetzner block; each generator's name,
// sharing, machines and whether it has a secret file. A keystroke in a
// description or the fleet's name rebuilds none of the rows (on large.json
// they were a fifth of a keystroke's allocations). The rows are shared by
// every Fleet with the same key: they are never modified.
func (c *Cache) accessMemo(s *fleet) []SecretFile {
	if c == nil {
		return access(s, s.keys)
	}
	c.mu.Lock()
	k := c.accessSpare[:0]
	c.accessSpare = nil
	c.mu.Unlock()
	for _, hs := range [][]keyHolder{s.keys.Admins, s.keys.Users, s.keys.Machines} {
		k = keyenc.Int(k, int64(len(hs)))
		for _, h := range hs {
			k = keyenc.Strs(keyenc.Strs(keyenc.Str(keyenc.Str(k, h.Kind), h.Name), h.Recipients), h.Anchors)
		}
	}
	k = keyenc.Int(k, int64(len(s.Users)))
	for _, u := range s.Users {
		k = keyenc.Int(keyenc.Int(keyenc.Str(k, u.Name), int64(len(u.Secrets))), int64(len(u.machines)))
		for _, m := range u.machines {
			k = keyenc.Str(keyenc.Str(k, m.Name), string(m.Class))
		}
	}
	k = keyenc.Int(k, int64(len(s.Machines)))
	for _, m := range s.Machines {
		hetzner := int64(0)
		if m.Hetzner != nil {
			hetzner = 1
		}
		k = keyenc.Int(keyenc.Str(keyenc.Str(keyenc.Str(k, m.Name), string(m.Class)), string(m.Zerotier)), hetzner)
	}
	k = keyenc.Int(k, int64(len(s.Vars)))
	for _, g := range s.Vars {
		flags := int64(0)
		if g.Share {
			flags |= 1
		}
		if generatorHasSecret(g) {
			flags |= 2
		}
		k = keyenc.Int(keyenc.Strs(keyenc.Str(k, g.Name), g.Machines), flags)
	}
	c.mu.Lock()
	if c.accessKey != nil && bytes.Equal(c.accessKey, k) {
		rows := c.accessRows
		c.accessSpare = k // the next key is written into this one
		c.mu.Unlock()
		return rows
	}
	c.mu.Unlock()
	rows := access(s, s.keys)
	c.mu.Lock()
	c.accessSpare = c.accessKey
	c.accessKey, c.accessRows = k, rows
	c.mu.Unlock()
	return rows
}
