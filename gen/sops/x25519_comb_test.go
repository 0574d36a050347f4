//go:build !js

package sops

import (
	"bytes"
	"crypto/ecdh"
	"encoding/hex"
	"io"
	"testing"

	"filippo.io/edwards25519"
)

// combAgrees reports whether u's comb table (when u has one) gives the
// ladder's answer for scalar, error for error.
func combAgrees(t *testing.T, table *combTable, scalar, u []byte) {
	t.Helper()
	want, werr := x25519(scalar, u)
	got, gerr := table.mult(scalar)
	if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
		t.Fatalf("scalar %x, u %x: comb %x (%v), ladder %x (%v)", scalar, u, got, gerr, want, werr)
	}
}

// TestX25519CombMatchesLadder checks the recipients' comb tables against the
// ladder (itself checked against RFC 7748 and crypto/ecdh in TestX25519):
// ordinary public keys, points with a small-order component (the clamped
// scalar is a multiple of 8, so the comb must not reduce it modulo the group
// order), low-order points (both refused) and, for u on the twist, no table.
func TestX25519CombMatchesLadder(t *testing.T) {
	r := KeyStream([]byte("x25519 comb"), "vectors")
	read := func() []byte {
		b := make([]byte, 32)
		io.ReadFull(r, b)
		return b
	}
	// The order-4 point (x, y) = (sqrt(-1), 0): y = 0 encodes as 32 zero
	// bytes.
	torsion, err := new(edwards25519.Point).SetBytes(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		priv, err := ecdh.X25519().NewPrivateKey(read())
		if err != nil {
			t.Fatal(err)
		}
		u := priv.PublicKey().Bytes()
		table := newCombTable(u)
		if table == nil {
			t.Fatalf("no table for the public key %x", u)
		}
		for range 10 {
			combAgrees(t, table, read(), u)
		}
		// The same point plus the order-4 point.
		s, _ := edwards25519.NewScalar().SetBytesWithClamping(priv.Bytes())
		pt := new(edwards25519.Point).ScalarBaseMult(s)
		mixed := new(edwards25519.Point).Add(pt, torsion).BytesMontgomery()
		if bytes.Equal(mixed, u) {
			t.Fatal("adding the order-4 point left u unchanged")
		}
		mt := newCombTable(mixed)
		if mt == nil {
			t.Fatalf("no table for %x, a point with a small-order component", mixed)
		}
		for range 5 {
			combAgrees(t, mt, read(), mixed)
		}
	}

	// Low-order points: u = 0 (order 2) and u = 1 (order 4). Both have a
	// table; both give the all-zero result the ladder refuses.
	for _, u := range [][]byte{make([]byte, 32), append([]byte{1}, make([]byte, 31)...)} {
		table := newCombTable(u)
		if table == nil {
			t.Fatalf("no table for the low-order u %x", u)
		}
		if _, err := table.mult(read()); err == nil {
			t.Errorf("low-order u %x accepted", u)
		}
		combAgrees(t, table, read(), u)
	}

	// Random u: about half are on the twist (no table, the ladder stays);
	// the others must agree.
	var on, twist int
	for range 200 {
		u := read()
		table := newCombTable(u)
		if table == nil {
			twist++
			continue
		}
		on++
		combAgrees(t, table, read(), u)
	}
	if on < 50 || twist < 50 {
		t.Errorf("of 200 random u, %d had a table and %d did not: expected about half each", on, twist)
	}

	// u = -1 has no Edwards y.
	minusOne, _ := hex.DecodeString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	if newCombTable(minusOne) != nil {
		t.Error("u = -1 got a table")
	}
}

