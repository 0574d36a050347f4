// Package affix measures what two texts share at their ends: the length of
// their common prefix and of their common suffix. Both memos that compare a
// keystroke's text with the previous one (the README's and the JSON
// parser's) start here, eight bytes at a time.
package affix

import "encoding/binary"

// Prefix is the length of the longest common prefix of a and b.
func Prefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// Suffix is the length of the longest common suffix of a and b.
func Suffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[len(a)-i-8:]) == binary.LittleEndian.Uint64(b[len(b)-i-8:]) {
		i += 8
	}
	for i < n && a[len(a)-i-1] == b[len(b)-i-1] {
		i++
	}
	return i
}
