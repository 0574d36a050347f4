package nix

import (
	"bytes"
	"strconv"
	"strings"
)

// maxWidth is the column limit used when deciding whether a list or an if
// expression may stay on one line. Layout is otherwise structural (not
// width-driven) so that a small spec change produces a small diff.
const maxWidth = 80

// spaces is sliced to write indentation without allocating.
const spaces = "                                                                                                                                "

// Print formats f as Nix source in a style close to nixfmt: two-space
// indentation, one binding per line, and a trailing newline. Header lines
// become `# …` comments at the top of the file.
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
func Append(dst []byte, f File) []byte {
	p := printer{buf: dst, start: len(dst)}
	for _, h := range f.Header {
		p.comment(h)
	}
	if f.Body != nil {
		p.expr(f.Body)
	}
	if n := len(p.buf); n == p.start || p.buf[n-1] != '\n' {
		p.buf = append(p.buf, '\n')
	}
	return p.buf
}

// printer appends formatted Nix to buf, whose first start bytes belong to
// the caller. indent is the indentation (in spaces) of the line currently
// being written.
type printer struct {
	buf    []byte
	start  int
	indent int
}

func (p *printer) str(s string) { p.buf = append(p.buf, s...) }

// nl starts a new line at the current indentation.
func (p *printer) nl() {
	p.buf = append(p.buf, '\n')
	p.pad(p.indent)
}

func (p *printer) pad(n int) {
	for n > len(spaces) {
		p.buf = append(p.buf, spaces...)
		n -= len(spaces)
	}
	p.buf = append(p.buf, spaces[:n]...)
}

// column returns the display width (in bytes) of the current line so far.
func (p *printer) column() int {
	out := p.buf[p.start:]
	return len(out) - 1 - bytes.LastIndexByte(out, '\n')
}

// multiline reports whether anything written since mark contains a newline.
func (p *printer) multiline(mark int) bool {
	return bytes.IndexByte(p.buf[mark:], '\n') >= 0
}

// comment writes one logical comment (possibly several lines) followed by a
// new line at the current indentation. Every line break Nix or an editor
// might honour (\n, \r, U+0085, U+2028, U+2029) starts a fresh `#` line, so
// comment text can never leak into code.
func (p *printer) comment(text string) {
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
		p.commentLine(text[start:i])
		i += w
		start = i
	}
	p.commentLine(text[start:])
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

func (p *printer) commentLine(line string) {
	line = strings.TrimRight(line, " \t")
	if line == "" {
		p.str("#")
	} else {
		p.str("# ")
		// Other control characters are harmless to Nix but confuse
		// terminals and diffs; show them as spaces. Runs between them
		// are copied in bulk.
		start := 0
		for i := 0; i < len(line); i++ {
			if c := line[i]; c < 0x20 && c != '\t' || c == 0x7f {
				p.buf = append(p.buf, line[start:i]...)
				p.buf = append(p.buf, ' ')
				start = i + 1
			}
		}
		p.buf = append(p.buf, line[start:]...)
	}
	p.nl()
}

func (p *printer) comments(lines []string) {
	for _, c := range lines {
		p.comment(c)
	}
}

// expr writes e starting at the current position.
func (p *printer) expr(e Expr) {
	switch v := e.(type) {
	case nil:
		panic("nix.Print: nil expression (every Expr field must be set)")
	case String:
		p.string(v)
	case *String:
		p.string(*v)
	case Int:
		p.int(v)
	case Bool:
		if v {
			p.str("true")
		} else {
			p.str("false")
		}
	case Null:
		p.str("null")
	case Path:
		checkPath(string(v))
		p.str(string(v))
	case Ident:
		checkIdent("Ident", string(v))
		p.str(string(v))
	case Select:
		p.sel(v)
	case SelectOr:
		if v.Default == nil {
			panic("nix.Print: SelectOr has no Default")
		}
		p.sel(Select{X: v.X, Attrs: v.Attrs})
		p.str(" or ")
		p.arg(v.Default)
	case Not:
		if v.X == nil {
			panic("nix.Print: nil expression (Not.X)")
		}
		p.str("!")
		switch v.X.(type) {
		case Apply, Not:
			p.expr(v.X)
		default:
			p.arg(v.X)
		}
	case List:
		p.list(v)
	case Attrs:
		p.attrs(v)
	case *Attrs:
		p.attrs(*v)
	case Lambda:
		p.lambda(v)
	case *Lambda:
		p.lambda(*v)
	case Apply:
		p.apply(v)
	case Let:
		p.let(v)
	case BinOp:
		p.binop(v)
	case If:
		p.ifExpr(v)
	case With:
		p.with(v)
	case Raw:
		p.raw(string(v))
	case Commented:
		p.comments(v.Comment)
		p.expr(v.X)
	default:
		panic("nix.Print: unsupported expression type")
	}
}