// TestX25519FixedSwitchesToTheComb checks x25519Fixed's switch: the first
// combAfter multiplications by a point take the ladder, later ones the
// table, and all give the same bytes.
func TestX25519FixedSwitchesToTheComb(t *testing.T) {
	r := KeyStream([]byte("x25519 fixed"), "switch")
	seed := make([]byte, 32)
	io.ReadFull(r, seed)
	priv, _ := ecdh.X25519().NewPrivateKey(seed)
	u := priv.PublicKey().Bytes()
	for i := range combAfter + 3 {
		scalar := make([]byte, 32)
		io.ReadFull(r, scalar)
		want, _ := x25519(scalar, u)
		got, err := x25519Fixed(scalar, u)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("multiplication %d: %x (%v), want %x", i+1, got, err, want)
		}
	}
	combMu.Lock()
	e := combPoints[[32]byte(u)]
	combMu.Unlock()
	if e == nil || e.table == nil {
		t.Fatalf("after %d multiplications the point has no table", combAfter+3)
	}
}

// FuzzX25519Comb: for any scalar and u with a table, the comb and the
// ladder agree.
func FuzzX25519Comb(f *testing.F) {
	f.Add(make([]byte, 32), make([]byte, 32))
	rfc, _ := hex.DecodeString("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")
	f.Add(bytes.Repeat([]byte{0xa5}, 32), rfc)
	f.Fuzz(func(t *testing.T, scalar, u []byte) {
		if len(scalar) != 32 || len(u) != 32 {
			return
		}
		if table := newCombTable(u); table != nil {
			combAgrees(t, table, scalar, u)
		}
	})
}

// BenchmarkX25519Comb compares one variable-base multiplication by the
// ladder with one by a built table, and prints what building a table costs
// (combAfter is set from the ratio).
func BenchmarkX25519Comb(b *testing.B) {
	r := KeyStream([]byte("x25519 comb"), "bench")
	seed, scalar := make([]byte, 32), make([]byte, 32)
	io.ReadFull(r, seed)
	io.ReadFull(r, scalar)
	priv, _ := ecdh.X25519().NewPrivateKey(seed)
	u := priv.PublicKey().Bytes()
	b.Run("ladder", func(b *testing.B) {
		for b.Loop() {
			x25519(scalar, u)
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			newCombTable(u)
		}
	})
	table := newCombTable(u)
	b.Run("comb", func(b *testing.B) {
		for b.Loop() {
			table.mult(scalar)
		}
	})
}

// TestX25519FixedBoundsItsTables: once combMaxTables points have tables, a
// point used often keeps the ladder (same bytes), and points used once do
// not count toward the tables.
func TestX25519FixedBoundsItsTables(t *testing.T) {
	combMu.Lock()
	saved, savedTables := combPoints, combTables
	combPoints, combTables = map[[32]byte]*combEntry{}, 0
	combMu.Unlock()
	t.Cleanup(func() {
		combMu.Lock()
		combPoints, combTables = saved, savedTables
		combMu.Unlock()
	})
	r := KeyStream([]byte("x25519 fixed"), "bounds")
	read := func() []byte {
		b := make([]byte, 32)
		io.ReadFull(r, b)
		return b
	}
	point := func() []byte {
		priv, err := ecdh.X25519().NewPrivateKey(read())
		if err != nil {
			t.Fatal(err)
		}
		return priv.PublicKey().Bytes()
	}
	use := func(u []byte, times int) {
		for range times {
			scalar := read()
			want, _ := x25519(scalar, u)
			if got, err := x25519Fixed(scalar, u); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("x25519Fixed(%x) = %x (%v), want %x", u, got, err, want)
			}
		}
	}
	for range 100 {
		use(point(), 1) // seen once: no table, and no count toward them
	}
	for range combMaxTables {
		use(point(), combAfter+1)
	}
	late := point()
	use(late, combAfter+3)
	combMu.Lock()
	defer combMu.Unlock()
	if combTables != combMaxTables {
		t.Errorf("%d tables counted, want %d", combTables, combMaxTables)
	}
	if e := combPoints[[32]byte(late)]; e == nil || e.table != nil {
		t.Errorf("a point past the limit got a table")
	}
}
