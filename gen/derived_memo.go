package gen

import "github.com/fleetyard/fleetyard/gen/internal/keyenc"

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
