// Package bech32 implements BIP-173 Bech32 (the original checksum, not
// Bech32m), the text form of age recipients and identities. It is small and
// written here rather than imported so the wasm build carries only these
// lines, and both the key parser and the sops writer use it.
package bech32

import (
	"errors"
	"strings"
)

const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// rev maps an ASCII byte to its 5-bit value, or -1.
var rev = func() (t [128]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(charset); i++ {
		t[charset[i]] = int8(i)
	}
	return t
}()

var generator = [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}

func polymod(values []byte) uint32 {
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= generator[i]
			}
		}
	}
	return chk
}

// hrpExpand is the HRP as it enters the checksum: high bits, a zero,
// then low bits of every character.
func hrpExpand(hrp string) []byte {
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

// Encode returns the lower-case bech32 string of data under hrp. The
// caller upper-cases the whole string when it needs the upper-case form (age
// identities); the checksum is the same for both cases.
func Encode(hrp string, data []byte) string {
	hrp = strings.ToLower(hrp)
	five, _ := convertBits(data, 8, 5, true)
	values := append(hrpExpand(hrp), five...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	mod := polymod(values) ^ 1
	var sb strings.Builder
	sb.Grow(len(hrp) + 1 + len(five) + 6)
	sb.WriteString(hrp)
	sb.WriteByte('1')
	for _, v := range five {
		sb.WriteByte(charset[v])
	}
	for i := 0; i < 6; i++ {
		sb.WriteByte(charset[(mod>>(5*(5-i)))&31])
	}
	return sb.String()
}

// Errors from Decode. They carry no part of the input.
var (
	ErrCase      = errors.New("mixes upper and lower case")
	ErrChar      = errors.New("contains a character that bech32 does not use")
	ErrSeparator = errors.New("has no data part after the last 1")
	ErrChecksum  = errors.New("has a wrong checksum")
	ErrPadding   = errors.New("has invalid padding bits")
)

// Decode checks s (all lower or all upper case) and returns its HRP in
// lower case and its 8-bit payload. No length limit is applied: age plugin
// identities exceed BIP-173's 90 characters.
func Decode(s string) (hrp string, data []byte, err error) {
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			return "", nil, ErrChar
		}
		lower = lower || c >= 'a' && c <= 'z'
		upper = upper || c >= 'A' && c <= 'Z'
	}
	if lower && upper {
		return "", nil, ErrCase
	}
	s = strings.ToLower(s)
	pos := strings.LastIndexByte(s, '1')
	if pos < 1 || pos+7 > len(s) {
		return "", nil, ErrSeparator
	}
	hrp = s[:pos]
	five := make([]byte, 0, len(s)-pos-1)
	for i := pos + 1; i < len(s); i++ {
		v := rev[s[i]]
		if v < 0 {
			return "", nil, ErrChar
		}
		five = append(five, byte(v))
	}
	if polymod(append(hrpExpand(hrp), five...)) != 1 {
		return "", nil, ErrChecksum
	}
	data, ok := convertBits(five[:len(five)-6], 5, 8, false)
	if !ok {
		return "", nil, ErrPadding
	}
	return hrp, data, nil
}
