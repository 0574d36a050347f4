package nix

import (
	"strconv"
	"strings"
	"unicode"
)

// This file turns expressions into layout documents (doc.go) following the
// layout rules of RFC 166 / nixfmt, so that nixfmt leaves printed files
// unchanged. Where nixfmt keeps a choice the source made (a line break
// between `{` and `}`, between a lambda's colon and its body), the printer
// makes one fixed choice and lays the rest out as nixfmt would for it.
//
// Expressions are first normalized (norm):
// parentheses are made explicit, applications become curried pairs and
// selections are flattened, which is how nixfmt's parser sees the text.

// Width and indentation step nixfmt uses by default.
const (
	lineWidth   = 100
	indentWidth = 2
)

// Normalized forms. They exist only between norm and the document builder.
type (
	paren  struct{ X Expr }    // (X)
	app    struct{ F, A Expr } // F A, one argument at a time
	opNode struct {
		Op   string
		L, R Expr
	}
	selNode struct {
		X       Expr
		Attrs   []string
		Default Expr // nil without `or`
	}
	negInt struct{ V Int } // a negative integer literal (unary minus)
)

func (paren) nixExpr()   {}
func (app) nixExpr()     {}
func (opNode) nixExpr()  {}
func (selNode) nixExpr() {}
func (negInt) nixExpr()  {}

// norm returns e in normalized form, checking it as the printer always has.
func norm(e Expr) Expr {
	switch v := e.(type) {
	case nil:
		panic("nix.Print: nil expression (every Expr field must be set)")
	case String:
		return normString(e, v)
	case *String:
		return normString(e, *v)
	case Int:
		if v == -1<<63 {
			// The literal 9223372036854775808 overflows, so spell it as a difference.
			return paren{opNode{Op: "-", L: negInt{v + 1}, R: Int(1)}}
		}
		if v < 0 {
			return negInt{v}
		}
		return e // returning e, not v, saves boxing v again
	case Bool, Null:
		return e
	case Path:
		checkPath(string(v))
		return e
	case Ident:
		checkIdent("Ident", string(v))
		return e
	case Select:
		return normSel(v.X, v.Attrs, nil)
	case SelectOr:
		if v.Default == nil {
			panic("nix.Print: SelectOr has no Default")
		}
		return normSel(v.X, v.Attrs, v.Default)
	case Not:
		if v.X == nil {
			panic("nix.Print: nil expression (Not.X)")
		}
		switch v.X.(type) {
		case Apply, Not:
			return Not{norm(v.X)}
		}
		return Not{arg(v.X)}
	case List:
		if !generalOnly && normalAtoms(v) {
			return e // every item is its own normal form: no copy
		}
		out := make(List, len(v))
		for i, x := range v {
			out[i] = arg(x)
		}
		return out
	case Attrs:
		return e // bindings are normalized as they print (docPrinter.binds)
	case *Attrs:
		return *v
	case Lambda:
		return normLambda(v)
	case *Lambda:
		return normLambda(*v)
	case Apply:
		var f Expr
		switch v.Fn.(type) {
		case Ident, Select, Apply:
			f = norm(v.Fn)
		default:
			f = arg(v.Fn)
		}
		for _, x := range v.Args {
			f = app{f, arg(x)}
		}
		return f
	case Let:
		if v.Body == nil {
			panic("nix.Print: Let has no body")
		}
		return Let{Binds: v.Binds, Body: norm(v.Body)}
	case BinOp:
		return normOp(v)
	case If:
		if v.Cond == nil || v.Then == nil || v.Else == nil {
			panic("nix.Print: If needs Cond, Then and Else")
		}
		return If{norm(v.Cond), norm(v.Then), norm(v.Else)}
	case With:
		if v.Scope == nil || v.Body == nil {
			panic("nix.Print: With needs Scope and Body")
		}
		var scope Expr
		switch v.Scope.(type) {
		case Ident, Select:
			scope = norm(v.Scope)
		default:
			scope = arg(v.Scope)
		}
		return With{scope, norm(v.Body)}
	case Commented:
		return pushComments(v.Comment, norm(v.X))
	case paren:
		return paren{norm(v.X)}
	case app, opNode, selNode, negInt:
		return e
	}
	panic("nix.Print: unsupported expression type")
}

// pushComments attaches comment lines to the first token of e, as nixfmt's
// parser does: they move down the left spine of applications, operators
// and selections.
func pushComments(c []string, e Expr) Expr {
	if len(c) == 0 {
		return e
	}
	switch v := e.(type) {
	case app:
		return app{pushComments(c, v.F), v.A}
	case opNode:
		return opNode{v.Op, pushComments(c, v.L), v.R}
	case selNode:
		return selNode{pushComments(c, v.X), v.Attrs, v.Default}
	case Commented:
		return Commented{append(append([]string(nil), c...), v.Comment...), v.X}
	}
	return Commented{c, e}
}

// leadingComments removes the comments on e's first token.
func leadingComments(e Expr) (Expr, []string) {
	switch v := e.(type) {
	case app:
		f, c := leadingComments(v.F)
		if c == nil {
			return e, nil
		}
		return app{f, v.A}, c
	case opNode:
		l, c := leadingComments(v.L)
		if c == nil {
			return e, nil
		}
		return opNode{v.Op, l, v.R}, c
	case selNode:
		x, c := leadingComments(v.X)
		if c == nil {
			return e, nil
		}
		return selNode{x, v.Attrs, v.Default}, c
	case Commented:
		if len(v.Comment) == 0 {
			return leadingComments(v.X)
		}
		return v.X, v.Comment
	}
	return e, nil
}

func normString(e Expr, s String) Expr {
	parts := normalize(s.Parts)
	plain := len(parts) == len(s.Parts)
	for _, pt := range parts {
		if pt.Expr != nil {
			plain = false
			break
		}
	}
	if plain {
		return e // nothing to normalize: keep the literal as it is
	}
	out := make([]Part, len(parts))
	for i, pt := range parts {
		if pt.Expr != nil {
			pt.Expr = norm(pt.Expr)
		}
		out[i] = pt
	}
	return String{Parts: out}
}

