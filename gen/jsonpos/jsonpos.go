// Package jsonpos is a strict JSON (RFC 8259) parser that remembers where
// every value and object key starts, so that problems found later (a wrong
// type, an unknown field, a failed validation rule) can be reported at a
// line:col in the user's text.
//
// It is stricter than encoding/json: duplicate object keys, invalid UTF-8 and
// lone UTF-16 surrogates in \u escapes are errors. Syntax errors carry a
// position, a message naming what was expected and what was found, and a
// hint saying how to fix the text. Messages quote the input only through
// gen/internal/echo: no private key material, no control characters, short.
//
// Positions have a 1-based line, a 1-based column counted in Unicode code
// points (what a person counts), and a 0-based byte offset (what a program
// slices with). Editors that count UTF-16 code units (CodeMirror, the DOM)
// convert from the line and code-point column, or from the byte offset.
package jsonpos

import (
	"strconv"

	"unicode/utf8"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
)

// Kind is the JSON type of a [Value].
type Kind uint8

// The JSON value kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// String names the kind the way diagnostics talk about it: "a string",
// "an object".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "a boolean"
	case Number:
		return "a number"
	case String:
		return "a string"
	case Array:
		return "an array"
	case Object:
		return "an object"
	}
	return "an unknown value"
}

// Pos is a position in the source text.
type Pos struct {
	// Line is 1-based.
	Line int
	// Col is 1-based and counts Unicode code points from the line start.
	Col int
	// Offset is the 0-based byte offset.
	Offset int
}

// Value is one node of the parsed tree.
type Value struct {
	Kind Kind
	// Pos is where the value starts (its first byte: a quote, a bracket,
	// a digit or minus sign, a letter of true/false/null).
	Pos Pos
	// Str is the decoded text of a String, or the literal text of a Number.
	Str string
	// Bool is the value of a Bool.
	Bool bool
	// Elems are the elements of an Array.
	Elems []*Value
	// Members are the members of an Object, in source order, without
	// duplicates (a duplicate key is an error and its member is dropped).
	Members []Member
}

// Member is one key/value pair of an object.
type Member struct {
	Key    string
	KeyPos Pos
	Value  *Value
}

// Get returns the value of the member named key, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Object {
		return nil
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return v.Members[i].Value
		}
	}
	return nil
}

// Error is a problem in the JSON text.
type Error struct {
	Pos Pos
	// Msg says what is wrong: "expected ',' or '}' after object member, found '"'".
	Msg string
	// Hint says how to fix it.
	Hint string
}

// Error formats the error as "line L col C: message".
func (e *Error) Error() string {
	return "line " + strconv.Itoa(e.Pos.Line) + " col " + strconv.Itoa(e.Pos.Col) + ": " + e.Msg
}

// MaxDepth bounds the nesting of arrays and objects, so hostile input cannot
// exhaust the stack.
const MaxDepth = 256

// MaxNumber bounds the length of a number literal in bytes. Fleet specs hold
// small whole numbers (a uid has at most 10 digits); a longer literal is a
// mistake or an attack, and refusing it early keeps it out of messages and
// out of the number conversions that follow.
const MaxNumber = 100

// Parse parses data as one JSON value. It returns the tree and every error
// found. A syntax error stops parsing: the tree is then nil and the syntax
// error is the last in the list. Duplicate keys do not stop parsing:
// each is reported at its second occurrence, the later member is dropped,
// and the tree is returned.
func Parse(data []byte) (*Value, []*Error) {
	p := &parser{data: data, text: string(data), line: 1, col: 1}
	// A UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows ignoring
	// it); some editors on Windows add one.
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.off = 3
	}
	p.skipSpace()
	if p.off >= len(data) {
		p.fail(p.off, "the document is empty", `a fleet spec is one JSON object: {"version": 1, "name": "…", "machines": […]}`)
		return nil, p.errs
	}
	v := p.value(0)
	if p.fatal {
		return nil, p.errs
	}
	p.skipSpace()
	if p.off < len(data) {
		p.fail(p.off, "unexpected "+p.found(p.off)+" after the end of the JSON value",
			"a JSON document holds exactly one value; remove everything after the closing bracket")
		return nil, p.errs
	}
	return v, p.errs
}

