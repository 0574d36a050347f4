package nix

import (
	"strconv"
	"strings"
	"sync"
)

// Raw fragments are Fleetyard's own fixed Nix text. To lay them out as
// nixfmt would, the printer reads them into expressions with this small
// parser, which covers the Nix that Fleetyard writes: identifiers, integers,
// relative paths, "…" strings with interpolation, lists, (rec) sets with
// inherit, let, if, with, lambdas (plain and with formals), selection with
// `or`, application, ! and unary minus, and the binary operators. Anything
// else is a bug in an emitter and panics.

var rawCache struct {
	sync.Mutex
	m map[string]Expr
}

// parseRaw parses a Raw fragment, caching the result (fragments are
// constants, so the cache stays small; it stops growing past a bound).
func parseRaw(src string) Expr {
	rawCache.Lock()
	e, ok := rawCache.m[src]
	rawCache.Unlock()
	if ok {
		return e
	}
	p := rawParser{src: src}
	p.next()
	e = p.expr()
	if p.tok.kind != tEOF {
		p.fail("unexpected " + strconv.Quote(p.tok.text))
	}
	rawCache.Lock()
	if rawCache.m == nil {
		rawCache.m = map[string]Expr{}
	}
	if len(rawCache.m) < 4096 {
		rawCache.m[src] = e
	}
	rawCache.Unlock()
	return e
}

type rawTokKind uint8

const (
	tEOF rawTokKind = iota
	tIdent
	tInt
	tPath
	tStrOpen // "
	tPunct   // operators and brackets
)

type rawTok struct {
	kind rawTokKind
	text string
}

type rawParser struct {
	src string
	pos int
	tok rawTok
}

func (p *rawParser) fail(msg string) {
	panic("nix.Print: Raw fragment " + strconv.Quote(p.src) + " at byte " + strconv.Itoa(p.pos) + ": " + msg)
}

func (p *rawParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		case '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

var rawPuncts = []string{"...", "//", "++", "==", "!=", "<=", ">=", "&&", "||", "->", "${",
	"(", ")", "[", "]", "{", "}", ";", ":", ",", "=", ".", "?", "@", "!", "+", "-", "*", "/", "<", ">"}

// next reads the next token outside strings.
func (p *rawParser) next() {
	p.skipSpace()
	if p.pos >= len(p.src) {
		p.tok = rawTok{kind: tEOF}
		return
	}
	s := p.src[p.pos:]
	c := s[0]
	switch {
	case c == '.' && (strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")):
		n := 0
		for n < len(s) && (identChar(s[n]) || s[n] == '.' || s[n] == '/' || s[n] == '+') {
			n++
		}
		p.tok = rawTok{tPath, s[:n]}
		p.pos += n
	case identStart(c):
		n := 1
		for n < len(s) && identChar(s[n]) {
			n++
		}
		p.tok = rawTok{tIdent, s[:n]}
		p.pos += n
	case c >= '0' && c <= '9':
		n := 1
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		p.tok = rawTok{tInt, s[:n]}
		p.pos += n
	case c == '"':
		p.tok = rawTok{tStrOpen, `"`}
		p.pos++
	default:
		for _, pu := range rawPuncts {
			if strings.HasPrefix(s, pu) {
				p.tok = rawTok{tPunct, pu}
				p.pos += len(pu)
				return
			}
		}
		p.fail("unsupported character " + strconv.Quote(s[:1]))
	}
}

func (p *rawParser) is(text string) bool {
	return (p.tok.kind == tPunct || p.tok.kind == tIdent) && p.tok.text == text
}

func (p *rawParser) expect(text string) {
	if !p.is(text) {
		p.fail("expected " + strconv.Quote(text) + ", found " + strconv.Quote(p.tok.text))
	}
	p.next()
}

// peekByte is the first non-space byte after the current token.
func (p *rawParser) peekByte() byte {
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t' || p.src[i] == '\n' || p.src[i] == '\r') {
		i++
	}
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

func (p *rawParser) expr() Expr {
	switch {
	case p.is("let"):
		p.next()
		binds := p.binds("in")
		p.expect("in")
		return Let{Binds: binds, Body: p.expr()}
	case p.is("if"):
		p.next()
		c := p.expr()
		p.expect("then")
		t := p.expr()
		p.expect("else")
		return If{Cond: c, Then: t, Else: p.expr()}
	case p.is("with"):
		p.next()
		s := p.expr()
		p.expect(";")
		return With{Scope: s, Body: p.expr()}
	case p.tok.kind == tIdent && !isKeyword(p.tok.text) && p.peekByte() == ':':
		name := p.tok.text
		p.next()
		p.expect(":")
		return Lambda{Param: name, Body: p.expr()}
	case p.tok.kind == tIdent && !isKeyword(p.tok.text) && p.peekByte() == '@':
		name := p.tok.text
		p.next()
		p.expect("@")
		return p.formals(name)
	case p.is("{") && p.looksLikeFormals():
		return p.formals("")
	}
	return p.binary(0)
}

// looksLikeFormals reports whether the `{` at hand opens a lambda's formals
// rather than an attribute set.
func (p *rawParser) looksLikeFormals() bool {
	depth := 0
	for i := p.pos - 1; i < len(p.src); i++ {
		switch p.src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				j := i + 1
				for j < len(p.src) && (p.src[j] == ' ' || p.src[j] == '\n' || p.src[j] == '\t') {
					j++
				}
				return j < len(p.src) && (p.src[j] == ':' || p.src[j] == '@')
			}
		case '"', '=', ';':
			if depth == 1 {
				return false
			}
		}
	}
	return false
}

