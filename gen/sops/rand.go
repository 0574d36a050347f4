package sops

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"io"
	"slices"
	"time"
)

// KeyStream returns an endless deterministic byte stream for one file:
// AES-256-CTR keyed by HKDF-SHA256(seed, info). Deriving a separate stream
// per file (info names the file) means one file's bytes do not change when
// another file's inputs do.
//
// The stream is only as secret as seed: whoever knows seed and info can
// recompute every data key drawn from it.
func KeyStream(seed []byte, info string) io.Reader {
	key := hkdfSHA256(seed, nil, info, 32)
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	return &zeroXOR{s: cipher.NewCTR(block, make([]byte, aes.BlockSize))}
}

// StubKeyStream is the [KeyStream] of one encrypted stub: its data key,
// nonces and age stanzas. Besides the entropy and the file's path it binds
// the set of recipients (sorted, so the order in .sops.yaml does not
// matter) and the sops lastmodified time. The same entropy with a
// different reader set therefore gives a different data key: re-exporting
// after revoking someone's key never hands the new stub a data key that
// person already derived from an earlier export.
//
// Every field is length-prefixed behind a version label, so no two
// different inputs share an info string (a recipient cannot run into the
// path, or the time into a recipient).
func StubKeyStream(entropy []byte, path string, recipients []string, now time.Time) io.Reader {
	rs := slices.Clone(recipients)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	fields := append([]string{"fleetyard sops stub v2", path, Timestamp(now)}, rs...)
	var info []byte
	for _, f := range fields {
		info = binary.BigEndian.AppendUint32(info, uint32(len(f)))
		info = append(info, f...)
	}
	return KeyStream(entropy, string(info))
}

type zeroXOR struct{ s cipher.Stream }

func (z *zeroXOR) Read(p []byte) (int, error) {
	clear(p)
	z.s.XORKeyStream(p, p)
	return len(p), nil
}
