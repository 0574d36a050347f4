package gen

// The generator sorts with these instead of package sort: sort.Slice and
// sort.SliceStable swap through reflection (internal/reflectlite's
// Swapper), and with them package sort and reflectlite were about 28 KB of
// the wasm module's code. The merge sort here is one non-generic function;
// sortStable adds only a copy loop per element type.

// stableOrder returns the indices 0..n-1 ordered by less, equal elements
// in their original order: a bottom-up merge sort of the indices.
func stableOrder(n int, less func(i, j int) bool) []int {
	a := make([]int, n)
	for i := range a {
		a[i] = i
	}
	if n < 2 {
		return a
	}
	b := make([]int, n)
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				// From the right only when strictly less: stable.
				if less(a[j], a[i]) {
					b[k] = a[j]
					j++
				} else {
					b[k] = a[i]
					i++
				}
				k++
			}
			k += copy(b[k:], a[i:mid])
			copy(b[k:], a[j:hi])
		}
		a, b = b, a
	}
	return a
}

// sortStable sorts s by less, keeping equal elements in their order.
func sortStable[T any](s []T, less func(a, b *T) bool) {
	if len(s) < 2 {
		return
	}
	order := stableOrder(len(s), func(i, j int) bool { return less(&s[i], &s[j]) })
	sorted := make([]T, len(s))
	for k, i := range order {
		sorted[k] = s[i]
	}
	copy(s, sorted)
}
