package gen

import "strings"

// byteEscaper puts a backslash before every byte of s that is in the
// escaper's set, as a strings.Replacer of one-byte pairs would: the
// Replacer's builders and tries were about 20 KB of the wasm module for
// the two fixed sets the generator needs (mdEscaper, dropSeparators).
type byteEscaper string

// Replace returns s with a backslash before each byte in e.
func (e byteEscaper) Replace(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(string(e), s[i]) >= 0 {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+n)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(string(e), s[i]) >= 0 {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// byteDropper removes every byte of s that is in its set.
type byteDropper string

// Replace returns s without the bytes in d.
func (d byteDropper) Replace(s string) string {
	if !strings.ContainsAny(s, string(d)) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(string(d), s[i]) < 0 {
			b = append(b, s[i])
		}
	}
	return string(b)
}