func (p *printer) int(v Int) {
	if v == -1<<63 {
		// The literal 9223372036854775808 overflows, so spell it as a sum.
		p.str("(-9223372036854775807 - 1)")
		return
	}
	p.buf = strconv.AppendInt(p.buf, int64(v), 10)
}

// atomic reports whether e can appear as a function argument, list element or
// select target without parentheses.
func atomic(e Expr) bool {
	switch v := e.(type) {
	case String, *String, Bool, Null, Path, Ident, Select, SelectOr, List, Attrs, *Attrs:
		return true
	case Int:
		return v >= 0
	case Raw:
		return rawAtomic(string(v))
	case Commented:
		return atomic(v.X)
	}
	return false
}

// rawAtomic is a conservative test for Raw fragments like `pkgs.hello` that
// need no parentheses; anything else gets them, which is always safe.
func rawAtomic(s string) bool {
	if s == "" || s[0] == '-' || s[0] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(identChar(c) || c == '.') {
			return false
		}
	}
	return true
}

// arg writes e in an argument/list-element position, parenthesized unless it
// is atomic.
func (p *printer) arg(e Expr) {
	if atomic(e) {
		p.expr(e)
		return
	}
	p.paren(e)
}

// paren writes (e). Expressions whose layout starts a block at their own
// indentation (formal lambdas, let, multi-line if) get the open parenthesis
// on its own line, as nixfmt does; everything else hugs the parentheses.
func (p *printer) paren(e Expr) {
	if c, ok := e.(Commented); ok {
		p.comments(c.Comment)
		p.paren(c.X)
		return
	}
	block := false
	switch v := e.(type) {
	case Lambda:
		block = v.Param == ""
	case Let:
		block = true
	}
	if !block {
		p.str("(")
		p.expr(e)
		p.str(")")
		return
	}
	p.str("(")
	p.indent += 2
	p.nl()
	p.expr(e)
	p.indent -= 2
	p.nl()
	p.str(")")
}

func (p *printer) sel(s Select) {
	switch s.X.(type) {
	case Ident, Select, String, *String, Attrs, *Attrs, List, Bool, Null:
		p.expr(s.X)
	case Raw:
		p.arg(s.X)
	default:
		p.paren(s.X)
	}
	if len(s.Attrs) == 0 {
		panic("nix.Print: Select with no attribute names")
	}
	for _, a := range s.Attrs {
		p.str(".")
		p.attrName(a)
	}
}

// scalar reports whether e is simple enough to share a line with its
// siblings in a list.
func scalar(e Expr) bool {
	switch v := e.(type) {
	case Int, Bool, Null, Path, Ident:
		return true
	case Select:
		return scalar(v.X) || isString(v.X)
	case Raw:
		return rawAtomic(string(v))
	case String:
		return singleLineString(v)
	case *String:
		return singleLineString(*v)
	}
	return false
}

func isString(e Expr) bool {
	switch e.(type) {
	case String, *String:
		return true
	}
	return false
}

func singleLineString(s String) bool {
	for _, pt := range s.Parts {
		if pt.Expr != nil {
			if !scalar(pt.Expr) {
				return false
			}
			continue
		}
		if strings.IndexByte(pt.Text, '\n') >= 0 {
			return false
		}
	}
	return true
}

func (p *printer) list(l List) {
	if len(l) == 0 {
		p.str("[ ]")
		return
	}
	allScalar := true
	for _, e := range l {
		if !scalar(e) {
			allScalar = false
			break
		}
	}
	if allScalar {
		mark := len(p.buf)
		p.str("[")
		for _, e := range l {
			p.str(" ")
			p.arg(e)
		}
		p.str(" ]")
		if p.column() < maxWidth {
			return
		}
		p.buf = p.buf[:mark]
	}
	p.str("[")
	p.indent += 2
	for _, e := range l {
		p.nl()
		p.arg(e)
	}
	p.indent -= 2
	p.nl()
	p.str("]")
}

func (p *printer) attrs(a Attrs) {
	if a.Rec {
		p.str("rec ")
	}
	if len(a.Binds) == 0 {
		p.str("{ }")
		return
	}
	p.str("{")
	p.bindings(a.Binds)
	p.nl()
	p.str("}")
}

// bindings writes each binding on its own line, one level deeper than the
// current indentation, leaving the cursor at the end of the last one.
func (p *printer) bindings(bs []Binding) {
	p.indent += 2
	for i := range bs {
		p.nl()
		p.binding(&bs[i])
	}
	p.indent -= 2
}

