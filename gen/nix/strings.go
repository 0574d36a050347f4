package nix

import "strings"

// normalize merges adjacent text parts (so escaping sees `$` next to `{`
// even when they arrive in different parts), drops empty text, and rejects
// NUL, which Nix strings cannot contain.
func normalize(in []Part) []Part {
	simple := true
	for i, pt := range in {
		if pt.Expr == nil {
			checkNUL(pt.Text)
			if pt.Text == "" || i > 0 && in[i-1].Expr == nil {
				simple = false
			}
		}
	}
	if simple {
		return in
	}
	out := make([]Part, 0, len(in))
	for _, pt := range in {
		if pt.Expr != nil {
			out = append(out, pt)
			continue
		}
		if pt.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Expr == nil {
			out[n-1].Text += pt.Text
			continue
		}
		out = append(out, pt)
	}
	return out
}

func checkNUL(s string) {
	if strings.IndexByte(s, 0) >= 0 {
		panic("nix.Print: string contains a NUL byte, which Nix strings cannot represent; reject it where the value enters (spec validation)")
	}
}

// escapeQuoted appends t escaped for a "…" string: \\, ", ${ and the control
// characters Nix has escapes for. A `$` that ends the text right before an
// interpolation (nextInterp) is written as \$ because Nix reads `$${` as a
// literal `$${`, not as `$` plus an interpolation.
func escapeQuoted(dst []byte, t string, nextInterp bool) []byte {
	start := 0
	for j := 0; j < len(t); j++ {
		c := t[j]
		if !quoteSpecial[c] {
			continue
		}
		var esc string
		switch c {
		case '\\':
			esc = `\\`
		case '"':
			esc = `\"`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		case '$':
			if j+1 < len(t) && t[j+1] == '{' || j+1 == len(t) && nextInterp {
				esc = `\$`
			}
		}
		if esc != "" {
			dst = append(dst, t[start:j]...)
			dst = append(dst, esc...)
			start = j + 1
		}
	}
	return append(dst, t[start:]...)
}

// escapeQuotedString is t escaped for a "…" string, t itself when nothing
// needs escaping.
func escapeQuotedString(t string) string {
	for i := 0; i < len(t); i++ {
		if quoteSpecial[t[i]] {
			return string(escapeQuoted(nil, t, false))
		}
	}
	return t
}

// quotedText is text without interpolations as a "…" literal.
func quotedText(parts []Part) string {
	b := []byte{'"'}
	for _, pt := range parts {
		checkNUL(pt.Text)
		b = escapeQuoted(b, pt.Text, false)
	}
	return string(append(b, '"'))
}

// quoteSpecial marks the bytes escapeQuoted must look at; all others are
// copied in bulk.
var quoteSpecial = [256]bool{'\\': true, '"': true, '\n': true, '\r': true, '\t': true, '$': true}

// escapeIndented appends t escaped for an indented string: two quotes
// become three, and ${ (or a $ right before an interpolation) gets a
// leading pair of quotes.
func escapeIndented(dst []byte, t string, nextInterp bool) []byte {
	for j := 0; j < len(t); j++ {
		c := t[j]
		switch {
		case c == '\'' && j+1 < len(t) && t[j+1] == '\'':
			dst = append(dst, "'''"...)
			j++
		case c == '$' && (j+1 < len(t) && t[j+1] == '{' || j+1 == len(t) && nextInterp):
			dst = append(dst, "''$"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// strPart is one piece of a string line as nixfmt reads it: escaped source
// text, or an interpolated expression.
type strPart struct {
	text string
	expr Expr
}

// stringLines splits a normalized string into the lines nixfmt sees: one
// for "…" (newlines are escaped), one per content line for ”…”. Empty
// texts are dropped.
func stringLines(a *textArena, parts []Part, indented bool) [][]strPart {
	var lines [][]strPart
	var cur []strPart
	var buf []byte
	for i, pt := range parts {
		if pt.Expr != nil {
			cur = append(cur, strPart{expr: pt.Expr})
			continue
		}
		nextInterp := i+1 < len(parts) && parts[i+1].Expr != nil
		if !indented {
			buf = escapeQuoted(buf[:0], pt.Text, nextInterp)
			cur = append(cur, strPart{text: a.escaped(pt.Text, buf)})
			continue
		}
		t := pt.Text
		for {
			nl := strings.IndexByte(t, '\n')
			seg := t
			if nl >= 0 {
				seg = t[:nl]
			}
			if seg != "" {
				buf = escapeIndented(buf[:0], seg, nextInterp && nl < 0)
				cur = append(cur, strPart{text: a.escaped(seg, buf)})
			}
			if nl < 0 {
				break
			}
			lines = append(lines, cur)
			cur = nil
			t = t[nl+1:]
		}
	}
	return append(lines, cur)
}

// indentedOK reports whether parts can be written as an indented string
// whose value Nix reads back exactly. It is deliberately conservative:
// anything near the subtle corners of Nix's indentation stripping or quote
// lexing falls back to "…", which is always exact.
func indentedOK(parts []Part) bool {
	hasNL := false
	for _, pt := range parts {
		if pt.Expr == nil && strings.IndexByte(pt.Text, '\n') >= 0 {
			hasNL = true
			break
		}
	}
	if !hasNL {
		return false
	}
	anchored := false // some content line starts with a non-space
	lineStart := true
	lineSpaces := 0 // leading spaces seen on the current line
	for _, pt := range parts {
		if pt.Expr != nil {
			if lineStart && lineSpaces == 0 {
				anchored = true
			}
			lineStart = false
			continue
		}
		t := pt.Text
		if t == "" {
			continue
		}
		if t[len(t)-1] == '\'' {
			// A trailing ' would merge with the closing '' or with
			// the '' of an escaped interpolation.
			return false
		}
		for j := 0; j < len(t); j++ {
			c := t[j]
			switch {
			case c == '\r':
				return false
			case c == '\'' && j+1 < len(t) && t[j+1] == '$':
				return false
			case c == '\n':
				if lineStart && lineSpaces > 0 {
					return false // whitespace-only line: stripping is ambiguous
				}
				lineStart = true
				lineSpaces = 0
			case lineStart && c == ' ':
				lineSpaces++
			default:
				if lineStart && lineSpaces == 0 {
					anchored = true
				}
				lineStart = false
			}
		}
	}
	if lineStart && lineSpaces > 0 {
		return false // trailing spaces-only line would be stripped
	}
	return anchored
}