// normalAtoms reports whether arg leaves every item of l as it is (plain
// strings, non-negative integers, booleans, null, paths, identifiers, sets),
// running the checks norm runs on them in the same order, so a bad item
// panics with the same message either way.
func normalAtoms(l List) bool {
	for _, x := range l {
		switch v := x.(type) {
		case String:
			if !plainParts(v.Parts) {
				return false
			}
		case *String:
			if !plainParts(v.Parts) {
				return false
			}
		case Int:
			if v < 0 {
				return false
			}
		case Bool, Null, Attrs:
		case Path:
			checkPath(string(v))
		case Ident:
			checkIdent("Ident", string(v))
		default:
			return false
		}
	}
	return true
}

// plainParts reports whether normString leaves a string with these parts as
// it is (at most one non-empty text), checking the text as it would.
func plainParts(parts []Part) bool {
	for i, pt := range parts {
		if pt.Expr != nil || pt.Text == "" || i > 0 {
			return false // normalize or normString would rebuild it
		}
		checkNUL(pt.Text)
	}
	return true
}

// atomic reports whether e can appear as a function argument, list element or
// select target without parentheses.
func atomic(e Expr) bool {
	switch v := e.(type) {
	case String, *String, Bool, Null, Path, Ident, Select, SelectOr, List, Attrs, *Attrs, paren, selNode:
		return true
	case Int:
		return v >= 0
	case Commented:
		return atomic(v.X)
	}
	return false
}

// arg normalizes e for an argument/list-element position, parenthesized
// unless it is atomic.
func arg(e Expr) Expr {
	if c, ok := e.(Commented); ok {
		return pushComments(c.Comment, arg(c.X))
	}
	if atomic(e) {
		return norm(e)
	}
	return paren{norm(e)}
}

func normSel(x Expr, attrs []string, def Expr) Expr {
	if len(attrs) == 0 {
		panic("nix.Print: Select with no attribute names")
	}
	var t Expr
	switch x.(type) {
	case Ident, Select, String, *String, Attrs, *Attrs, List, Bool, Null, paren:
		t = norm(x)
	default:
		t = paren{norm(x)}
	}
	var d Expr
	if def != nil {
		d = arg(def)
	}
	if s, ok := t.(selNode); ok && s.Default == nil {
		return selNode{X: s.X, Attrs: append(append([]string(nil), s.Attrs...), attrs...), Default: d}
	}
	return selNode{X: t, Attrs: attrs, Default: d}
}

func isInherit(b *Binding) bool {
	return b.Inherit != nil || (b.Path == nil && b.Value == nil && b.InheritFrom != nil)
}

// normBind normalizes one binding (sets and lets keep theirs as given, and
// each binding is normalized when it prints).
func normBind(b Binding) Binding {
	if isInherit(&b) {
		if b.InheritFrom != nil {
			b.InheritFrom = paren{norm(b.InheritFrom)}
		}
		if b.Inherit == nil {
			b.Inherit = []string{}
		}
		return b
	}
	if len(b.Path) == 0 {
		panic("nix.Print: Binding has neither an attribute path nor inherit names")
	}
	if b.Value == nil {
		panic("nix.Print: Binding " + strings.Join(b.Path, ".") + " has no value")
	}
	b.Value = norm(b.Value)
	return b
}