type parser struct {
	data []byte
	// text is data as one string, copied once: a string without escapes
	// (nearly all of them) is a substring of it rather than a copy of its
	// own, one allocation per document instead of one per string.
	text string
	// base is the offset in data where text starts: 0 for Parse, the
	// edited value's start for Reparse, which copies only that value.
	base      int
	off       int
	line      int
	lineStart int
	// colOff/col cache the last computed column on the current line, so
	// positions on a long (minified) line cost O(distance), not O(line).
	colOff, col int
	errs        []*Error
	dups        int // duplicate keys seen
	fatal       bool
	// slab hands out Values in chunks: one allocation per 128 nodes
	// instead of one per node.
	slab []Value
	// members and elems are stacks where the objects and arrays being
	// parsed collect their members and elements (nested ones above
	// their parent's); a finished object or array takes an exact-size
	// copy, carved from memberSlab or elemSlab, instead of growing its
	// own slice by doubling.
	members    []Member
	elems      []*Value
	memberSlab []Member
	elemSlab   []*Value
}

// takeMembers moves the members stacked from mark into v.
func (p *parser) takeMembers(v *Value, mark int) {
	n := len(p.members) - mark
	if n > len(p.memberSlab) {
		p.memberSlab = make([]Member, max(n, 256))
	}
	v.Members = p.memberSlab[:n:n]
	p.memberSlab = p.memberSlab[n:]
	copy(v.Members, p.members[mark:])
	clear(p.members[mark:]) // drop the references the stack would keep
	p.members = p.members[:mark]
}

// takeElems moves the elements stacked from mark into v.
func (p *parser) takeElems(v *Value, mark int) {
	n := len(p.elems) - mark
	if n > len(p.elemSlab) {
		p.elemSlab = make([]*Value, max(n, 256))
	}
	v.Elems = p.elemSlab[:n:n]
	p.elemSlab = p.elemSlab[n:]
	copy(v.Elems, p.elems[mark:])
	clear(p.elems[mark:])
	p.elems = p.elems[:mark]
}

func (p *parser) node(v Value) *Value {
	if len(p.slab) == 0 {
		p.slab = make([]Value, 128)
	}
	n := &p.slab[0]
	*n = v
	p.slab = p.slab[1:]
	return n
}

// pos converts a byte offset on the current line (at or after the last
// converted offset) into a Pos.
func (p *parser) pos(off int) Pos {
	if p.colOff < p.lineStart || p.colOff > off {
		p.colOff, p.col = p.lineStart, 1
	}
	col := p.col
	for i := p.colOff; i < off; {
		c := p.data[i]
		if c < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRune(p.data[i:])
			i += n
		}
		col++
	}
	p.colOff, p.col = off, col
	return Pos{Line: p.line, Col: col, Offset: off}
}

// MaxDuplicates bounds how many duplicate keys are reported; past it one
// more error says the rest are not. A document of nothing but duplicates
// would otherwise make an error per member, hundreds of thousands.
const MaxDuplicates = 1000

// The helpers that build errors are go:noinline. This package keeps the
// compiler's inlining (internal/wasmflags) for its scanning loops, and these
// cold helpers, inlined at each of their many call sites, made the
// playground's wasm module 22 KB bigger (2.8 KB in brotli) for no speed.
//
//go:noinline
func (p *parser) duplicate(key string, at, first Pos) {
	p.dups++
	switch {
	case p.dups <= MaxDuplicates:
		p.errs = append(p.errs, &Error{
			Pos:  at,
			Msg:  "duplicate member " + echo.Quote(key) + " (first at line " + strconv.Itoa(first.Line) + " col " + strconv.Itoa(first.Col) + ")",
			Hint: "each name may appear once per object; remove one of them or merge their values",
		})
	case p.dups == MaxDuplicates+1:
		p.errs = append(p.errs, &Error{
			Pos:  at,
			Msg:  "more duplicate members from here on are not reported",
			Hint: "remove the duplicates above first; each name may appear once per object",
		})
	}
}

