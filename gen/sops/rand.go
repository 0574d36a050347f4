package sops

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"io"
)

// KeyStream returns an endless deterministic byte stream for one file:
// AES-256-CTR keyed by HKDF-SHA256(seed, info). Deriving a separate stream
// per file (info names the file) means one file's bytes do not change when
// another file's inputs do.
//
// The stream is only as secret as seed: whoever knows seed and info can
// recompute every data key drawn from it.
func KeyStream(seed []byte, info string) io.Reader {
	key, err := hkdf.Key(sha256.New, seed, nil, info, 32)
	if err != nil {
		// Only reachable for absurd lengths; 32 bytes is always allowed.
		panic(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	return &zeroXOR{s: cipher.NewCTR(block, make([]byte, aes.BlockSize))}
}

type zeroXOR struct{ s cipher.Stream }

func (z *zeroXOR) Read(p []byte) (int, error) {
	clear(p)
	z.s.XORKeyStream(p, p)
	return len(p), nil
}
