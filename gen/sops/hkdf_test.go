package sops

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"math/rand"
	"testing"
)

// TestHKDFMatchesStandardLibrary holds the package's own HMAC-SHA256 and
// HKDF-SHA256 (which keep crypto/hmac and crypto/hkdf out of the wasm
// module) to the standard library's, for keys shorter and longer than the
// hash block, empty and nil salts, and every output length age uses.
func TestHKDFMatchesStandardLibrary(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := func(n int) []byte {
		b := make([]byte, n)
		rng.Read(b)
		return b
	}
	for _, keyLen := range []int{0, 1, 32, 63, 64, 65, 200} {
		key := random(keyLen)
		for _, msgs := range [][][]byte{nil, {random(0)}, {random(5)}, {random(64), random(100), {1}}} {
			got := hmacSHA256(key, msgs...)
			mac := hmac.New(sha256.New, key)
			for _, m := range msgs {
				mac.Write(m)
			}
			if want := mac.Sum(nil); !bytes.Equal(got[:], want) {
				t.Errorf("hmacSHA256(key of %d bytes, %d parts) = %x, crypto/hmac gives %x", keyLen, len(msgs), got, want)
			}
		}
	}
	for _, tc := range []struct {
		secret, salt []byte
		info         string
		n            int
	}{
		{random(32), nil, "header", 32},
		{random(16), random(16), "payload", 32},
		{random(32), random(64), "age-encryption.org/v1/X25519", 32},
		{random(100), []byte{}, "", 16},
		{random(1), random(70), "x", 1},
	} {
		want, err := hkdf.Key(sha256.New, tc.secret, tc.salt, tc.info, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := hkdfSHA256(tc.secret, tc.salt, tc.info, tc.n); !bytes.Equal(got, want) {
			t.Errorf("hkdfSHA256(info %q, %d bytes) = %x, crypto/hkdf gives %x", tc.info, tc.n, got, want)
		}
	}
}