func (p *rawParser) formals(at string) Expr {
	p.expect("{")
	l := Lambda{Formals: []Formal{}, At: at}
	for !p.is("}") {
		if p.is("...") {
			p.next()
			l.Ellipsis = true
		} else {
			if p.tok.kind != tIdent {
				p.fail("expected a formal parameter")
			}
			f := Formal{Name: p.tok.text}
			p.next()
			if p.is("?") {
				p.next()
				f.Default = p.expr()
			}
			l.Formals = append(l.Formals, f)
		}
		if !p.is(",") {
			break
		}
		p.next()
	}
	p.expect("}")
	if p.is("@") {
		p.next()
		l.At = p.tok.text
		p.next()
	}
	p.expect(":")
	l.Body = p.expr()
	return l
}

// binary parses operators by precedence climbing (opInfo's table); ! sits
// between + and //.
func (p *rawParser) binary(minPrec int) Expr {
	var l Expr
	if p.is("!") {
		p.next()
		l = Not{X: p.binary(8)}
	} else {
		l = p.unary()
	}
	for p.tok.kind == tPunct {
		op := p.tok.text
		prec, assoc, ok := rawOpInfo(op)
		if !ok || prec < minPrec {
			break
		}
		p.next()
		next := prec + 1
		if assoc == assocRight {
			next = prec
		}
		l = BinOp{Op: op, L: l, R: p.binary(next)}
	}
	return l
}

func rawOpInfo(op string) (int, int, bool) {
	switch op {
	case "++", "*", "/", "+", "-", "//", "<", "<=", ">", ">=", "==", "!=", "&&", "||", "->":
		prec, assoc := opInfo(op)
		return prec, assoc, true
	}
	return 0, 0, false
}

func (p *rawParser) unary() Expr {
	if p.is("-") {
		p.next()
		if p.tok.kind == tInt {
			n, err := strconv.ParseInt(p.tok.text, 10, 64)
			if err != nil {
				p.fail("bad integer")
			}
			p.next()
			return Int(-n)
		}
		p.fail("unary minus is only supported on integer literals")
	}
	return p.application()
}

func (p *rawParser) startsTerm() bool {
	switch p.tok.kind {
	case tIdent:
		return !isKeyword(p.tok.text) && p.tok.text != "or"
	case tInt, tPath, tStrOpen:
		return true
	case tPunct:
		return p.tok.text == "(" || p.tok.text == "[" || p.tok.text == "{"
	}
	return false
}

func (p *rawParser) application() Expr {
	f := p.selectTerm()
	var args []Expr
	for p.startsTerm() && !(p.is("{") && p.looksLikeFormals()) {
		args = append(args, p.selectTerm())
	}
	if args == nil {
		return f
	}
	return Apply{Fn: f, Args: args}
}

