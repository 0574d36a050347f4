package nix

import (
	"errors"
	"strings"
)

// This file is a small model of Nix's string lexer (Nix 2.x lexer.l and
// stripIndentation in parser.y), used to check printed strings in pure Go
// when nix-instantiate is not installed, and inside fuzz targets. It accepts
// only literal strings: an interpolation is reported as an error because
// Str must never produce one.

var errInterp = errors.New("string contains an interpolation")

// unquoteNix reads one Nix string literal ("…" or ”…”) that makes up all
// of src and returns its value.
func unquoteNix(src string) (string, error) {
	switch {
	case strings.HasPrefix(src, `"`):
		return unquoteDouble(src)
	case strings.HasPrefix(src, "''"):
		return unquoteIndented(src)
	}
	return "", errors.New("not a string literal")
}

func unquoteDouble(src string) (string, error) {
	var b strings.Builder
	i := 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == '"':
			if i != len(src)-1 {
				return "", errors.New("text after closing quote: " + src[i:])
			}
			return b.String(), nil
		case c == '\\':
			if i+1 >= len(src) {
				return "", errors.New("unterminated escape")
			}
			b.WriteString(unescapeChar(src[i+1]))
			i += 2
		case c == '\r':
			// Nix normalises a raw CR or CRLF in source to LF.
			b.WriteByte('\n')
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
		case c == '$':
			if i+1 >= len(src) {
				return "", errors.New("unterminated string")
			}
			switch n := src[i+1]; n {
			case '{':
				return "", errInterp
			case '"', '\\':
				// `$` alone; the next character is lexed on its own.
				b.WriteByte('$')
				i++
			default:
				// Nix lexes `$` plus any other character as one
				// literal pair, which is why `$${` is not an
				// interpolation.
				b.WriteByte('$')
				b.WriteByte(n)
				i += 2
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", errors.New("unterminated string")
}

func unescapeChar(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	}
	return string(c)
}

// indToken is one lexer token of an indented string: text whose leading
// spaces count as indentation, or an escape (which does not).
type indToken struct {
	text   string
	indent bool
}

func unquoteIndented(src string) (string, error) {
	i := 2
	// The opening '' swallows spaces followed by a newline.
	j := i
	for j < len(src) && src[j] == ' ' {
		j++
	}
	if j < len(src) && src[j] == '\n' {
		i = j + 1
	}
	var toks []indToken
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, indToken{cur.String(), true})
			cur.Reset()
		}
	}
	for {
		if i >= len(src) {
			return "", errors.New("unterminated indented string")
		}
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], "'''"):
			flush()
			toks = append(toks, indToken{"''", false})
			i += 3
		case strings.HasPrefix(src[i:], "''$"):
			flush()
			toks = append(toks, indToken{"$", false})
			i += 3
		case strings.HasPrefix(src[i:], "''\\"):
			if i+3 >= len(src) {
				return "", errors.New("unterminated escape")
			}
			flush()
			toks = append(toks, indToken{unescapeChar(src[i+3]), false})
			i += 4
		case strings.HasPrefix(src[i:], "''"):
			flush()
			if i+2 != len(src) {
				return "", errors.New("text after closing '': " + src[i:])
			}
			return stripIndentation(toks), nil
		case strings.HasPrefix(src[i:], "${"):
			return "", errInterp
		case c == '\r':
			return "", errors.New("raw CR in indented string")
		default:
			cur.WriteByte(c)
			i++
		}
	}
}

// stripIndentation mirrors Nix: the minimum indentation over lines that have
// content (escapes count as content) is removed from every line, and a final
// line of only spaces is dropped.
func stripIndentation(toks []indToken) string {
	atStart := true
	minIndent := 1 << 30
	cur := 0
	for _, t := range toks {
		if !t.indent {
			if atStart {
				atStart = false
				minIndent = min(minIndent, cur)
			}
			continue
		}
		for k := 0; k < len(t.text); k++ {
			c := t.text[k]
			if atStart {
				switch c {
				case ' ':
					cur++
				case '\n':
					cur = 0
				default:
					atStart = false
					minIndent = min(minIndent, cur)
				}
			} else if c == '\n' {
				atStart = true
				cur = 0
			}
		}
	}
	var out strings.Builder
	atStart = true
	dropped := 0
	for n, t := range toks {
		var s strings.Builder
		for k := 0; k < len(t.text); k++ {
			c := t.text[k]
			if atStart {
				switch c {
				case ' ':
					if dropped >= minIndent {
						s.WriteByte(c)
					}
					dropped++
				case '\n':
					dropped = 0
					s.WriteByte(c)
				default:
					atStart = false
					dropped = 0
					s.WriteByte(c)
				}
			} else {
				s.WriteByte(c)
				if c == '\n' {
					atStart = true
				}
			}
		}
		s2 := s.String()
		if n == len(toks)-1 {
			if p := strings.LastIndexByte(s2, '\n'); p >= 0 && strings.Trim(s2[p+1:], " ") == "" {
				s2 = s2[:p+1]
			}
		}
		out.WriteString(s2)
	}
	return out.String()
}