//go:noinline
func (p *parser) fail(off int, msg, hint string) {
	p.errs = append(p.errs, &Error{Pos: p.pos(off), Msg: msg, Hint: hint})
	p.fatal = true
}

// found describes the input at off for an error message.
//
//go:noinline
func (p *parser) found(off int) string {
	if off >= len(p.data) {
		return "end of input"
	}
	c := p.data[off]
	switch {
	case c == '\'':
		return `"'"`
	case c < 0x20 || c == 0x7f:
		return "control character U+" + hex4(rune(c))
	}
	r, n := utf8.DecodeRune(p.data[off:])
	if r == utf8.RuneError && n <= 1 {
		return "invalid UTF-8 byte 0x" + strconv.FormatUint(uint64(c), 16)
	}
	return echo.Char(r)
}

// bareWord quotes a bare word (letters, digits, '_') found where JSON needs
// something else: 'nul' when it is short, cut by echo when it is not.
//
//go:noinline
func bareWord(w []byte) string {
	s := string(w)
	if n := echo.Name(s); n != s {
		return n
	}
	return "'" + s + "'"
}

//go:noinline
func hex4(r rune) string {
	s := strconv.FormatUint(uint64(r), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

func (p *parser) skipSpace() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\t':
			p.off++
		case '\n':
			p.off++
			p.line++
			p.lineStart = p.off
		case '\r':
			// \r\n and a lone \r both end a line, as in editors.
			p.off++
			if p.off < len(p.data) && p.data[p.off] == '\n' {
				p.off++
			}
			p.line++
			p.lineStart = p.off
		default:
			return
		}
	}
}

// hintFor suggests a fix for a character that cannot start or continue JSON
// where it appears.
//
//go:noinline
func (p *parser) hintFor(off int, fallback string) string {
	if off >= len(p.data) {
		return fallback
	}
	switch p.data[off] {
	case '/', '#':
		return "JSON has no comments; remove it (or move the note into a \"description\" field)"
	case '\'':
		return "JSON strings use double quotes: \"like this\""
	}
	return fallback
}

func (p *parser) value(depth int) *Value {
	if p.off >= len(p.data) {
		p.fail(p.off, "expected a value, found end of input", "the document ends early; complete the last value")
		return nil
	}
	start := p.off
	switch c := p.data[p.off]; c {
	case '{':
		return p.object(depth)
	case '[':
		return p.array(depth)
	case '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		return p.node(Value{Kind: String, Pos: p.pos(start), Str: s})
	case 't':
		return p.literal("true", Value{Kind: Bool, Bool: true})
	case 'f':
		return p.literal("false", Value{Kind: Bool})
	case 'n':
		return p.literal("null", Value{Kind: Null})
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return p.number()
		}
		if isIdentByte(c) {
			return p.literal("", Value{})
		}
		hint := "a value is a string in double quotes, a number, true, false, null, an object {…} or an array […]"
		p.fail(p.off, "expected a value, found "+p.found(p.off), p.hintFor(p.off, hint))
		return nil
	}
}

