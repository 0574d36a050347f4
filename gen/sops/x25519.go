package sops

import (
	"errors"
	"sync/atomic"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// x25519 computes the X25519 function of RFC 7748 (scalar times the point
// with Montgomery u-coordinate u), as a Montgomery ladder over the field
// arithmetic of filippo.io/edwards25519, which the ssh-to-age conversion
// already links in. crypto/ecdh would do the same but brings every NIST
// curve into the wasm binary (about +150 KB brotli).
//
// It returns an error when the result is zero, i.e. u is a low-order point:
// age refuses those recipients, and so do we.
func x25519(scalar, u []byte) ([]byte, error) {
	if len(scalar) != 32 || len(u) != 32 {
		return nil, errors.New("x25519: scalar and point must be 32 bytes")
	}
	var k [32]byte
	copy(k[:], scalar)
	// Clamp (RFC 7748 section 5).
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64

	var x1 field.Element
	if _, err := x1.SetBytes(u); err != nil { // ignores the top bit, as RFC 7748 asks
		return nil, err
	}
	var x2, z2, x3, z3 field.Element
	x2.One()
	z2.Zero()
	x3.Set(&x1)
	z3.One()

	var a, aa, b, bb, e, c, d, da, cb, t field.Element
	swap := 0
	for i := 254; i >= 0; i-- {
		bit := int(k[i/8]>>(i%8)) & 1
		swap ^= bit
		x2.Swap(&x3, swap)
		z2.Swap(&z3, swap)
		swap = bit

		a.Add(&x2, &z2)
		aa.Square(&a)
		b.Subtract(&x2, &z2)
		bb.Square(&b)
		e.Subtract(&aa, &bb)
		c.Add(&x3, &z3)
		d.Subtract(&x3, &z3)
		da.Multiply(&d, &a)
		cb.Multiply(&c, &b)

		x3.Add(&da, &cb)
		x3.Square(&x3)
		z3.Subtract(&da, &cb)
		z3.Square(&z3)
		z3.Multiply(&z3, &x1)
		x2.Multiply(&aa, &bb)
		t.Mult32(&e, 121665) // a24 = (486662 - 2) / 4
		t.Add(&t, &aa)
		z2.Multiply(&e, &t)
	}
	x2.Swap(&x3, swap)
	z2.Swap(&z3, swap)

	z2.Invert(&z2)
	x2.Multiply(&x2, &z2)
	return checkShared(x2.Bytes())
}

// checkShared returns out, or an error when it is all zeros (a low-order
// point).
func checkShared(out []byte) ([]byte, error) {
	var zero byte
	for _, v := range out {
		zero |= v
	}
	if zero == 0 {
		return nil, errors.New("x25519: low-order point (all-zero shared secret)")
	}
	return out, nil
}

// ladderFirst is how many fixed-base multiplications a process does with
// the Montgomery ladder before switching to edwards25519's tables (where
// baseTables allows them). The tables are built on their first use, which
// costs about as much as a hundred ladders in WebAssembly (58 ms in
// Chromium); after that each multiplication is several times faster than a
// ladder, which pays off for a fleet with many encrypted stubs.
const ladderFirst = 32

// baseMults counts fixed-base multiplications so far (x25519Base).
var baseMults atomic.Int32

// basePoint is the u-coordinate of the X25519 base point, 9.
var basePoint = [32]byte{9}

// x25519Base is scalar times the base point u = 9: by the ladder for the
// first few calls of the process, then (natively) through the Edwards form, whose
// fixed-base multiplication uses precomputed tables (the clamped scalar
// times the Edwards base point maps to the same u).
func x25519Base(scalar []byte) ([]byte, error) {
	if len(scalar) != 32 {
		return nil, errors.New("x25519: scalar must be 32 bytes")
	}
	if !baseTables || baseMults.Add(1) <= ladderFirst {
		return x25519(scalar, basePoint[:])
	}
	return x25519BaseTable(scalar)
}

// x25519BaseTable is x25519Base through edwards25519's tables.
func x25519BaseTable(scalar []byte) ([]byte, error) {
	s, err := edwards25519.NewScalar().SetBytesWithClamping(scalar)
	if err != nil {
		return nil, err
	}
	return new(edwards25519.Point).ScalarBaseMult(s).BytesMontgomery(), nil
}
