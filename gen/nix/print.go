package nix

import (
	"strconv"
	"strings"
)

// spaces is sliced to write indentation without allocating.
const spaces = "                                                                                                                                "

// Print formats f as Nix source exactly as nixfmt (RFC 166 style, 100
// columns, two-space indentation) prints it, so that treefmt's nixfmt check
// leaves generated files alone. Where nixfmt keeps a layout choice of its
// input, Print makes a fixed one: non-empty attribute sets always span
// lines, and a lambda's body starts on the line after `{ … }:`. Header
// lines become `# …` comments at the top of the file.
//
// Text reaches the output only through escaping: string literals and quoted
// attribute names are escaped by construction, so no user-supplied value can
// end a string or start an interpolation. Identifiers, formal parameters and
// path literals are not escapable in Nix; invalid ones are programmer errors
// and make Print panic. A string containing a NUL byte also panics because
// Nix strings cannot hold NUL.
func Print(f File) []byte { return Append(make([]byte, 0, 2048), f) }

// Append is [Print] writing to the end of dst, which it returns extended.
// The file is laid out as if it started on a fresh line, whatever dst holds.
// A caller printing many files can reuse one buffer and copy each result
// out at its exact size, instead of growing a new buffer per file (the
// generator prints hundreds of files per call, and in wasm every discarded
// byte costs garbage-collection time).
func Append(dst []byte, f File) []byte { return appendFile(dst, f, nil) }

// appendFile is Append, through memo when it is not nil.
func appendFile(dst []byte, f File, memo *Memo) []byte {
	st := statePool.Get().(*printState)
	defer func() {
		st.reset()
		statePool.Put(st)
	}()
	p := &st.p
	p.memo, st.l.memo, st.l.p = memo, memo, p
	p.b.open()
	if f.Body != nil {
		// The header is the comments in front of the first token.
		p.expr(pushComments(f.Header, norm(f.Body)))
	} else if len(f.Header) > 0 {
		p.b.trivia(p.commentLines(f.Header))
	}
	if p.b.pending != nil {
		p.b.flushTrivia()
	}
	p.b.close(gRegular)
	return st.layout(dst, p.b.buf, lineWidth, indentWidth)
}

// appendCommentLines appends the `#` lines of one logical comment. Every
// line break Nix or an editor might honour (\n, \r, U+0085, U+2028, U+2029)
// starts a fresh `#` line, so comment text can never leak into code.
func appendCommentLines(out []string, text string) []string {
	// A trailing newline would only add an empty `#` line.
	text = strings.TrimRight(text, "\r\n")
	start := 0
	for i := 0; i < len(text); {
		// Only these bytes can start a line break; skipping the rest
		// without a call keeps long comments cheap.
		if c := text[i]; c != '\n' && c != '\r' && c != 0xC2 && c != 0xE2 {
			i++
			continue
		}
		brk, w := lineBreakAt(text, i)
		if !brk {
			i++
			continue
		}
		out = append(out, commentLine(text[start:i]))
		i += w
		start = i
	}
	return append(out, commentLine(text[start:]))
}

// lineBreakAt reports whether a line break starts at byte i of s (or i is the
// end of s) and how many bytes it spans.
func lineBreakAt(s string, i int) (bool, int) {
	if i >= len(s) {
		return true, 1
	}
	switch c := s[i]; {
	case c == '\n':
		return true, 1
	case c == '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			return true, 2
		}
		return true, 1
	case c == 0xC2 && i+1 < len(s) && s[i+1] == 0x85: // U+0085 NEL
		return true, 2
	case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9): // U+2028/9
		return true, 3
	}
	return false, 0
}

// commentLine is the text of one `#` line. Other control characters are harmless to
// Nix but confuse terminals and diffs; they show as spaces. Trailing blanks
// are dropped, as nixfmt drops them.
func commentLine(line string) string {
	clean := true
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 && c != '\t' || c == 0x7f {
			clean = false
			break
		}
	}
	if !clean {
		b := []byte(line)
		for i, c := range b {
			if c < 0x20 && c != '\t' || c == 0x7f {
				b[i] = ' '
			}
		}
		line = string(b)
	}
	return strings.TrimRight(line, " \t")
}

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func identChar(c byte) bool {
	return identStart(c) || c >= '0' && c <= '9' || c == '\'' || c == '-'
}

func isIdent(s string) bool {
	if s == "" || !identStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !identChar(s[i]) {
			return false
		}
	}
	return true
}

// isKeyword lists Nix's reserved words; `or` is handled by callers because
// Nix accepts it in some identifier positions but not others.
func isKeyword(s string) bool {
	switch s {
	case "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit":
		return true
	}
	return false
}

// checkIdent panics unless name can be written as a bare Nix identifier.
// Identifiers are never user input, so a bad one is a bug in an emitter.
func checkIdent(what, name string) {
	if !isIdent(name) || isKeyword(name) || name == "or" {
		panic("nix.Print: " + what + " " + strconv.Quote(name) +
			" is not a valid Nix identifier ([a-zA-Z_][a-zA-Z0-9_'-]*, not a keyword); use Str or an attribute name for user text")
	}
}

// checkPath panics unless s is a relative path literal (./x or ../x) made of
// characters Nix accepts in path literals, without a trailing slash.
func checkPath(s string) {
	rest := s
	switch {
	case strings.HasPrefix(s, "./"):
		rest = s[2:]
	case strings.HasPrefix(s, "../"):
		rest = s[3:]
	default:
		panic("nix.Print: Path " + strconv.Quote(s) + " must start with ./ or ../")
	}
	seg := 0
	for i := 0; i <= len(rest); i++ {
		if i == len(rest) || rest[i] == '/' {
			if seg == 0 {
				panic("nix.Print: Path " + strconv.Quote(s) + " has an empty segment or trailing slash")
			}
			seg = 0
			continue
		}
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-' || c == '+') {
			panic("nix.Print: Path " + strconv.Quote(s) + " contains a character not allowed in Nix path literals (use a-z A-Z 0-9 . _ - +)")
		}
		seg++
	}
}
