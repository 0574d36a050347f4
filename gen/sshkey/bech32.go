package sshkey

import (
	"errors"
	"strings"
)

// Bech32 (BIP-173, the original checksum constant 1, not bech32m) is the
// text form of age recipients and identities. It is written here rather than
// imported so the wasm build carries only these few lines, and so raw age1…
// recipients can be validated without pulling in filippo.io/age.

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32Rev maps an ASCII byte to its 5-bit value, or -1.
var bech32Rev = func() (t [128]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(bech32Charset); i++ {
		t[bech32Charset[i]] = int8(i)
	}
	return t
}()

var bech32Gen = [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}

func bech32Polymod(values []byte) uint32 {
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= bech32Gen[i]
			}
		}
	}
	return chk
}

// bech32HRPExpand is the HRP as it enters the checksum: high bits, a zero,
// then low bits of every character.
func bech32HRPExpand(hrp string) []byte {
	out := make([]byte, 0, len(hrp)*2+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// convertBits regroups a bit stream from groups of `from` bits into groups of
// `to` bits. When decoding (pad false) leftover bits must be fewer than
// `from` and zero, as BIP-173 requires, so each byte string has exactly one
// encoding.
func convertBits(data []byte, from, to uint, pad bool) ([]byte, bool) {
	var acc uint32
	var bits uint
	maxv := uint32(1)<<to - 1
	out := make([]byte, 0, len(data)*int(from)/int(to)+1)
	for _, b := range data {
		if uint32(b)>>from != 0 {
			return nil, false
		}
		acc = acc<<from | uint32(b)
		bits += from
		for bits >= to {
			bits -= to
			out = append(out, byte(acc>>bits&maxv))
		}
	}
	if pad {
		if bits > 0 {
			out = append(out, byte(acc<<(to-bits)&maxv))
		}
	} else if bits >= from || acc<<(to-bits)&maxv != 0 {
		return nil, false
	}
	return out, true
}

// bech32Encode returns the lower-case bech32 string of data under hrp. The
// caller upper-cases the whole string when it needs the upper-case form (age
// identities); the checksum is the same for both cases.
func bech32Encode(hrp string, data []byte) string {
	hrp = strings.ToLower(hrp)
	five, _ := convertBits(data, 8, 5, true)
	values := append(bech32HRPExpand(hrp), five...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	mod := bech32Polymod(values) ^ 1
	var sb strings.Builder
	sb.Grow(len(hrp) + 1 + len(five) + 6)
	sb.WriteString(hrp)
	sb.WriteByte('1')
	for _, v := range five {
		sb.WriteByte(bech32Charset[v])
	}
	for i := 0; i < 6; i++ {
		sb.WriteByte(bech32Charset[(mod>>(5*(5-i)))&31])
	}
	return sb.String()
}

// Errors from bech32Decode. They carry no part of the input.
var (
	errBech32Case     = errors.New("mixes upper and lower case")
	errBech32Char     = errors.New("contains a character that bech32 does not use")
	errBech32Sep      = errors.New("has no data part after the last 1")
	errBech32Checksum = errors.New("has a wrong checksum")
	errBech32Padding  = errors.New("has invalid padding bits")
)

// bech32Decode checks s (all lower or all upper case) and returns its HRP in
// lower case and its 8-bit payload. No length limit is applied: age plugin
// identities exceed BIP-173's 90 characters.
func bech32Decode(s string) (hrp string, data []byte, err error) {
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			return "", nil, errBech32Char
		}
		lower = lower || c >= 'a' && c <= 'z'
		upper = upper || c >= 'A' && c <= 'Z'
	}
	if lower && upper {
		return "", nil, errBech32Case
	}
	s = strings.ToLower(s)
	pos := strings.LastIndexByte(s, '1')
	if pos < 1 || pos+7 > len(s) {
		return "", nil, errBech32Sep
	}
	hrp = s[:pos]
	five := make([]byte, 0, len(s)-pos-1)
	for i := pos + 1; i < len(s); i++ {
		v := bech32Rev[s[i]]
		if v < 0 {
			return "", nil, errBech32Char
		}
		five = append(five, byte(v))
	}
	if bech32Polymod(append(bech32HRPExpand(hrp), five...)) != 1 {
		return "", nil, errBech32Checksum
	}
	data, ok := convertBits(five[:len(five)-6], 5, 8, false)
	if !ok {
		return "", nil, errBech32Padding
	}
	return hrp, data, nil
}
