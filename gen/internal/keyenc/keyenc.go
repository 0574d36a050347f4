// Package keyenc writes the memo keys of incremental generation: values
// length-prefixed (strings) or count-prefixed (lists), so that two different
// sequences of values never encode alike and a key can be built by plain
// concatenation.
package keyenc

import "strconv"

// Str appends s as its length, ':' and its bytes.
func Str(dst []byte, s string) []byte {
	dst = strconv.AppendInt(dst, int64(len(s)), 10)
	dst = append(dst, ':')
	return append(dst, s...)
}

// Strs appends ss as its count, '[' and each element as [Str] writes it.
func Strs(dst []byte, ss []string) []byte {
	dst = strconv.AppendInt(dst, int64(len(ss)), 10)
	dst = append(dst, '[')
	for _, s := range ss {
		dst = Str(dst, s)
	}
	return dst
}

// Int appends n and ';'.
func Int(dst []byte, n int64) []byte {
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, ';')
}
