//go:build !js

package sops

import (
	"sync"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// A fleet's stubs are encrypted to the same few recipients over and over:
// every admin reads every stub, so a thousand-machine fleet does hundreds of
// X25519 multiplications by one admin's public key. The Montgomery ladder
// (x25519) costs about nine field operations per scalar bit whatever the
// point. For a point used that often it pays to precompute, once, the
// multiples j·16^i·P (j = 1..8, i = 0..63) in affine form: a multiplication
// is then 64 table lookups and 64 mixed additions, about a quarter of the
// field operations, with no doublings (a fixed-base comb, the technique
// edwards25519 uses for its generator, applied to the recipient's point).
//
// The result is the same u-coordinate the ladder computes: the comb works
// in the Edwards form of Curve25519, which is birationally equivalent to
// the Montgomery form (u = (1+y)/(1-y)), and multiplies by the clamped
// scalar itself, not reduced modulo the group order, so a point with a
// small-order component gives what the ladder gives. A u that has no point
// on the curve (it lies on the twist) keeps the ladder.

// combAfter is how many multiplications by one point a process does with the
// ladder before building that point's table. Building costs about four
// ladders and each multiplication by the table saves two thirds of one
// (BenchmarkX25519Comb here: 154 µs to build, 14 µs a multiplication, 42
// µs a ladder), so a table pays for itself from about the tenth use, and a
// point used only a few times keeps the ladder.
const combAfter = 4

// combMaxTables bounds how many points have tables (61 KB each), and
// combMaxPoints how many points are counted, so a process that meets many
// recipients (a long-running serve) keeps its memory bounded; points beyond
// either keep the ladder. Points seen once do not use up the tables.
const (
	combMaxTables = 64
	combMaxPoints = 4096
)

// niels is an affine point (x, y) kept as y+x, y-x and 2d·x·y: the form the
// mixed addition reads.
type niels struct {
	yPlusX, yMinusX, xy2d field.Element
}

// combTable holds j·16^i·P for j = 1..8 in entry [i][j-1].
type combTable [64][8]niels

// combEntry is one point's use count and, from combAfter uses on, its table
// (nil when u is not on the curve).
type combEntry struct {
	uses  int
	once  sync.Once
	table *combTable
}

var (
	combMu     sync.Mutex
	combPoints = map[[32]byte]*combEntry{}
	combTables int // entries of combPoints past combAfter uses
)

// twoD is 2d, d = -121665/121666 being the Edwards curve constant.
var twoD = func() field.Element {
	var num, den, d field.Element
	num.Mult32(new(field.Element).One(), 121665)
	num.Negate(&num)
	den.Mult32(new(field.Element).One(), 121666)
	d.Multiply(&num, den.Invert(&den))
	return *d.Add(&d, &d)
}()

// x25519Fixed is x25519(scalar, u) for a point u the process multiplies
// by often (a recipient's public key): by the ladder until u has been seen
// combAfter times, then by u's comb table.
func x25519Fixed(scalar, u []byte) ([]byte, error) {
	if len(scalar) != 32 || len(u) != 32 {
		return x25519(scalar, u)
	}
	t := combTableFor([32]byte(u))
	if t == nil {
		return x25519(scalar, u)
	}
	return t.mult(scalar)
}

// combTableFor returns u's table once u has been asked for combAfter times
// and a table can exist for it, else nil.
func combTableFor(u [32]byte) *combTable {
	combMu.Lock()
	e := combPoints[u]
	if e == nil {
		if len(combPoints) >= combMaxPoints {
			combMu.Unlock()
			return nil
		}
		e = &combEntry{}
		combPoints[u] = e
	}
	if e.uses == combAfter {
		if combTables >= combMaxTables {
			combMu.Unlock()
			return nil // stays at combAfter uses: the ladder from now on
		}
		combTables++
	}
	e.uses++
	ready := e.uses > combAfter
	combMu.Unlock()
	if !ready {
		return nil
	}
	e.once.Do(func() { e.table = newCombTable(u[:]) })
	return e.table
}

// newCombTable builds u's table, or returns nil when u is not the
// u-coordinate of a point on the curve (or is -1, the point at infinity's
// image, which has no Edwards y).
func newCombTable(u []byte) *combTable {
	var x1, num, den, y field.Element
	if _, err := x1.SetBytes(u); err != nil {
		return nil
	}
	one := new(field.Element).One()
	num.Subtract(&x1, one)
	den.Add(&x1, one)
	if den.Equal(new(field.Element).Zero()) == 1 {
		return nil
	}
	y.Multiply(&num, den.Invert(&den))
	// Either x with this y will do: u(-Q) = u(Q), and k·(-P) = -(k·P).
	p, err := new(edwards25519.Point).SetBytes(y.Bytes())
	if err != nil {
		return nil // on the twist
	}

	// j·16^i·P in extended coordinates, then all made affine with one
	// inversion (Montgomery's trick).
	var pts [64 * 8]edwards25519.Point
	base := new(edwards25519.Point).Set(p)
	for i := 0; i < 64; i++ {
		row := pts[i*8 : i*8+8]
		row[0].Set(base)
		row[1].Double(base)
		for j := 2; j < 8; j++ {
			row[j].Add(&row[j-1], base)
		}
		base.Double(&row[7]) // 16·16^i·P
	}
	var zs, prefix [64 * 8]field.Element
	acc := new(field.Element).One()
	for i := range pts {
		_, _, z, _ := pts[i].ExtendedCoordinates()
		zs[i] = *z
		prefix[i] = *acc
		acc.Multiply(acc, z)
	}
	inv := new(field.Element).Invert(acc)
	t := new(combTable)
	for i := len(pts) - 1; i >= 0; i-- {
		var zInv, x, yy field.Element
		zInv.Multiply(inv, &prefix[i]) // 1/z_i
		inv.Multiply(inv, &zs[i])      // 1/(z_0…z_{i-1})
		X, Y, _, _ := pts[i].ExtendedCoordinates()
		x.Multiply(X, &zInv)
		yy.Multiply(Y, &zInv)
		n := &t[i/8][i%8]
		n.yPlusX.Add(&yy, &x)
		n.yMinusX.Subtract(&yy, &x)
		n.xy2d.Multiply(&x, &yy)
		n.xy2d.Multiply(&n.xy2d, &twoD)
	}
	return t
}

// mult returns the u-coordinate of k·P, k being scalar clamped as X25519
// clamps it, in constant time in the scalar: every entry of each row is
// read and every row added.
func (t *combTable) mult(scalar []byte) ([]byte, error) {
	var k [32]byte
	copy(k[:], scalar)
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64

	// Signed radix-16 digits in [-8, 8]: the top one is at most 8, as
	// clamping leaves bit 255 clear.
	var e [64]int8
	for i, b := range k {
		e[2*i] = int8(b & 15)
		e[2*i+1] = int8(b >> 4)
	}
	for i := 0; i < 63; i++ {
		carry := (e[i] + 8) >> 4
		e[i] -= carry << 4
		e[i+1] += carry
	}

	// The accumulator, in extended coordinates, starts at the identity.
	var X, Y, Z, T field.Element
	X.Zero()
	Y.One()
	Z.One()
	T.Zero()
	var n niels
	var a, b, c, d, ee, f, g, h field.Element
	for i := range e {
		digit := int(e[i])
		neg := int(uint(digit) >> (bitsInt - 1)) // 1 when digit < 0
		abs := digit - (2*digit)&-neg            // |digit|, branch-free
		// The identity in this form: y+x = 1, y-x = 1, 2dxy = 0.
		n.yPlusX.One()
		n.yMinusX.One()
		n.xy2d.Zero()
		for j := 1; j <= 8; j++ {
			cond := ctEq(abs, j)
			row := &t[i][j-1]
			n.yPlusX.Select(&row.yPlusX, &n.yPlusX, cond)
			n.yMinusX.Select(&row.yMinusX, &n.yMinusX, cond)
			n.xy2d.Select(&row.xy2d, &n.xy2d, cond)
		}
		// -(x, y) = (-x, y): swap y+x with y-x, negate 2dxy.
		n.yPlusX.Swap(&n.yMinusX, neg)
		c.Negate(&n.xy2d)
		n.xy2d.Select(&c, &n.xy2d, neg)

		// Mixed addition (extended + affine, a = -1).
		a.Subtract(&Y, &X)
		a.Multiply(&a, &n.yMinusX)
		b.Add(&Y, &X)
		b.Multiply(&b, &n.yPlusX)
		c.Multiply(&T, &n.xy2d)
		d.Add(&Z, &Z)
		ee.Subtract(&b, &a)
		f.Subtract(&d, &c)
		g.Add(&d, &c)
		h.Add(&b, &a)
		X.Multiply(&ee, &f)
		Y.Multiply(&g, &h)
		T.Multiply(&ee, &h)
		Z.Multiply(&f, &g)
	}

	// u = (1+y)/(1-y) = (Z+Y)/(Z-Y); the identity (Z = Y) maps to 0, as
	// the ladder's result is 0 there.
	var un, ud field.Element
	un.Add(&Z, &Y)
	ud.Subtract(&Z, &Y)
	un.Multiply(&un, ud.Invert(&ud))
	return checkShared(un.Bytes())
}

// bitsInt is the width of int, for the sign mask above.
const bitsInt = 32 << (^uint(0) >> 63)

// ctEq returns 1 when a == b and 0 otherwise, without a branch on them.
func ctEq(a, b int) int {
	x := uint64(a ^ b)
	return int(1 ^ ((x | -x) >> 63))
}