func (p *parser) literal(word string, v Value) *Value {
	start := p.off
	end := start + len(word)
	if end > len(p.data) || string(p.data[start:end]) != word || (end < len(p.data) && isIdentByte(p.data[end])) {
		// Report the whole bare word: "expected a value, found 'nul'" is
		// clearer than pointing at one letter.
		e := start
		for e < len(p.data) && isIdentByte(p.data[e]) {
			e++
		}
		hint := "the JSON literals are true, false and null (lower case); text needs double quotes"
		p.fail(start, "expected a value, found "+bareWord(p.data[start:e]), hint)
		return nil
	}
	v.Pos = p.pos(start)
	p.off = end
	return p.node(v)
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) number() *Value {
	start := p.off
	d := p.data
	i := p.off
	if d[i] == '-' {
		i++
	}
	bad := func(at int, msg string) *Value {
		p.fail(at, msg, "JSON numbers look like 12, -3, 1.5 or 2e10: no leading zeros, no '+', no hex, no trailing '.'")
		return nil
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
		if i < len(d) && d[i] >= '0' && d[i] <= '9' {
			return bad(start, "invalid number: leading zero")
		}
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		return bad(i, "invalid number: expected a digit, found "+p.found(i))
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return bad(i, "invalid number: expected a digit after '.', found "+p.found(i))
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return bad(i, "invalid number: expected a digit in the exponent, found "+p.found(i))
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (isIdentByte(d[i]) || d[i] == '.') {
		return bad(i, "invalid number: unexpected "+p.found(i))
	}
	if i-start > MaxNumber {
		p.fail(start, "number too long: "+strconv.Itoa(i-start)+" characters, the limit is "+strconv.Itoa(MaxNumber),
			"numbers in a fleet spec are short (a uid has at most 10 digits); check this value")
		return nil
	}
	p.off = i
	return p.node(Value{Kind: Number, Pos: p.pos(start), Str: string(d[start:i])})
}

// str parses a string starting at the opening quote and leaves p.off after
// the closing quote.
func (p *parser) str() (string, bool) {
	d := p.data
	i := p.off + 1
	// Fast path: printable ASCII without escapes.
	for i < len(d) {
		c := d[i]
		if c == '"' {
			var s string
			if i-p.base <= len(p.text) {
				s = p.text[p.off+1-p.base : i-p.base]
			} else { // past the span Reparse copied: the parse fails later
				s = string(d[p.off+1 : i])
			}
			p.off = i + 1
			return s, true
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	buf := make([]byte, 0, i-p.off+16)
	buf = append(buf, d[p.off+1:i]...)
	for {
		if i >= len(d) {
			p.fail(p.off, "unterminated string", "add the closing '\"'")
			return "", false
		}
		c := d[i]
		switch {
		case c == '"':
			p.off = i + 1
			return string(buf), true
		case c == '\n':
			p.fail(i, "unterminated string: line break inside a string", `close the string with '"' before the line ends; write a line break inside a string as \n`)
			return "", false
		case c < 0x20:
			p.fail(i, "control character U+"+hex4(rune(c))+" inside a string", `escape it: \t for a tab, \n for a line break, \u00XX otherwise`)
			return "", false
		case c == '\\':
			if i+1 >= len(d) {
				p.fail(i, "unterminated string", "add the closing '\"'")
				return "", false
			}
			e := d[i+1]
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hexEscape(i)
				if !ok {
					return "", false
				}
				n := 6
				if r >= 0xD800 && r < 0xDC00 {
					r2, ok := rune(-1), false
					if i+12 <= len(d) && d[i+6] == '\\' && d[i+7] == 'u' {
						r2, ok = p.hexEscape(i + 6)
						if !ok {
							return "", false
						}
					}
					if r2 < 0xDC00 || r2 > 0xDFFF {
						p.fail(i, "lone UTF-16 surrogate \\u"+hex4(r)+" in string", "a high surrogate must be followed by a low one (\\udc00–\\udfff); or write the character itself")
						return "", false
					}
					r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
					n = 12
				} else if r >= 0xDC00 && r <= 0xDFFF {
					p.fail(i, "lone UTF-16 surrogate \\u"+hex4(r)+" in string", "a low surrogate must follow a high one (\\ud800–\\udbff); or write the character itself")
					return "", false
				}
				buf = utf8.AppendRune(buf, r)
				i += n
				continue
			default:
				p.fail(i, "invalid escape '\\"+p.foundRaw(i+1)+"' in string", `the JSON escapes are \" \\ \/ \b \f \n \r \t and \uXXXX; write a backslash as \\`)
				return "", false
			}
			i += 2
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && n <= 1 {
				p.fail(i, "invalid UTF-8 in string (byte 0x"+strconv.FormatUint(uint64(c), 16)+")", "save the file as UTF-8")
				return "", false
			}
			buf = append(buf, d[i:i+n]...)
			i += n
		}
	}
}

//go:noinline
func (p *parser) foundRaw(off int) string {
	if off >= len(p.data) {
		return ""
	}
	r, _ := utf8.DecodeRune(p.data[off:])
	if r == utf8.RuneError || !strconv.IsPrint(r) {
		return "?"
	}
	return string(r)
}

// hexEscape decodes the \uXXXX escape whose backslash is at off.
func (p *parser) hexEscape(off int) (rune, bool) {
	d := p.data
	if off+6 > len(d) {
		p.fail(off, "incomplete \\u escape in string", "write \\u followed by exactly four hex digits")
		return 0, false
	}
	var r rune
	for _, c := range d[off+2 : off+6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			p.fail(off, "invalid \\u escape in string", "write \\u followed by exactly four hex digits")
			return 0, false
		}
	}
	return r, true
}

func (p *parser) array(depth int) *Value {
	open := p.pos(p.off)
	if depth >= MaxDepth {
		p.fail(p.off, "nesting too deep (more than "+strconv.Itoa(MaxDepth)+" levels)", "a fleet spec is only a few levels deep; check for runaway brackets")
		return nil
	}
	v := p.node(Value{Kind: Array, Pos: open})
	p.off++
	p.skipSpace()
	if p.off < len(p.data) && p.data[p.off] == ']' {
		p.off++
		return v
	}
	mark := len(p.elems)
	defer func() { p.elems = p.elems[:mark] }() // on an error return
	for {
		if p.off < len(p.data) && p.data[p.off] == ']' {
			p.fail(p.off, "expected a value after ',', found ']'", "JSON allows no trailing comma; remove the ',' before ']'")
			return nil
		}
		if p.off >= len(p.data) {
			p.unclosed(open, '[')
			return nil
		}
		e := p.value(depth + 1)
		if e == nil {
			return nil
		}
		p.elems = append(p.elems, e)
		p.skipSpace()
		if p.off >= len(p.data) {
			p.unclosed(open, '[')
			return nil
		}
		switch p.data[p.off] {
		case ',':
			p.off++
			p.skipSpace()
		case ']':
			p.off++
			p.takeElems(v, mark)
			return v
		default:
			hint := "separate array elements with ','"
			if p.data[p.off] == '}' {
				hint = "this '}' has no matching '{': close the array opened at line " + strconv.Itoa(open.Line) + " col " + strconv.Itoa(open.Col) + " with ']' first"
			}
			p.fail(p.off, "expected ',' or ']' after array element, found "+p.found(p.off), p.hintFor(p.off, hint))
			return nil
		}
	}
}

//go:noinline
func (p *parser) unclosed(open Pos, c byte) {
	closer := "]"
	what := "array"
	if c == '{' {
		closer, what = "}", "object"
	}
	p.fail(p.off, "unexpected end of input: the "+what+" opened at line "+strconv.Itoa(open.Line)+" col "+strconv.Itoa(open.Col)+" is not closed",
		"add the missing '"+closer+"' (and check the brackets above it)")
}

func (p *parser) object(depth int) *Value {
	open := p.pos(p.off)
	if depth >= MaxDepth {
		p.fail(p.off, "nesting too deep (more than "+strconv.Itoa(MaxDepth)+" levels)", "a fleet spec is only a few levels deep; check for runaway brackets")
		return nil
	}
	v := p.node(Value{Kind: Object, Pos: open})
	p.off++
	p.skipSpace()
	if p.off < len(p.data) && p.data[p.off] == '}' {
		p.off++
		return v
	}
	afterComma := false
	var index memberIndex
	mark := len(p.members)
	defer func() { p.members = p.members[:mark] }() // on an error return
	for {
		if p.off >= len(p.data) {
			p.unclosed(open, '{')
			return nil
		}
		if c := p.data[p.off]; c != '"' {
			switch {
			case c == '}' && afterComma:
				p.fail(p.off, "expected a member name after ',', found '}'", "JSON allows no trailing comma; remove the ',' before '}'")
			case isIdentByte(c):
				e := p.off
				for e < len(p.data) && isIdentByte(p.data[e]) {
					e++
				}
				hint := "JSON object keys need double quotes: \"name\""
				if n := echo.Name(string(p.data[p.off:e])); n == string(p.data[p.off:e]) {
					hint = "JSON object keys need double quotes: \"" + n + "\""
				}
				p.fail(p.off, "expected a member name in double quotes, found "+bareWord(p.data[p.off:e]), hint)
			default:
				p.fail(p.off, "expected a member name in double quotes, found "+p.found(p.off), p.hintFor(p.off, "object members look like \"name\": value"))
			}
			return nil
		}
		keyOff := p.off
		key, ok := p.str()
		if !ok {
			return nil
		}
		keyPos := p.pos(keyOff)
		p.skipSpace()
		if p.off >= len(p.data) || p.data[p.off] != ':' {
			hint := "put ':' between the member name and its value"
			if p.off < len(p.data) && p.data[p.off] == '=' {
				hint = "JSON uses ':' (not '=') between a member name and its value"
			}
			if n := len(key); n > 1 && key[n-2] == ':' {
				// "name: "minimal": the value's opening quote closed the name.
				hint = "the member name lost its closing quote: put it before the ':'"
			}
			p.fail(p.off, "expected ':' after member name "+echo.Quote(key)+", found "+p.found(p.off), hint)
			return nil
		}
		p.off++
		p.skipSpace()
		val := p.value(depth + 1)
		if val == nil {
			return nil
		}
		if first, dup := index.find(p.members[mark:], key); dup {
			p.duplicate(key, keyPos, first)
		} else {
			p.members = append(p.members, Member{Key: key, KeyPos: keyPos, Value: val})
			index.add(p.members[mark:])
		}
		p.skipSpace()
		if p.off >= len(p.data) {
			p.unclosed(open, '{')
			return nil
		}
		switch p.data[p.off] {
		case ',':
			p.off++
			p.skipSpace()
			afterComma = true
		case '}':
			p.off++
			p.takeMembers(v, mark)
			return v
		default:
			hint := "separate object members with ','"
			switch p.data[p.off] {
			case '"':
				hint = "a ',' is probably missing at the end of the previous member"
			case ']':
				hint = "this ']' has no matching '[': close the object opened at line " + strconv.Itoa(open.Line) + " col " + strconv.Itoa(open.Col) + " with '}' first"
			}
			p.fail(p.off, "expected ',' or '}' after object member, found "+p.found(p.off), p.hintFor(p.off, hint))
			return nil
		}
	}
}

// memberIndex finds duplicate keys. Small objects (every object of a fleet
// spec) are scanned; past memberScan members a map takes over, so an object
// with a hundred thousand members costs linear time, not quadratic.
type memberIndex map[string]int

const memberScan = 16

func (m *memberIndex) find(members []Member, key string) (Pos, bool) {
	if *m != nil {
		i, ok := (*m)[key]
		if !ok {
			return Pos{}, false
		}
		return members[i].KeyPos, true
	}
	for i := range members {
		if members[i].Key == key {
			return members[i].KeyPos, true
		}
	}
	return Pos{}, false
}

// add records the member just appended.
func (m *memberIndex) add(members []Member) {
	switch {
	case *m != nil:
		(*m)[members[len(members)-1].Key] = len(members) - 1
	case len(members) > memberScan:
		*m = make(memberIndex, 2*len(members))
		for i := range members {
			(*m)[members[i].Key] = i
		}
	}
}