func (p *rawParser) selectTerm() Expr {
	t := p.atom()
	if !p.is(".") {
		return t
	}
	var attrs []string
	for p.is(".") {
		p.next()
		attrs = append(attrs, p.attrName())
	}
	if p.is("or") {
		p.next()
		return SelectOr{X: t, Attrs: attrs, Default: p.selectTerm()}
	}
	return Select{X: t, Attrs: attrs}
}

func (p *rawParser) attrName() string {
	switch p.tok.kind {
	case tIdent:
		s := p.tok.text
		p.next()
		return s
	case tStrOpen:
		s, ok := p.str().(*String)
		if !ok || len(s.Parts) != 1 {
			p.fail("interpolated attribute names are not supported")
		}
		return s.Parts[0].Text
	}
	p.fail("expected an attribute name")
	return ""
}

func (p *rawParser) atom() Expr {
	switch p.tok.kind {
	case tIdent:
		name := p.tok.text
		if name == "rec" {
			p.next()
			a := p.set()
			a.Rec = true
			return a
		}
		if isKeyword(name) {
			p.fail("unexpected keyword " + name)
		}
		p.next()
		switch name {
		case "true":
			return Bool(true)
		case "false":
			return Bool(false)
		case "null":
			return Null{}
		}
		return Ident(name)
	case tInt:
		n, err := strconv.ParseInt(p.tok.text, 10, 64)
		if err != nil {
			p.fail("bad integer")
		}
		p.next()
		return Int(n)
	case tPath:
		s := p.tok.text
		p.next()
		return Path(s)
	case tStrOpen:
		return p.str()
	}
	switch {
	case p.is("("):
		p.next()
		e := p.expr()
		p.expect(")")
		return paren{e}
	case p.is("["):
		p.next()
		l := List{}
		for !p.is("]") {
			if p.tok.kind == tEOF {
				p.fail("unterminated list")
			}
			l = append(l, p.selectTerm())
		}
		p.next()
		return l
	case p.is("{"):
		return p.set()
	}
	p.fail("unexpected " + strconv.Quote(p.tok.text))
	return nil
}

func (p *rawParser) set() Attrs {
	p.expect("{")
	binds := p.binds("}")
	p.expect("}")
	return Attrs{Binds: binds}
}

func (p *rawParser) binds(end string) []Binding {
	binds := []Binding{}
	for !p.is(end) {
		if p.tok.kind == tEOF {
			p.fail("unterminated bindings")
		}
		if p.is("inherit") {
			p.next()
			b := Binding{Inherit: []string{}}
			if p.is("(") {
				p.next()
				b.InheritFrom = p.expr()
				p.expect(")")
			}
			for !p.is(";") {
				b.Inherit = append(b.Inherit, p.attrName())
			}
			p.next()
			binds = append(binds, b)
			continue
		}
		var path []string
		path = append(path, p.attrName())
		for p.is(".") {
			p.next()
			path = append(path, p.attrName())
		}
		p.expect("=")
		v := p.expr()
		p.expect(";")
		binds = append(binds, Binding{Path: path, Value: v})
	}
	return binds
}

// str reads a "…" string; the opening quote is the current token.
func (p *rawParser) str() Expr {
	var s String
	var text []byte
	flush := func() {
		if len(text) > 0 {
			s.Parts = append(s.Parts, Part{Text: string(text)})
			text = text[:0]
		}
	}
	for {
		if p.pos >= len(p.src) {
			p.fail("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			flush()
			p.next()
			if len(s.Parts) == 0 {
				return Str("")
			}
			if len(s.Parts) == 1 && s.Parts[0].Expr == nil {
				return Str(s.Parts[0].Text)
			}
			return s
		case c == '\\' && p.pos+1 < len(p.src):
			switch e := p.src[p.pos+1]; e {
			case 'n':
				text = append(text, '\n')
			case 't':
				text = append(text, '\t')
			case 'r':
				text = append(text, '\r')
			default:
				text = append(text, e)
			}
			p.pos += 2
		case c == '$' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '$':
			text = append(text, '$', '$')
			p.pos += 2
		case c == '$' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '{':
			flush()
			p.pos += 2
			p.next()
			s.Parts = append(s.Parts, Part{Expr: p.expr()})
			if !p.is("}") {
				p.fail("unterminated interpolation")
			}
			// Continue inside the string right after the brace.
		default:
			text = append(text, c)
			p.pos++
		}
	}
}
