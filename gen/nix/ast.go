// Package nix builds Nix expressions as data and prints them formatted.
//
// Emitters never paste text into Nix source: user-supplied text enters only
// through [Str], [Interp] or an attribute name, and the printer quotes and
// escapes it. There is no node for raw Nix text: fixed references such as
// lib.mkDefault are [Select]s of an [Ident], and the printer never parses
// or inspects text.
package nix

// Expr is a Nix expression node.
type Expr interface{ nixExpr() }

// String is a string literal, possibly with interpolations. The printer
// chooses between "…" and ”…” (multi-line) forms and escapes as needed.
type String struct {
	Parts []Part
}

// Part is one piece of a [String]: literal text, or an interpolated Expr when
// Expr is non-nil.
type Part struct {
	Text string
	Expr Expr
}

// Int is an integer literal.
type Int int64

// Bool is true or false.
type Bool bool

// Null is the null literal.
type Null struct{}

// Path is a path literal such as ./modules or ../x.nix, written by Fleetyard.
type Path string

// Ident is a variable reference (inputs, config, lib, final, …).
type Ident string

// Select is X.a.b."c d" — attribute selection. Attribute names that are not
// plain identifiers are quoted by the printer.
type Select struct {
	X     Expr
	Attrs []string
}

// List is [ a b c ].
type List []Expr

// Attrs is an attribute set { … } (rec when Rec is set).
type Attrs struct {
	Rec   bool
	Binds []Binding
}

// Binding is one entry of an attribute set or let block: either
// path = value; or inherit (from) names;. Comment lines are printed above it.
type Binding struct {
	Comment []string
	Path    []string // attribute path; each element is quoted when needed
	Value   Expr

	Inherit     []string // when non-nil this is an inherit binding
	InheritFrom Expr     // optional source of inherit (from) names
}

// Lambda is a function. Either Param is set (x: body), or Formals is used
// ({ a, b ? default, ... }: body), optionally with At (args@{ … }: body).
type Lambda struct {
	Param    string
	Formals  []Formal
	Ellipsis bool
	At       string
	Body     Expr
}

// Formal is one named parameter of a set pattern, with an optional default.
type Formal struct {
	Name    string
	Default Expr
}

// Apply is function application: Fn Arg1 Arg2 ….
type Apply struct {
	Fn   Expr
	Args []Expr
}

// Let is let binds in body.
type Let struct {
	Binds []Binding
	Body  Expr
}

// BinOp is L op R for //, ++, +, ==, &&, ||.
type BinOp struct {
	Op   string
	L, R Expr
}

// If is if Cond then Then else Else.
type If struct {
	Cond, Then, Else Expr
}

// With is with Scope; Body.
type With struct {
	Scope, Body Expr
}

// Commented wraps an expression with comment lines printed before it (useful
// for list items).
type Commented struct {
	Comment []string
	X       Expr
}

// SelectOr is X.a.b or Default: attribute selection with a fallback when
// the path is missing.
type SelectOr struct {
	X       Expr
	Attrs   []string
	Default Expr
}

// Not is boolean negation, !X.
type Not struct {
	X Expr
}

func (SelectOr) nixExpr() {}
func (Not) nixExpr()      {}

func (String) nixExpr()    {}
func (Int) nixExpr()       {}
func (Bool) nixExpr()      {}
func (Null) nixExpr()      {}
func (Path) nixExpr()      {}
func (Ident) nixExpr()     {}
func (Select) nixExpr()    {}
func (List) nixExpr()      {}
func (Attrs) nixExpr()     {}
func (Lambda) nixExpr()    {}
func (Apply) nixExpr()     {}
func (Let) nixExpr()       {}
func (BinOp) nixExpr()     {}
func (If) nixExpr()        {}
func (With) nixExpr()      {}
func (Commented) nixExpr() {}

// Str is a plain string literal holding s exactly.
//
// It is the most common node (thousands per generated repository), so it
// costs one allocation instead of two: the String and its single Part share
// one object, and the printer accepts the *String.
func Str(s string) Expr {
	l := &literal{part: [1]Part{{Text: s}}}
	l.str.Parts = l.part[:]
	return &l.str
}

// literal is the storage behind [Str].
type literal struct {
	str  String
	part [1]Part
}

// Interp builds a string from pieces: each string argument is literal text,
// each Expr argument is interpolated as ${…}.
func Interp(pieces ...any) Expr {
	var s String
	for _, p := range pieces {
		switch v := p.(type) {
		case string:
			s.Parts = append(s.Parts, Part{Text: v})
		case Expr:
			s.Parts = append(s.Parts, Part{Expr: v})
		default:
			panic("nix.Interp: piece is neither string nor Expr")
		}
	}
	return s
}

// Strs is a list of string literals.
func Strs(ss ...string) List {
	l := make(List, len(ss))
	for i, s := range ss {
		l[i] = Str(s)
	}
	return l
}

// Sel selects attrs from x.
func Sel(x Expr, attrs ...string) Expr { return Select{X: x, Attrs: attrs} }

// Bind is path = value; the path elements are attribute names (quoted by the
// printer when needed).
func Bind(value Expr, path ...string) Binding { return Binding{Path: path, Value: value} }

// Set builds a non-recursive attribute set.
func Set(binds ...Binding) Attrs { return Attrs{Binds: binds} }

// Call is Apply{fn, args}.
func Call(fn Expr, args ...Expr) Expr { return Apply{Fn: fn, Args: args} }

// Module is the common `{ a, b, ... }: body` module function header.
func Module(formals []string, body Expr) Lambda {
	l := Lambda{Ellipsis: true, Body: body}
	for _, f := range formals {
		l.Formals = append(l.Formals, Formal{Name: f})
	}
	return l
}

// File is a whole .nix file: header comment lines and one expression.
type File struct {
	Header []string
	Body   Expr
}