func normLambda(l Lambda) Expr {
	if l.Param != "" {
		if l.Formals != nil || l.Ellipsis || l.At != "" {
			panic("nix.Print: Lambda " + l.Param + " sets both Param and Formals/Ellipsis/At")
		}
		checkIdent("Lambda.Param", l.Param)
		if l.Body == nil {
			panic("nix.Print: Lambda " + l.Param + " has no body")
		}
		return Lambda{Param: l.Param, Body: norm(l.Body)}
	}
	if l.At != "" {
		checkIdent("Lambda.At", l.At)
	}
	if l.Body == nil {
		panic("nix.Print: Lambda has no body")
	}
	fs := make([]Formal, len(l.Formals))
	for i, f := range l.Formals {
		checkIdent("Formal.Name", f.Name)
		if f.Default != nil {
			switch f.Default.(type) {
			case Apply, Select:
				f.Default = norm(f.Default)
			default:
				f.Default = arg(f.Default)
			}
		}
		fs[i] = f
	}
	if fs == nil {
		fs = []Formal{}
	}
	return Lambda{Formals: fs, Ellipsis: l.Ellipsis, At: l.At, Body: norm(l.Body)}
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

func normOp(b BinOp) Expr {
	prec, assoc := opInfo(b.Op)
	l := operand(b.L, prec, assoc != assocLeft)
	r := operand(b.R, prec, assoc != assocRight)
	// nixfmt reads a chain of + as nested to the right.
	if b.Op == "+" {
		if lo, ok := l.(opNode); ok && lo.Op == "+" {
			return rotatePlus(lo, r)
		}
	}
	return opNode{Op: b.Op, L: l, R: r}
}

// rotatePlus turns (a + b) + r into a + (b + r), recursively.
func rotatePlus(l opNode, r Expr) Expr {
	inner := opNode{Op: "+", L: l.R, R: r}
	if ll, ok := l.L.(opNode); ok && ll.Op == "+" {
		return rotatePlus(ll, inner)
	}
	return opNode{Op: "+", L: l.L, R: inner}
}

// operand normalizes one side of a binary operator, parenthesized when it
// binds more loosely than the operator, or equally on the non-associative
// side.
func operand(e Expr, prec int, strict bool) Expr {
	inner := e
	if c, ok := e.(Commented); ok {
		inner = c.X
	}
	switch v := inner.(type) {
	case BinOp:
		q, _ := opInfo(v.Op)
		if q > prec || q == prec && !strict {
			return norm(e)
		}
	case Apply:
		return norm(e)
	case Not:
		// ! binds tighter than //, comparisons and the logical
		// operators, and looser than + - * / ++.
		if 8 > prec {
			return norm(e)
		}
	}
	return arg(e)
}

// docPrinter builds the document of one file.
type docPrinter struct {
	b builder
	// memo, when set, makes binds leave a kLazy placeholder for each
	// binding it remembers (memo.go); lazy holds those bindings.
	memo *Memo
	lazy []*Binding
}

// ---- classification, after nixfmt's notion of terms ----

// strip removes a Commented wrapper, reporting whether it had comments.
func strip(e Expr) (Expr, bool) {
	if c, ok := e.(Commented); ok {
		x, _ := strip(c.X)
		return x, len(c.Comment) > 0
	}
	return e, false
}

func stripped(e Expr) Expr {
	x, _ := strip(e)
	return x
}

func isTerm(e Expr) bool {
	e, _ = strip(e)
	switch e.(type) {
	case String, *String, Int, Bool, Null, Path, Ident, selNode, List, Attrs, paren:
		return true
	}
	return false
}

// stringLines reports how many source lines a string literal spans as
// printed (indented strings span at least two).
func isIndented(s String) bool { return indentedOK(s.Parts) }

// absorbable: terms that may start on the line of what precedes them and
// span several lines (non-empty sets and lists, multi-line strings, and
// parentheses around those).
func absorbable(e Expr) bool {
	e, c := strip(e)
	switch v := e.(type) {
	case String:
		return isIndented(v)
	case *String:
		return isIndented(*v)
	case List:
		return len(v) > 0 || c // comments in front of [ keep it absorbable
	case Attrs:
		return len(v.Binds) > 0 || c && !v.Rec
	case paren:
		x, xc := strip(v.X)
		return !c && !xc && isTerm(x) && absorbable(x)
	}
	return false
}

func absorbableExpr(e Expr) bool {
	switch v := stripped(e).(type) {
	case With:
		return isTerm(v.Body) && absorbable(v.Body)
	case Lambda:
		if v.Param == "" {
			return false // the body always starts on its own line
		}
		if _, ok := stripped(v.Body).(Lambda); ok {
			return absorbableExpr(v.Body)
		}
		return isTerm(v.Body) && absorbable(v.Body)
	}
	return isTerm(e) && absorbable(e)
}

// simple: short leaf-like expressions (identifiers, literals, plain
// selections, and applications of those to at most two arguments).
func simple(e Expr) bool {
	switch v := e.(type) {
	case String, *String, Path, Ident, Int, Bool, Null:
		return true
	case selNode:
		if v.Default != nil || !simple(v.X) {
			return false
		}
		for _, a := range v.Attrs {
			if !plainName(a) {
				return false
			}
		}
		return true
	case paren:
		return simple(v.X)
	case app:
		if f, ok := v.F.(app); ok {
			if _, ok := f.F.(app); ok {
				return false
			}
		}
		return simple(v.F) && simple(v.A)
	}
	return false
}

// plainName reports whether an attribute name prints without quotes.
func plainName(a string) bool { return isIdent(a) && !isKeyword(a) && a != "or" }

// generalOnly turns every fast path of the printer off (the shortcuts that
// build a known document directly, skip a copy or skip a layout attempt
// known to fail), so tests can check that they change no output.
var generalOnly = false

// ---- documents ----

func (p *docPrinter) text(s string) { p.b.text(s) }

func (p *docPrinter) group(ann uint8, f func()) {
	p.b.open()
	f()
	p.b.close(ann)
}

func (p *docPrinter) nest(f func()) {
	p.b.level++
	f()
	p.b.level--
}

func (p *docPrinter) sp(s spacing) { p.b.space(s) }

// expr is the document of an expression.
func (p *docPrinter) expr(e Expr) {
	switch v := e.(type) {
	case Commented:
		if isTerm(v.X) {
			p.termGrouped(v)
			return
		}
		p.queue(v)
		p.expr(v.X)
	case Let:
		p.let(v)
	case If:
		p.group(gRegular, func() { p.ifChain(spSpace, v) })
	case With:
		p.with(v)
	case Lambda:
		p.lambda(v)
	case app:
		p.app(false, false, false, v)
	case opNode:
		p.operation(v, false)
	case Not:
		p.text("!")
		p.expr(v.X)
	case negInt:
		p.text(strconv.FormatInt(int64(v.V), 10))
	default:
		p.termGrouped(e)
	}
}

// queue queues the comments in front of e, to be written before its first
// text.
func (p *docPrinter) queue(e Expr) {
	if c, ok := e.(Commented); ok && len(c.Comment) > 0 {
		p.b.trivia(p.commentLines(c.Comment))
	}
}

// termGrouped is a term as an expression: lists get their own group.
func (p *docPrinter) termGrouped(e Expr) {
	if _, ok := stripped(e).(List); ok {
		p.group(gRegular, func() { p.term(e) })
		return
	}
	p.term(e)
}

func (p *docPrinter) term(e Expr) {
	switch v := e.(type) {
	case Commented:
		p.queue(v)
		if a, ok := v.X.(Attrs); ok && len(a.Binds) == 0 && !a.Rec && len(v.Comment) > 0 {
			// With comments in front of {, an empty set is laid out
			// like a non-empty one (its braces may break apart).
			p.text("{")
			p.sp(spSpace)
			p.sp(spSpace)
			p.text("}")
			return
		}
		p.term(v.X)
	case String:
		p.string(v)
	case *String:
		p.string(*v)
	case Int:
		p.text(strconv.FormatInt(int64(v), 10))
	case Bool:
		if v {
			p.text("true")
		} else {
			p.text("false")
		}
	case Null:
		p.text("null")
	case Path:
		p.text(string(v))
	case Ident:
		p.text(string(v))
	case selNode:
		p.sel(v)
	case List:
		p.list(v)
	case Attrs:
		p.set(v, false)
	case paren:
		p.paren(v)
	default:
		p.expr(e)
	}
}

// termWide is a term where a non-empty set always expands.
func (p *docPrinter) termWide(e Expr) {
	x, _ := strip(e)
	if a, ok := x.(Attrs); ok {
		if c, ok := e.(Commented); ok {
			p.b.trivia(p.commentLines(c.Comment))
		}
		p.set(a, true)
		return
	}
	p.term(e)
}

func (p *docPrinter) sel(s selNode) {
	x, _ := strip(s.X)
	p.term(s.X)
	switch x.(type) {
	case Ident, Bool, Null:
	case paren:
		p.sp(spSoftbreak)
	default:
		p.sp(spBreak)
	}
	for _, a := range s.Attrs {
		p.text(".")
		p.attrName(a)
	}
	if s.Default != nil {
		p.sp(spSoftspace)
		p.nest(func() {
			p.text("or")
			p.sp(spHardspace)
			p.termGrouped(s.Default)
		})
	}
}

func (p *docPrinter) attrName(a string) {
	if plainName(a) {
		p.text(a)
		return
	}
	if generalOnly {
		p.text(quotedText([]Part{{Text: a}}))
		return
	}
	// quotedText's bytes, kept in the text arena.
	checkNUL(a)
	q := escapeQuoted(append(p.b.quoteBuf[:0], '"'), a, false)
	p.b.quoteBuf = append(q, '"')
	p.text(p.b.texts.copy(p.b.quoteBuf))
}

func (p *docPrinter) list(l List) {
	if len(l) == 0 {
		p.text("[")
		p.sp(spHardspace)
		p.text("]")
		return
	}
	p.renderList(spHardline, l, false)
}

// renderList is [ items ] with sep between the items; an empty list is
// [ ], or [ and ] on lines of their own when comments precede it
// (trivia).
func (p *docPrinter) renderList(sep spacing, l List, trivia bool) {
	p.text("[")
	sur := spSpace
	if len(l) == 0 {
		sur = spHardspace
		if trivia {
			sur = spHardline
		}
	}
	p.sp(sur)
	p.nest(func() {
		for i, x := range l {
			if i > 0 {
				p.sp(sep)
			}
			// Comments in front of an item stand as an item of their own.
			x, c := leadingComments(x)
			if c != nil {
				p.comments(p.commentLines(c))
				p.sp(sep)
			}
			p.group(gRegular, func() { p.termGrouped(x) })
		}
	})
	p.sp(sur)
	p.text("]")
}

// comments is a run of comment lines standing between items.
func (p *docPrinter) comments(lines []string) {
	p.sp(spHardline)
	for _, l := range lines {
		p.b.comment(l)
		p.sp(spHardline)
	}
}

func (p *docPrinter) set(a Attrs, wide bool) {
	if a.Rec {
		p.text("rec")
		p.sp(spHardspace)
	}
	if len(a.Binds) == 0 {
		p.text("{")
		p.sp(spHardspace)
		p.text("}")
		return
	}
	// A set's braces always go on lines of their own (nixfmt keeps them
	// so once they are), which keeps diffs of generated files small.
	sep := spHardline
	p.text("{")
	p.sp(sep)
	p.nest(func() { p.binds(a.Binds) })
	p.sp(sep)
	p.text("}")
}

func (p *docPrinter) binds(bs []Binding) {
	for i := range bs {
		if i > 0 {
			p.sp(spHardline)
		}
		if p.memo != nil && !generalOnly && remembered(&bs[i]) {
			if len(bs[i].Comment) > 0 {
				p.comments(p.commentLines(bs[i].Comment))
				p.sp(spHardline)
			}
			if p.b.pending == nil && p.b.off == 0 {
				p.lazy = append(p.lazy, &bs[i])
				p.b.add(elem{kind: kLazy, level: p.b.level, off: p.b.off, n: int32(len(p.lazy) - 1)})
				continue
			}
			b := normBind(bs[i])
			p.group(gRegular, func() { p.binding(&b) })
			continue
		}
		b := normBind(bs[i])
		if len(b.Comment) > 0 {
			p.comments(p.commentLines(b.Comment))
			p.sp(spHardline)
		}
		if generalOnly || !p.flatBinding(&b) && !p.atomBinding(&b) {
			p.group(gRegular, func() { p.binding(&b) })
		}
	}
}

// atomBinding writes `a.b = x;` for x an identifier, boolean, null,
// non-negative integer or a selection of plain names from an identifier,
// building directly the document binding would: the group
//
//	"a.b"  hardspace  "=" (one level deeper)  group[space "x"] (two deeper)  ";"
//
// (adjacent texts of one level lay out as one text). It reports false,
// writing nothing, for anything else.
func (p *docPrinter) atomBinding(b *Binding) bool {
	if b.Inherit != nil || len(b.Path) > 4 || p.b.pending != nil {
		return false
	}
	var v string
	sel := false
	var attrs []string
	switch x := b.Value.(type) {
	case Ident:
		v = string(x)
	case Bool:
		v = "false"
		if x {
			v = "true"
		}
	case Null:
		v = "null"
	case Int:
		if x < 0 {
			return false
		}
		v = strconv.FormatInt(int64(x), 10)
	case selNode:
		id, ok := x.X.(Ident)
		if !ok || x.Default != nil {
			return false
		}
		for _, a := range x.Attrs {
			if !plainName(a) {
				return false
			}
		}
		v, sel, attrs = string(id), true, x.Attrs
	default:
		return false
	}
	n := len(b.Path)
	for _, a := range b.Path {
		if !plainName(a) {
			return false
		}
		n += len(a)
	}
	a := &p.b.texts
	a.reserve(n)
	start := a.sb.Len()
	for i, name := range b.Path {
		if i > 0 {
			a.sb.WriteByte('.')
		}
		a.sb.WriteString(name)
	}
	path := a.sb.String()[start:]
	if sel {
		m := len(v)
		for _, at := range attrs {
			m += 1 + len(at)
		}
		a.reserve(m)
		start := a.sb.Len()
		a.sb.WriteString(v)
		for _, at := range attrs {
			a.sb.WriteByte('.')
			a.sb.WriteString(at)
		}
		v = a.sb.String()[start:]
	}
	lv, off := p.b.level, p.b.off
	val := p.b.slab.alloc(2)
	val[0] = elem{kind: kSpace, sp: spSpace}
	val[1] = elem{kind: kText, text: v, level: lv + 2, off: off}
	kids := p.b.slab.alloc(5)
	kids[0] = elem{kind: kText, text: path, level: lv, off: off}
	kids[1] = elem{kind: kSpace, sp: spHardspace}
	kids[2] = elem{kind: kText, text: "=", level: lv + 1, off: off}
	kids[3] = elem{kind: kGroup, ann: gRegular, kids: val, n: minWidth(val)}
	kids[4] = elem{kind: kText, text: ";", level: lv, off: off}
	p.b.buf = append(p.b.buf, elem{kind: kGroup, ann: gRegular, kids: kids, n: minWidth(kids)})
	p.b.sealed = false
	return true
}

// flatBinding writes `a.b = "text";` as the one text its group closes to
// (see flatText), without building the parts: a path of at most four plain
// names and a one-line string without interpolation lay out as texts and
// hard spaces only. It reports false, writing nothing, for anything else.
func (p *docPrinter) flatBinding(b *Binding) bool {
	if b.Inherit != nil || len(b.Path) > 4 || p.b.pending != nil {
		return false
	}
	var parts []Part
	switch v := b.Value.(type) {
	case String:
		parts = v.Parts
	case *String:
		parts = v.Parts
	default:
		return false
	}
	if len(parts) > 1 {
		return false
	}
	t := ""
	if len(parts) == 1 {
		if parts[0].Expr != nil {
			return false
		}
		t = parts[0].Text
	}
	if strings.IndexByte(t, '\n') >= 0 {
		return false // may print as an indented string
	}
	n := len(t) + len(` = "";`)
	for _, a := range b.Path {
		if !plainName(a) {
			return false
		}
		n += len(a) + 1
	}
	checkNUL(t)
	esc := escapeQuotedString(t)
	a := &p.b.texts
	a.reserve(n + len(esc) - len(t))
	start := a.sb.Len()
	for i, name := range b.Path {
		if i > 0 {
			a.sb.WriteByte('.')
		}
		a.sb.WriteString(name)
	}
	a.sb.WriteString(` = "`)
	a.sb.WriteString(esc)
	a.sb.WriteString(`";`)
	p.b.textGroup(a.sb.String()[start:])
	return true
}

func (p *docPrinter) binding(b *Binding) {
	if b.Inherit != nil {
		sep, nosep := spSpace, spBreak
		if len(b.Inherit) >= 4 {
			sep, nosep = spHardline, spHardline
		}
		p.text("inherit")
		if b.InheritFrom == nil {
			p.sp(sep)
			p.nest(func() {
				p.names(b.Inherit, sep)
				p.sp(nosep)
				p.text(";")
			})
			return
		}
		p.nest(func() {
			p.group(gRegular, func() {
				p.sp(spSpace)
				p.term(b.InheritFrom)
			})
			p.sp(sep)
			p.names(b.Inherit, sep)
			p.sp(nosep)
			p.text(";")
		})
		return
	}
	simplePath := len(b.Path) <= 4
	for i, a := range b.Path {
		if i > 0 {
			p.text(".")
		}
		p.attrName(a)
		if !plainName(a) {
			simplePath = false
		}
	}
	p.nest(func() {
		p.sp(spHardspace)
		p.text("=")
		if simplePath {
			p.rhs(b.Value)
		} else {
			p.sp(spBreak)
			p.group(gPriority, func() { p.rhs(b.Value) })
		}
	})
	p.text(";")
}

func (p *docPrinter) names(ns []string, sep spacing) {
	for i, n := range ns {
		if i > 0 {
			p.sp(sep)
		}
		p.attrName(n)
	}
}

// rhs is the value of a binding or a formal's default, after `=` or `?`.
func (p *docPrinter) rhs(e Expr) {
	x, _ := strip(e)
	if a, ok := x.(Attrs); ok && len(a.Binds) == 1 && isInherit(&a.Binds[0]) && len(a.Binds[0].Comment) == 0 {
		p.nest(func() {
			p.sp(spHardspace)
			p.group(gRegular, func() { p.absorbExpr(false, e) })
		})
		return
	}
	if absorbableExpr(e) {
		p.nest(func() {
			p.sp(spHardspace)
			p.group(gRegular, func() { p.absorbExpr(true, e) })
		})
		return
	}
	switch v := x.(type) {
	case paren:
		p.nest(func() {
			p.sp(spHardspace)
			p.queue(e)
			p.absorbParen(v)
		})
		return
	case String, *String, Path:
		p.nest(func() {
			p.sp(spHardspace)
			p.group(gRegular, func() { p.expr(e) })
		})
		return
	case app:
		p.nest(func() { p.app(false, true, false, v) })
		return
	case With:
		p.nest(func() {
			p.group(gRegular, func() {
				p.sp(spSpace)
				p.expr(e)
			})
		})
		return
	case opNode:
		if v.Op == "//" || v.Op == "++" || v.Op == "+" {
			{
				if l, lc := strip(v.L); !lc && isTerm(l) && absorbable(l) {
					p.sp(spHardspace)
					p.operation(v, true)
					return
				}
				if r, _ := strip(v.R); isTerm(r) && absorbable(v.R) {
					p.nest(func() {
						p.group(gRegular, func() {
							p.sp(spSpace)
							p.expr(v.L)
							p.sp(spSpace)
							p.group(gTransparent, func() {
								p.text(v.Op)
								p.sp(spHardspace)
								p.group(gPriority, func() { p.termWide(v.R) })
							})
						})
					})
					return
				}
			}
		}
	}
	if isTerm(x) {
		p.nest(func() {
			p.group(gRegular, func() {
				p.sp(spSpace)
				p.expr(e)
			})
		})
		return
	}
	p.nest(func() {
		p.sp(spSpace)
		p.group(gRegular, func() { p.expr(e) })
	})
}

// absorbExpr is an expression that starts on the current line.
func (p *docPrinter) absorbExpr(wide bool, e Expr) {
	x, _ := strip(e)
	if isTerm(x) && absorbable(e) {
		if wide {
			p.termWide(e)
		} else {
			p.term(e)
		}
		return
	}
	if w, ok := x.(With); ok && isTerm(w.Body) && absorbable(w.Body) {
		if c, ok := e.(Commented); ok {
			p.b.trivia(p.commentLines(c.Comment))
		}
		p.withAbsorbed(w)
		return
	}
	p.expr(e)
}

func (p *docPrinter) absorbParen(v paren) {
	p.group(gPriority, func() {
		p.nest(func() {
			p.text("(")
			p.sp(spBreak)
			p.group(gRegular, func() {
				p.nest(func() { p.expr(v.X) })
			})
			p.sp(spBreak)
			p.text(")")
		})
	})
}

func (p *docPrinter) paren(v paren) {
	p.group(gRegular, func() {
		p.text("(")
		p.nest(func() { p.parenInner(v.X) })
		p.text(")")
	})
}

// parenInner is the content of parentheses or of an interpolation that
// stands alone on its line.
func (p *docPrinter) parenInner(e Expr) {
	x, c := strip(e)
	switch {
	case absorbableExpr(e):
		p.group(gRegular, func() { p.absorbExpr(false, e) })
		return
	}
	switch v := x.(type) {
	case app:
		if !c {
			p.app(true, false, true, v)
			return
		}
	case selNode:
		if absorbable(v.X) {
			p.sp(spBreak)
		}
		p.group(gRegular, func() { p.expr(e) })
		p.sp(spBreak)
		return
	}
	p.sp(spBreak)
	p.group(gRegular, func() { p.expr(e) })
	p.sp(spBreak)
}

func (p *docPrinter) let(l Let) {
	p.group(gRegular, func() {
		p.text("let")
		p.sp(spHardline)
		p.nest(func() { p.binds(l.Binds) })
	})
	p.sp(spHardline)
	p.group(gRegular, func() {
		p.text("in")
		p.sp(spHardline)
		p.expr(l.Body)
	})
}

func (p *docPrinter) ifChain(sep spacing, v If) {
	p.group(gRegular, func() {
		p.text("if")
		p.sp(spSpace)
		p.nest(func() { p.expr(v.Cond) })
		p.sp(spSpace)
		p.text("then")
	})
	p.sp(sep)
	p.nest(func() { p.group(gRegular, func() { p.expr(v.Then) }) })
	p.sp(sep)
	p.text("else")
	p.sp(spHardspace)
	if e, ok := stripped(v.Else).(If); ok {
		// else if, also with comments in front of the inner if.
		p.queue(v.Else)
		p.ifChain(spHardline, e)
		return
	}
	p.sp(spSpace)
	p.nest(func() { p.group(gRegular, func() { p.expr(v.Else) }) })
}

func (p *docPrinter) with(w With) {
	p.group(gRegular, func() {
		p.text("with")
		p.sp(spHardspace)
		p.nest(func() { p.group(gRegular, func() { p.expr(w.Scope) }) })
		p.text(";")
	})
	p.sp(spSpace)
	p.expr(w.Body)
}

func (p *docPrinter) withAbsorbed(w With) {
	p.group(gRegular, func() {
		p.sp(spBreak)
		p.text("with")
		p.sp(spHardspace)
		p.nest(func() { p.group(gRegular, func() { p.expr(w.Scope) }) })
		p.text(";")
		p.sp(spHardspace)
		p.group(gPriority, func() { p.termWide(w.Body) })
	})
}

func (p *docPrinter) lambda(l Lambda) {
	if l.Param != "" {
		p.group(gRegular, func() {
			p.sp(spBreak)
			p.text(l.Param)
			p.text(":")
			p.absorbAbs(1, l.Body)
		})
		return
	}
	if l.At != "" {
		// nixfmt keeps a line break after the colon only for plain
		// formals; after args@{ … }: the body follows like any other.
		p.text(l.At)
		p.text("@")
		p.formals(l)
		p.text(":")
		p.sp(spSpace)
		if isTerm(l.Body) && absorbable(l.Body) {
			p.group(gRegular, func() { p.termWide(l.Body) })
			return
		}
		p.expr(l.Body)
		return
	}
	p.formals(l)
	p.text(":")
	p.sp(spHardline)
	p.expr(l.Body)
}

func (p *docPrinter) absorbAbs(depth int, body Expr) {
	if b, ok := stripped(body).(Lambda); ok && b.Param != "" {
		p.sp(spHardspace)
		p.queue(body) // comments in front of the parameter stay in this group
		p.text(b.Param)
		p.text(":")
		p.absorbAbs(depth+1, b.Body)
		return
	}
	if absorbableExpr(body) {
		p.sp(spHardspace)
		p.group(gPriority, func() { p.absorbExpr(false, body) })
		return
	}
	if depth <= 2 {
		p.sp(spSpace)
	} else {
		p.sp(spHardline)
	}
	p.expr(body)
}

// flatFormals reports whether a formals pattern may stay on one line: at
// most two names without defaults, and optionally `...`.
func flatFormals(l Lambda) bool {
	if len(l.Formals) > 2 {
		return false
	}
	for _, f := range l.Formals {
		if f.Default != nil {
			return false
		}
	}
	return true
}

func (p *docPrinter) formals(l Lambda) {
	if len(l.Formals) == 0 && !l.Ellipsis {
		p.group(gRegular, func() {
			p.text("{")
			p.sp(spHardspace)
			p.text("}")
		})
		return
	}
	sep := spHardline
	if flatFormals(l) {
		sep = spSpace
	}
	p.group(gRegular, func() {
		p.text("{")
		p.sp(sep)
		p.nest(func() {
			for i, f := range l.Formals {
				if i > 0 {
					p.sp(sep)
				}
				last := i == len(l.Formals)-1 && !l.Ellipsis
				p.formal(f, last)
			}
			if l.Ellipsis {
				if len(l.Formals) > 0 {
					p.sp(sep)
				}
				p.text("...")
			}
		})
		p.sp(sep)
		p.text("}")
	})
}

func (p *docPrinter) formal(f Formal, last bool) {
	comma := func() {
		if last {
			p.b.trailing(",")
		} else {
			p.text(",")
		}
	}
	if f.Default == nil {
		p.text(f.Name)
		comma()
		return
	}
	p.group(gRegular, func() {
		p.text(f.Name)
		p.sp(spHardspace)
		p.nest(func() {
			p.text("?")
			p.rhs(f.Default)
		})
		if !last {
			p.text(",")
		}
	})
	if last {
		p.b.trailing(",")
	}
}

func isList(e Expr) bool {
	_, ok := stripped(e).(List)
	return ok
}

// app is a function application. With indentFn the function may move to
// its own indented line; pre puts a line break opportunity first, post one
// last (used inside parentheses).
func (p *docPrinter) app(indentFn, pre, post bool, a app) {
	fn, comments := leadingComments(a.F)
	if comments != nil {
		p.comments(p.commentLines(comments))
	}
	f2, ok := fn.(app)
	if ok && isList(f2.A) && isList(a.A) {
		p.group(gRegular, func() {
			if pre {
				p.sp(spSpace)
			}
			p.group(gTransparent, func() { p.absorbApp(indentFn && comments == nil, f2.F) })
			p.sp(spSpace)
			p.nest(func() { p.group(gRegular, func() { p.absorbInner(f2.A) }) })
			p.sp(spSpace)
			p.nest(func() { p.group(gRegular, func() { p.absorbInner(a.A) }) })
			if post {
				p.sp(spBreak)
			}
		})
	} else {
		// The function part, laid out in a scratch group to see whether it
		// can be flattened.
		p.b.openDetached()
		if pre {
			p.sp(spSpace)
		}
		p.group(gTransparent, func() { p.absorbApp(indentFn && comments == nil, fn) })
		renderedF := p.b.take()
		var flat []elem
		isSimple := comments == nil && simple(app{fn, a.A})
		if isSimple {
			flat, isSimple = unexpandAll(renderedF, nil, nil)
		}
		p.group(gRegular, func() {
			if isSimple {
				p.b.addAll(flat)
				p.sp(spHardspace)
				p.absorbLast(a.A)
				return
			}
			p.b.addAll(renderedF)
			p.sp(spSpace)
			p.absorbLast(a.A)
			if post {
				p.sp(spBreak)
			}
		})
	}
	if post && comments != nil {
		p.sp(spHardline)
	}
}

// absorbApp lays out the function and all but the last argument.
func (p *docPrinter) absorbApp(indentFn bool, e Expr) {
	a, ok := e.(app)
	if !ok {
		if indentFn {
			p.nest(func() {
				p.group(gRegular, func() {
					p.sp(spBreak)
					p.expr(e)
				})
			})
			return
		}
		p.expr(e)
		return
	}
	if _, ok := a.A.(selNode); ok {
		p.group(gTransparent, func() { p.absorbApp(indentFn, a.F) })
		p.sp(spSpace)
		p.nest(func() { p.group(gRegular, func() { p.absorbInner(a.A) }) })
		return
	}
	if f2, ok := a.F.(app); ok && isList(f2.A) && isList(a.A) {
		p.group(gTransparent, func() {
			p.group(gTransparent, func() { p.absorbApp(indentFn, f2.F) })
			p.nest(func() {
				p.group(gRegular, func() {
					p.sp(spSpace)
					p.group(gRegular, func() { p.absorbInner(f2.A) })
					p.sp(spSpace)
					p.group(gRegular, func() { p.absorbInner(a.A) })
				})
			})
		})
		return
	}
	p.group(gTransparent, func() { p.absorbApp(indentFn, a.F) })
	p.sp(spSpace)
	p.nest(func() { p.group(gPriority, func() { p.absorbInner(a.A) }) })
}

// absorbInner is an argument other than the last: short lists of simple
// items may stay on one line.
func (p *docPrinter) absorbInner(e Expr) {
	x, trivia := strip(e)
	if l, ok := x.(List); ok {
		n, allSimple := len(l), true
		for _, x := range l {
			x, c := leadingComments(x)
			if c != nil {
				n++ // nixfmt counts the comment as an item of its own
			}
			allSimple = allSimple && simple(x)
		}
		if n <= 6 && allSimple {
			p.queue(e)
			p.renderList(spSpace, l, trivia)
			return
		}
	}
	p.expr(e)
}

// absorbLast is the last argument of an application.
func (p *docPrinter) absorbLast(e Expr) {
	x, c := strip(e)
	if isTerm(x) && absorbable(e) {
		p.group(gPriority, func() { p.nest(func() { p.term(e) }) })
		return
	}
	if v, ok := x.(paren); ok {
		if c {
			p.queue(e)
			p.absorbParen(v)
			return
		}
		if l, ok := v.X.(Lambda); ok && l.Param != "" && isTerm(l.Body) && absorbable(l.Body) {
			p.group(gPriority, func() {
				p.nest(func() {
					p.text("(")
					p.text(l.Param)
					p.text(":")
					p.sp(spHardspace)
					p.termWide(l.Body)
					p.text(")")
				})
			})
			return
		}
		if a, ok := v.X.(app); ok {
			if id, ok := a.F.(Ident); ok && isTerm(a.A) && absorbable(a.A) {
				p.group(gPriority, func() {
					p.nest(func() {
						p.text("(")
						p.text(string(id))
						p.sp(spHardspace)
						p.termWide(a.A)
						p.text(")")
					})
				})
				return
			}
		}
		p.absorbParen(v)
		return
	}
	p.group(gRegular, func() { p.nest(func() { p.expr(e) }) })
}

// operation lays out a chain of one operator.
func (p *docPrinter) operation(o opNode, wideFirst bool) {
	switch o.Op {
	case "<", ">", "<=", ">=", "==", "!=":
		p.expr(o.L)
		p.sp(spSoftspace)
		p.text(o.Op)
		p.sp(spHardspace)
		p.expr(o.R)
		return
	}
	var operands []Expr
	var flatten func(e Expr)
	flatten = func(e Expr) {
		if v, ok := e.(opNode); ok && v.Op == o.Op {
			flatten(v.L)
			flatten(v.R)
			return
		}
		operands = append(operands, e)
	}
	flatten(o)
	p.group(gRegular, func() {
		for i, x := range operands {
			if i == 0 {
				if wideFirst && isTerm(x) && absorbable(x) {
					p.termWide(x)
				} else {
					p.expr(x)
				}
				continue
			}
			p.sp(spSpace)
			p.text(o.Op)
			p.nest(func() { p.absorbOperand(x) })
		}
	})
}

func (p *docPrinter) absorbOperand(e Expr) {
	x, _ := strip(e)
	if isTerm(x) && absorbable(e) {
		p.sp(spHardspace)
		p.termGrouped(e)
		return
	}
	switch v := x.(type) {
	case opNode:
		p.group(gRegular, func() {
			p.sp(spSpace)
			p.expr(e)
		})
		return
	case app:
		p.group(gRegular, func() {
			p.sp(spHardspace)
			p.app(false, true, false, v)
		})
		return
	}
	p.sp(spHardspace)
	p.expr(e)
}

// unexpandAll appends d laid out on one line, as a flat list of texts and
// spaces, to out. It fails when d has a forced line break or, with a
// non-nil limit, when that takes more than *limit columns.
func unexpandAll(d []elem, out []elem, limit *int) ([]elem, bool) {
	for i := range d {
		x := d[i]
		w := 0
		switch x.kind {
		case kText:
			out = append(out, x)
			w = textWidth(x.text)
		case kSpace:
			switch x.sp {
			case spSpace, spSoftspace, spHardspace:
				out = append(out, elem{kind: kSpace, sp: spHardspace})
				w = 1
			case spBreak, spSoftbreak:
			default:
				return nil, false
			}
		case kGroup:
			var ok bool
			if out, ok = unexpandAll(x.kids, out, limit); !ok {
				return nil, false
			}
		case kLazy:
			return nil, false // a binding starts a line
		}
		if limit != nil {
			if *limit -= w; *limit < 0 {
				return nil, false
			}
		}
	}
	return out, true
}

// capture lays out f into a detached document.
func (p *docPrinter) capture(f func()) []elem {
	p.b.openDetached()
	f()
	return p.b.take()
}

func (p *docPrinter) string(s String) {
	indented := isIndented(s)
	if !indented && len(s.Parts) <= 1 {
		// The common case: one plain text, escaped at most once.
		t := ""
		if len(s.Parts) == 1 {
			t = s.Parts[0].Text
			checkNUL(t)
		}
		if generalOnly {
			p.group(gRegular, func() {
				p.text("\"")
				p.text(escapeQuotedString(t))
				p.text("\"")
			})
			return
		}
		// The group of three texts above, which close joins into one.
		p.b.textGroup(p.b.texts.join("\"", escapeQuotedString(t), "\""))
		return
	}
	lines := stringLines(&p.b.texts, s.Parts, indented)
	p.group(gRegular, func() {
		if !indented {
			p.text("\"")
			p.strLine(lines[0])
			p.text("\"")
			return
		}
		p.text("''")
		if len(lines) > 1 {
			p.sp(spBreak)
		}
		p.nest(func() {
			for i, l := range lines {
				if i > 0 {
					p.b.newlines(1)
				}
				p.strLine(l)
			}
		})
		p.text("''")
	})
}

func (p *docPrinter) strLine(l []strPart) {
	if len(l) == 1 && l[0].expr != nil {
		l = []strPart{{}, l[0]}
	}
	if len(l) == 2 && l[1].expr != nil && l[0].expr == nil && strings.Trim(l[0].text, " ") == "" {
		p.text(l[0].text)
		p.offset(int32(textWidth(l[0].text)), func() {
			p.group(gRegular, func() {
				p.text("${")
				p.nest(func() { p.parenInner(l[1].expr) })
				p.text("}")
			})
		})
		return
	}
	if len(l) > 0 && l[0].expr == nil {
		t := l[0].text
		p.text(t)
		p.offset(int32(leadingSpaceWidth(t)), func() {
			for _, pt := range l[1:] {
				p.strPart(pt)
			}
		})
		return
	}
	for _, pt := range l {
		p.strPart(pt)
	}
}

// leadingSpaceWidth counts the leading white space of t as Haskell's
// isSpace (which nixfmt uses) sees it: ASCII white space, U+00A0 and the
// Unicode space separators.
func leadingSpaceWidth(t string) int {
	n := 0
	for _, r := range t {
		if !(r == ' ' || r >= '\t' && r <= '\r' || r == 0xa0 || r > 0xff && unicode.Is(unicode.Zs, r)) {
			break
		}
		n++
	}
	return n
}

func (p *docPrinter) offset(n int32, f func()) {
	p.b.off += n
	f()
	p.b.off -= n
}

func (p *docPrinter) strPart(pt strPart) {
	if pt.expr == nil {
		p.text(pt.text)
		return
	}
	e := pt.expr
	if x, _ := strip(e); isTerm(x) && absorbable(e) {
		p.group(gRegular, func() {
			p.text("${")
			p.term(e)
			p.text("}")
		})
		return
	}
	if simple(e) {
		d := p.capture(func() { p.expr(e) })
		p.text("${")
		if flat, ok := unexpandAll(d, nil, nil); ok {
			p.b.addAll(flat)
		} else {
			p.b.addAll(d)
		}
		p.text("}")
		return
	}
	whole := p.capture(func() { p.group(gRegular, func() { p.expr(e) }) })
	p.group(gRegular, func() {
		p.text("${")
		limit := 30
		if flat, ok := unexpandAll(whole, nil, &limit); ok {
			p.b.addAll(flat)
		} else {
			p.sp(spBreak)
			p.b.addAll(nestDoc(whole))
			p.sp(spBreak)
		}
		p.text("}")
	})
}

// nestDoc is d one nesting level deeper.
func nestDoc(d []elem) []elem {
	out := make([]elem, len(d))
	for i, x := range d {
		switch x.kind {
		case kText, kLazy:
			x.level++
		case kGroup:
			x.kids = nestDoc(x.kids)
		}
		out[i] = x
	}
	return out
}

// commentLines is commentLines(cs) in a buffer reused by the next call: its
// result is only read before then (queued by trivia, which copies, or
// written by comments).
func (p *docPrinter) commentLines(cs []string) []string {
	out := p.b.lines[:0]
	for _, c := range cs {
		out = appendCommentLines(out, c)
	}
	p.b.lines = out
	if len(out) == 0 {
		return nil
	}
	return out
}
