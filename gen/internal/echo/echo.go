// Package echo is the one way Fleetyard repeats user text in a message.
//
// Diagnostics are printed on terminals (`fleetyard validate`), returned by
// the WebAssembly module and shown in the playground, so any piece of the
// user's input they quote must be harmless there: a private key pasted in
// the wrong place is not repeated, control characters (an ESC that starts a
// terminal escape sequence, a BEL, a line break that forges a second output
// line, a bidi override that reorders what is shown) are written as escapes,
// and the quote is short.
//
// Every function here obeys the same three rules, which [Check] tests:
// no private key material (the detector of gen/sshkey decides), only
// printable characters (strconv.IsPrint, the same set as unicode.IsPrint
// with smaller tables in the browser build), and a bounded length.
package echo

import (
	"strconv"
	"strings"

	"unicode/utf8"

	"github.com/fleetyard/fleetyard/gen/sshkey"
)

// MaxRunes is how many characters of user text a quote shows before it is
// cut with "…": enough to recognise a value, short enough that a pasted
// file does not flood the terminal.
const MaxRunes = 80

// Hidden replaces a value that holds private key material.
const Hidden = "<private key, not shown>"

// HiddenMessage replaces a whole message that [Clean] finds private key
// material in.
const HiddenMessage = "<message not shown: it would repeat private key material>"

// Quote returns s in double quotes, safe to print: private key material is
// replaced by [Hidden] (without quotes), characters that are not printable
// become Go-style escapes (\x1b, \n, \u202e), '"' and '\' are escaped, and
// more than [MaxRunes] characters are cut with "…".
func Quote(s string) string {
	if sshkey.ContainsPrivate(s) {
		return Hidden
	}
	q := `"` + escape(s, MaxRunes, true) + `"`
	// Escaping joins lines, which could put a private key's markers on one
	// line where the line-based detector now sees them.
	if sshkey.ContainsPrivate(q) {
		return Hidden
	}
	return q
}

// Name returns s as it is when it is a plain name (ASCII letters, digits
// and . _ - @ : / + =, at most MaxRunes long, not key material), and
// [Quote](s) otherwise. It is for lists of names and field paths, where
// quotes around every ordinary name would be noise.
func Name(s string) string {
	if s == "" || len(s) > MaxRunes || sshkey.ContainsPrivate(s) {
		return Quote(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-@:/+=", c) >= 0) {
			return Quote(s)
		}
	}
	return s
}

// Names applies [Name] to each element and joins them with ", ".
func Names(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = Name(s)
	}
	return strings.Join(out, ", ")
}

// Char describes one character found in the input: 'x' when it is
// printable, otherwise its code point (U+001B).
func Char(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "an invalid character"
	case r == '\'':
		return `"'"`
	case strconv.IsPrint(r):
		return "'" + string(r) + "'"
	}
	return "character U+" + strings.ToUpper(hex(uint32(r), 4))
}

// Check reports why text is not safe to print, or "" when it is: it holds
// private key material, a character that is not printable, or more than
// max characters. Tests use it on every diagnostic.
func Check(text string, max int) string {
	switch {
	case sshkey.ContainsPrivate(text):
		return "private key material"
	case utf8.RuneCountInString(text) > max:
		return "longer than " + strconv.Itoa(max) + " characters"
	case !utf8.ValidString(text):
		return "invalid UTF-8"
	}
	for _, r := range text {
		if !strconv.IsPrint(r) {
			return "character U+" + strings.ToUpper(hex(uint32(r), 4)) + " is not printable"
		}
	}
	return ""
}

// Clean makes a composed message safe to print. Messages build their quotes
// with [Quote] and [Name], so Clean changes nothing in a correct one; it is
// the last line of defence where messages leave the generator: a message
// that holds private key material is replaced as a whole, characters that
// are not printable are escaped, and the text is cut after max characters.
func Clean(text string, max int) string {
	if Check(text, max) == "" {
		return text
	}
	out := escape(text, max, false)
	// As in Quote: escaping joins lines, so check the result too.
	if sshkey.ContainsPrivate(text) || sshkey.ContainsPrivate(out) {
		return escape(HiddenMessage, max, false)
	}
	return out
}

// escape writes s with every non-printable character (and, when quoted,
// '"' and '\\') escaped. When the result would be longer than max runes it
// is cut to max-1 runes and "…" is added. Work stops soon after max runes,
// whatever the length of s.
func escape(s string, max int, quoted bool) string {
	var b strings.Builder
	n, cut := 0, -1 // cut: the length of b when it last held at most max-1 runes
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var piece string
		switch {
		case r == utf8.RuneError && size <= 1:
			piece = `\x` + hex(uint32(s[i]), 2)
		case quoted && (r == '"' || r == '\\'):
			piece = `\` + string(r)
		case strconv.IsPrint(r):
			piece = s[i : i+size]
		default:
			piece = escapeRune(r)
		}
		i += size
		if n <= max-1 {
			cut = b.Len()
		}
		n += utf8.RuneCountInString(piece)
		if n > max {
			return b.String()[:cut] + "…"
		}
		b.WriteString(piece)
	}
	return b.String()
}

func escapeRune(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	switch {
	case r < 0x80:
		return `\x` + hex(uint32(r), 2)
	case r <= 0xFFFF:
		return `\u` + hex(uint32(r), 4)
	}
	return `\U` + hex(uint32(r), 8)
}

// hex is v in lower-case hexadecimal, zero-padded to width digits.
func hex(v uint32, width int) string {
	s := strconv.FormatUint(uint64(v), 16)
	return strings.Repeat("0", max(0, width-len(s))) + s
}