func (p *printer) binding(b *Binding) {
	p.comments(b.Comment)
	if b.Inherit != nil || (b.Path == nil && b.Value == nil && b.InheritFrom != nil) {
		p.str("inherit")
		if b.InheritFrom != nil {
			p.str(" ")
			p.paren(b.InheritFrom)
		}
		for _, n := range b.Inherit {
			p.str(" ")
			p.attrName(n)
		}
		p.str(";")
		return
	}
	if len(b.Path) == 0 {
		panic("nix.Print: Binding has neither an attribute path nor inherit names")
	}
	if b.Value == nil {
		panic("nix.Print: Binding " + strings.Join(b.Path, ".") + " has no value")
	}
	for i, a := range b.Path {
		if i > 0 {
			p.str(".")
		}
		p.attrName(a)
	}
	p.str(" =")
	if hangs(b.Value) {
		p.indent += 2
		p.nl()
		p.expr(b.Value)
		p.indent -= 2
	} else {
		mark := len(p.buf)
		p.str(" ")
		p.expr(b.Value)
		// A one-line compound value that overflows moves to its own
		// line, as nixfmt does; scalars and strings gain nothing.
		if compound(b.Value) && p.column()+1 > maxWidth && !p.multiline(mark) {
			p.buf = p.buf[:mark]
			p.indent += 2
			p.nl()
			p.expr(b.Value)
			p.indent -= 2
		}
	}
	p.str(";")
}

// hangs reports whether a binding value starts on the next line, indented,
// instead of after `=`: constructs whose own layout begins with a block
// header (let, formals lambda, multi-line if, leading comments).
func hangs(e Expr) bool {
	switch v := e.(type) {
	case Let:
		return true
	case Lambda:
		return v.Param == ""
	case If:
		return !simpleIf(v)
	case Commented:
		return len(v.Comment) > 0 || hangs(v.X)
	}
	return false
}

// compound reports whether e is made of several tokens, so moving it to its
// own line can shorten an overflowing binding.
func compound(e Expr) bool {
	switch e.(type) {
	case Apply, Lambda, BinOp, With, If, Not, SelectOr:
		return true
	}
	return false
}

func (p *printer) lambda(l Lambda) {
	if l.Param != "" {
		if l.Formals != nil || l.Ellipsis || l.At != "" {
			panic("nix.Print: Lambda " + l.Param + " sets both Param and Formals/Ellipsis/At")
		}
		checkIdent("Lambda.Param", l.Param)
		p.str(l.Param)
		p.str(": ")
		if l.Body == nil {
			panic("nix.Print: Lambda " + l.Param + " has no body")
		}
		p.expr(l.Body)
		return
	}
	if l.At != "" {
		checkIdent("Lambda.At", l.At)
		p.str(l.At)
		p.str("@")
	}
	p.formals(l)
	p.str(":")
	if l.Body == nil {
		panic("nix.Print: Lambda has no body")
	}
	p.nl()
	p.expr(l.Body)
}

func (p *printer) formals(l Lambda) {
	if len(l.Formals) == 0 {
		if l.Ellipsis {
			p.str("{ ... }")
		} else {
			p.str("{ }")
		}
		return
	}
	mark := len(p.buf)
	p.str("{ ")
	for i, f := range l.Formals {
		if i > 0 {
			p.str(", ")
		}
		p.formal(f)
	}
	if l.Ellipsis {
		p.str(", ...")
	}
	p.str(" }")
	if !p.multiline(mark) && p.column()+1 < maxWidth {
		return
	}
	p.buf = p.buf[:mark]
	p.str("{")
	p.indent += 2
	for _, f := range l.Formals {
		p.nl()
		p.formal(f)
		p.str(",")
	}
	if l.Ellipsis {
		p.nl()
		p.str("...")
	}
	p.indent -= 2
	p.nl()
	p.str("}")
}

func (p *printer) formal(f Formal) {
	checkIdent("Formal.Name", f.Name)
	p.str(f.Name)
	if f.Default != nil {
		p.str(" ? ")
		switch f.Default.(type) {
		case Apply, Select:
			p.expr(f.Default)
		default:
			p.arg(f.Default)
		}
	}
}

func (p *printer) apply(a Apply) {
	switch fn := a.Fn.(type) {
	case Ident, Select, Apply:
		p.expr(fn)
	default:
		p.arg(fn)
	}
	for _, x := range a.Args {
		p.str(" ")
		p.arg(x)
	}
}

