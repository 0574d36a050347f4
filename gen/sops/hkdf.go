package sops

import "crypto/sha256"

// The HMAC-SHA256 and HKDF-SHA256 (RFC 2104, RFC 5869) that age and the
// key streams use, written on crypto/sha256 alone: crypto/hmac and
// crypto/hkdf work for any hash, and bring every hash the FIPS module knows
// (SHA-3, SHA-512 for HMAC and its checks, about 30 KB of the wasm module).
// TestHKDFMatchesStandardLibrary holds them to crypto/hkdf and crypto/hmac.

// hmacSHA256 returns HMAC-SHA256(key, the concatenation of msg).
func hmacSHA256(key []byte, msg ...[]byte) [sha256.Size]byte {
	var block [sha256.BlockSize]byte
	if len(key) > len(block) {
		sum := sha256.Sum256(key)
		copy(block[:], sum[:])
	} else {
		copy(block[:], key)
	}
	for i := range block {
		block[i] ^= 0x36 // ipad
	}
	h := sha256.New()
	h.Write(block[:])
	for _, m := range msg {
		h.Write(m)
	}
	var inner [sha256.Size]byte
	h.Sum(inner[:0])
	for i := range block {
		block[i] ^= 0x36 ^ 0x5c // ipad off, opad on
	}
	h.Reset()
	h.Write(block[:])
	h.Write(inner[:])
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// hkdfSHA256 returns the first n (at most 32) bytes of HKDF-SHA256 with
// the given input key material, salt and info: one HMAC block of output is
// all age and the key streams need.
func hkdfSHA256(secret, salt []byte, info string, n int) []byte {
	if n > sha256.Size {
		panic("sops: hkdfSHA256 derives at most 32 bytes")
	}
	prk := hmacSHA256(salt, secret)
	okm := hmacSHA256(prk[:], []byte(info), []byte{1})
	return okm[:n]
}
