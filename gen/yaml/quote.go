package yaml

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ctx is where a scalar appears; flow sequences and keys allow fewer plain
// characters than block values.
type ctx int

const (
	ctxBlock ctx = iota
	ctxKey
	ctxFlow
)

// quote returns s as a plain scalar when that is safe in context c, else
// double-quoted.
func quote(s string, c ctx) string {
	if plainOK(s, c) {
		return s
	}
	return doubleQuote(s)
}

// plainOK is deliberately narrow: it admits identifiers, paths, age
// recipients, version numbers and sops ENC[…] values, and sends everything
// else to double quotes. It must never admit a string that some YAML reader
// would take as a number, boolean, null, timestamp, or as structure.
func plainOK(s string, c ctx) bool {
	if s == "" {
		return false
	}
	first := s[0]
	switch {
	case first >= 'a' && first <= 'z', first >= 'A' && first <= 'Z', first == '_', first == '/':
	case first >= '0' && first <= '9':
		// Only dotted versions with at least two dots (3.13.3): no YAML
		// schema reads those as a number or a date.
		return versionLike(s)
	default:
		return false
	}
	for i := 1; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
		case ch == '_', ch == '.', ch == '/', ch == '-', ch == '+', ch == '@', ch == '=', ch == '~':
		case ch == ',' || ch == '[' || ch == ']':
			// Harmless inside a block plain scalar, structure in flow.
			if c != ctxBlock {
				return false
			}
		case ch == ':':
			// ": " ends a key; a trailing ":" too. Keys stay strict.
			if c != ctxBlock || i == len(s)-1 {
				return false
			}
		default:
			return false
		}
	}
	return !reserved(s)
}

func versionLike(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}

// reserved lists the words YAML 1.1 or 1.2 resolve to booleans or null.
func reserved(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return true
	}
	return false
}

// doubleQuote writes s as a YAML double-quoted scalar. Invalid UTF-8 bytes
// become U+FFFD (YAML text is Unicode); everything outside the printable set,
// and line separators, are escaped so the output is one line.
func doubleQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case 0:
			b.WriteString(`\0`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case 0x1b:
			b.WriteString(`\e`)
		case 0x85:
			b.WriteString(`\N`)
		case 0x2028:
			b.WriteString(`\L`)
		case 0x2029:
			b.WriteString(`\P`)
		case 0xFEFF:
			b.WriteString(`\uFEFF`)
		default:
			if printable(r) {
				b.WriteRune(r)
				continue
			}
			switch {
			case r <= 0xFF:
				b.WriteString(`\x`)
				b.WriteString(hex(uint32(r), 2))
			case r <= 0xFFFF:
				b.WriteString(`\u`)
				b.WriteString(hex(uint32(r), 4))
			default:
				b.WriteString(`\U`)
				b.WriteString(hex(uint32(r), 8))
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hex(v uint32, width int) string {
	h := strconv.FormatUint(uint64(v), 16)
	return strings.Repeat("0", width-len(h)) + strings.ToUpper(h)
}

// printable is YAML 1.2's c-printable set minus the characters escaped above.
func printable(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return true // U+FFFD itself is printable
	case r >= 0x20 && r <= 0x7E:
		return true
	case r >= 0xA0 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}
