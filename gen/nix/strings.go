package nix

import "strings"

// string writes a string literal, choosing the indented ”…” form for
// multi-line text when that form provably round-trips, and "…" otherwise.
func (p *printer) string(s String) {
	parts := normalize(s.Parts)
	if indentedOK(parts) {
		p.indented(parts)
		return
	}
	p.quoted(parts)
}

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

// quoted writes "…" escaping \, ", ${ and the control characters Nix has
// escapes for. A `$` that ends a text part right before an interpolation is
// written as \$ because Nix reads `$${` as a literal `$${`, not as `$` plus
// an interpolation.
func (p *printer) quoted(parts []Part) {
	p.buf = append(p.buf, '"')
	for i, pt := range parts {
		if pt.Expr != nil {
			p.interp(pt.Expr)
			continue
		}
		checkNUL(pt.Text)
		t := pt.Text
		nextInterp := i+1 < len(parts) && parts[i+1].Expr != nil
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
				p.buf = append(p.buf, t[start:j]...)
				p.buf = append(p.buf, esc...)
				start = j + 1
			}
		}
		p.buf = append(p.buf, t[start:]...)
	}
	p.buf = append(p.buf, '"')
}

// quoteSpecial marks the bytes quoted must look at; all others are copied
// in bulk.
var quoteSpecial = [256]bool{'\\': true, '"': true, '\n': true, '\r': true, '\t': true, '$': true}

func (p *printer) interp(e Expr) {
	p.str("${")
	p.expr(e)
	p.str("}")
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

// indented writes ”…” with the text one level deeper than the current
// indentation. Nix strips the common indentation, and indentedOK has
// ensured that is exactly the padding added here.
func (p *printer) indented(parts []Part) {
	pad := p.indent + 2
	p.str("''")
	p.buf = append(p.buf, '\n')
	lineStart := true
	for i, pt := range parts {
		if pt.Expr != nil {
			if lineStart {
				p.pad(pad)
				lineStart = false
			}
			p.interp(pt.Expr)
			continue
		}
		t := pt.Text
		nextInterp := i+1 < len(parts) && parts[i+1].Expr != nil
		for j := 0; j < len(t); j++ {
			c := t[j]
			if c == '\n' {
				p.buf = append(p.buf, '\n')
				lineStart = true
				continue
			}
			if lineStart {
				p.pad(pad)
				lineStart = false
			}
			switch {
			case c == '\'' && j+1 < len(t) && t[j+1] == '\'':
				p.str("'''")
				j++
			case c == '$' && (j+1 < len(t) && t[j+1] == '{' || j+1 == len(t) && nextInterp):
				p.str("''$")
			default:
				p.buf = append(p.buf, c)
			}
		}
	}
	if lineStart {
		p.pad(p.indent)
	}
	p.str("''")
}