func (p *printer) let(l Let) {
	p.str("let")
	p.bindings(l.Binds)
	p.nl()
	p.str("in")
	if l.Body == nil {
		panic("nix.Print: Let has no body")
	}
	p.nl()
	p.expr(l.Body)
}

// Operator precedence (higher binds tighter) and associativity, from the
// Nix manual's operator table.
const (
	assocLeft = iota
	assocRight
	assocNone
)

func opInfo(op string) (prec, assoc int) {
	switch op {
	case "++":
		return 11, assocRight
	case "*", "/":
		return 10, assocLeft
	case "+", "-":
		return 9, assocLeft
	case "//":
		return 7, assocRight
	case "<", "<=", ">", ">=":
		return 6, assocNone
	case "==", "!=":
		return 5, assocNone
	case "&&":
		return 4, assocLeft
	case "||":
		return 3, assocLeft
	case "->":
		return 2, assocRight
	}
	panic("nix.Print: unknown binary operator " + strconv.Quote(op))
}

func (p *printer) binop(b BinOp) {
	prec, assoc := opInfo(b.Op)
	p.operand(b.L, prec, assoc != assocLeft)
	p.str(" ")
	p.str(b.Op)
	p.str(" ")
	p.operand(b.R, prec, assoc != assocRight)
}

// operand writes one side of a binary operator, parenthesized when it binds
// more loosely than the operator, or equally on the non-associative side.
func (p *printer) operand(e Expr, prec int, strict bool) {
	inner := e
	if c, ok := e.(Commented); ok {
		inner = c.X
	}
	switch v := inner.(type) {
	case BinOp:
		q, _ := opInfo(v.Op)
		if q > prec || q == prec && !strict {
			p.expr(e)
			return
		}
	case Apply:
		p.expr(e)
		return
	case Not:
		// ! binds tighter than //, comparisons and the logical
		// operators, and looser than + - * / ++.
		if 8 > prec {
			p.expr(e)
			return
		}
	}
	p.arg(e)
}

// simpleIf reports whether an if expression is small enough to try on one
// line.
func simpleIf(v If) bool {
	return scalarish(v.Cond) && scalarish(v.Then) && scalarish(v.Else)
}

func scalarish(e Expr) bool {
	switch v := e.(type) {
	case BinOp:
		return scalarish(v.L) && scalarish(v.R)
	case Apply:
		if !scalarish(v.Fn) {
			return false
		}
		for _, a := range v.Args {
			if !scalarish(a) {
				return false
			}
		}
		return true
	case List:
		return len(v) == 0
	case Attrs:
		return len(v.Binds) == 0
	}
	return scalar(e)
}

func (p *printer) ifExpr(v If) {
	if v.Cond == nil || v.Then == nil || v.Else == nil {
		panic("nix.Print: If needs Cond, Then and Else")
	}
	if simpleIf(v) {
		mark := len(p.buf)
		p.str("if ")
		p.expr(v.Cond)
		p.str(" then ")
		p.expr(v.Then)
		p.str(" else ")
		p.expr(v.Else)
		if !p.multiline(mark) && p.column() < maxWidth {
			return
		}
		p.buf = p.buf[:mark]
	}
	p.str("if ")
	p.expr(v.Cond)
	p.str(" then")
	p.indent += 2
	p.nl()
	p.expr(v.Then)
	p.indent -= 2
	p.nl()
	if elif, ok := v.Else.(If); ok {
		p.str("else ")
		p.ifExpr(elif)
		return
	}
	p.str("else")
	p.indent += 2
	p.nl()
	p.expr(v.Else)
	p.indent -= 2
}

func (p *printer) with(w With) {
	if w.Scope == nil || w.Body == nil {
		panic("nix.Print: With needs Scope and Body")
	}
	p.str("with ")
	switch w.Scope.(type) {
	case Ident, Select:
		p.expr(w.Scope)
	default:
		p.arg(w.Scope)
	}
	p.str("; ")
	p.expr(w.Body)
}

// raw writes a Fleetyard-authored fragment verbatim; continuation lines are
// shifted right by the current indentation so a multi-line fragment written
// at column 0 lines up with its surroundings.
func (p *printer) raw(s string) {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			p.str(s)
			return
		}
		p.str(s[:i])
		s = s[i+1:]
		p.buf = append(p.buf, '\n')
		if s != "" && s[0] != '\n' {
			p.pad(p.indent)
		}
	}
}

// attrName writes an attribute name: bare when it is a plain identifier
// that is not a keyword, otherwise as an escaped "…" string.
func (p *printer) attrName(name string) {
	if isIdent(name) && !isKeyword(name) && name != "or" {
		p.str(name)
		return
	}
	p.quoted([]Part{{Text: name}})
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
