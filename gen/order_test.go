package gen

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortStableMatchesSlices: sortStable orders like slices.SortStableFunc,
// equal keys in their original order, for lengths around the merge sort's
// run boundaries and for random inputs with many ties.
func TestSortStableMatchesSlices(t *testing.T) {
	type item struct{ key, seq int }
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000} {
		for round := range 20 {
			s := make([]item, n)
			for i := range s {
				s[i] = item{key: r.IntN(max(1, n/3+round%3)), seq: i}
			}
			want := slices.Clone(s)
			slices.SortStableFunc(want, func(a, b item) int { return cmp.Compare(a.key, b.key) })
			sortStable(s, func(a, b *item) bool { return a.key < b.key })
			if !slices.Equal(s, want) {
				t.Fatalf("n=%d round %d:\n got %v\nwant %v", n, round, s, want)
			}
		}
	}
}

// TestStableOrderIsAPermutation: every index appears once.
func TestStableOrderIsAPermutation(t *testing.T) {
	keys := []int{3, 1, 2, 3, 1, 0, 2}
	got := stableOrder(len(keys), func(i, j int) bool { return keys[i] < keys[j] })
	if want := []int{5, 1, 4, 2, 6, 0, 3}; !slices.Equal(got, want) {
		t.Errorf("stableOrder = %v, want %v", got, want)
	}
}
