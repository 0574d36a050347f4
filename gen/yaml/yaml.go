// Package yaml builds small YAML documents as data and prints them.
//
// It exists so that .sops.yaml and sops-encrypted files are never assembled
// by pasting user text into a template: every string enters as a [Scalar] and
// the printer decides how to quote it. A string is printed plain only when it
// is unambiguously a string to every common YAML reader (YAML 1.1 and 1.2);
// otherwise it is double-quoted with escapes, which can represent any text.
//
// The block layout follows what go.yaml.in/yaml/v3 emits (and therefore what
// sops writes), so a file we encrypt looks the same after `sops edit`.
package yaml

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Node is a YAML node: *[Map], *[Seq], [Scalar] or [Alias].
type Node interface{ yamlNode() }

// Map is a block mapping whose entries keep their order.
type Map struct {
	// Anchor, when set, is printed as &Anchor before the mapping.
	Anchor  string
	Entries []Entry
}

// Entry is one key: value pair of a [Map].
type Entry struct {
	// Comment lines are printed as "# …" above the entry.
	Comment []string
	Key     string
	Value   Node
}

// Seq is a sequence, printed as a block ("- a") unless Flow is set ("[a, b]").
// Flow sequences may hold only scalars and aliases.
type Seq struct {
	Anchor string
	Flow   bool
	Items  []Node
}

// Style says how a [Scalar] may be printed.
type Style int

const (
	// Auto prints plain when that is unambiguous, otherwise double-quoted.
	Auto Style = iota
	// Quoted always prints double-quoted.
	Quoted
	// Single prints plain when that is unambiguous, otherwise single-quoted
	// when the text is one printable line (regular expressions read better
	// without doubled backslashes), otherwise double-quoted.
	Single
	// Literal prints a block literal ("|") when the text allows it (it is
	// multi-line, printable and does not start with a space), otherwise as Auto.
	Literal
)

// Scalar is a string value. Its text is printed so that a YAML reader gets
// exactly Value back, as a string.
type Scalar struct {
	Anchor string
	Value  string
	Style  Style
}

// Alias refers to an earlier anchor: *name.
type Alias string

func (*Map) yamlNode()   {}
func (*Seq) yamlNode()   {}
func (Scalar) yamlNode() {}
func (Alias) yamlNode()  {}

// Str is a string scalar printed in the Auto style.
func Str(s string) Scalar { return Scalar{Value: s} }

// Add appends key: value to m and returns m, for chaining.
func (m *Map) Add(key string, value Node) *Map {
	m.Entries = append(m.Entries, Entry{Key: key, Value: value})
	return m
}

// Get returns the value of key, or nil.
func (m *Map) Get(key string) Node {
	for _, e := range m.Entries {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}

// Document is a whole file: header comment lines, then one node.
type Document struct {
	Header []string
	Body   Node
}

// Print formats doc with the given indentation width (2 or 4 are usual;
// sops writes 4). It fails on structural mistakes only: a bad or duplicate
// anchor name, an alias to an anchor not defined before it, a duplicate key,
// a key longer than 1000 bytes once quoted, a nil node, or a collection
// inside a flow sequence.
func Print(doc Document, indent int) ([]byte, error) {
	if indent < 2 || indent > 9 {
		return nil, errors.New("yaml: indent " + strconv.Itoa(indent) + " out of range 2..9")
	}
	p := &printer{n: indent, anchors: map[string]bool{}}
	p.comments(doc.Header, 0)
	switch v := doc.Body.(type) {
	case *Map:
		if len(v.Entries) == 0 || v.Anchor != "" {
			p.inline(v)
			p.buf.WriteByte('\n')
		} else {
			p.mapBody(v, 0, 0, false)
		}
	case *Seq:
		if len(v.Items) == 0 || v.Flow || v.Anchor != "" {
			p.inline(v)
			p.buf.WriteByte('\n')
		} else {
			p.seqBody(v, 0, false)
		}
	case nil:
		p.setErr("yaml: document has no body")
	default:
		p.inline(v)
		p.buf.WriteByte('\n')
	}
	if p.err != nil {
		return nil, p.err
	}
	return p.buf.Bytes(), nil
}

// maxKeyLen keeps printed keys under YAML's 1024-character limit for
// implicit keys.
const maxKeyLen = 1000

type printer struct {
	buf     bytes.Buffer
	n       int
	anchors map[string]bool
	err     error
}

// setErr records the first error. The messages are built by hand rather
// than with fmt: the generator's wasm module links no fmt (28 KB of
// its brotli size).
func (p *printer) setErr(msg string) {
	if p.err == nil {
		p.err = errors.New(msg)
	}
}

func (p *printer) pad(col int) {
	for range col {
		p.buf.WriteByte(' ')
	}
}

// comments prints each line (split further at newlines) as "# …".
func (p *printer) comments(lines []string, col int) {
	for _, l := range lines {
		for _, s := range strings.Split(l, "\n") {
			s = strings.TrimRight(strings.ToValidUTF8(s, "\uFFFD"), " \t\r")
			p.pad(col)
			if s == "" {
				p.buf.WriteString("#\n")
				continue
			}
			p.buf.WriteString("# ")
			p.buf.WriteString(s)
			p.buf.WriteByte('\n')
		}
	}
}

// anchor validates and records an anchor definition and prints "&name".
func (p *printer) anchor(name string) {
	if !validAnchor(name) {
		p.setErr("yaml: anchor name " + strconv.Quote(name) + " must be non-empty and use only letters, digits, _ and -")
		return
	}
	if p.anchors[name] {
		p.setErr("yaml: anchor &" + name + " defined twice")
		return
	}
	p.anchors[name] = true
	p.buf.WriteByte('&')
	p.buf.WriteString(name)
}

func (p *printer) alias(a Alias) {
	if !p.anchors[string(a)] {
		p.setErr("yaml: alias *" + string(a) + " refers to no earlier anchor")
		return
	}
	p.buf.WriteByte('*')
	p.buf.WriteString(string(a))
}

func validAnchor(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// isBlock reports whether v is printed on the lines below its key or dash.
func isBlock(v Node) bool {
	switch v := v.(type) {
	case *Map:
		return len(v.Entries) > 0
	case *Seq:
		return len(v.Items) > 0 && !v.Flow
	}
	return false
}

// mapBody prints the entries of m. indent is the emitter's indentation level
// for m (children are indented relative to it); keyCol is where keys start.
// They differ for a mapping that is a sequence item ("- k: v"), whose keys sit
// two columns right of the dash. first says the first key follows text
// already on the current line.
func (p *printer) mapBody(m *Map, indent, keyCol int, first bool) {
	seen := make(map[string]bool, len(m.Entries))
	child := max(indent+p.n, keyCol+2)
	for i, e := range m.Entries {
		if seen[e.Key] {
			p.setErr("yaml: duplicate key " + strconv.Quote(e.Key))
		}
		seen[e.Key] = true
		if len(e.Comment) > 0 {
			if i == 0 && first {
				p.buf.WriteByte('\n')
			}
			p.comments(e.Comment, keyCol)
			p.pad(keyCol)
		} else if i > 0 || !first {
			p.pad(keyCol)
		}
		k := quote(e.Key, ctxKey)
		if len(k) > maxKeyLen {
			// YAML limits implicit keys to 1024 characters; the explicit
			// "? key" form is not worth supporting for names.
			p.setErr("yaml: key " + strconv.Quote(firstRunes(e.Key, 40)) + "… is longer than " + strconv.Itoa(maxKeyLen) + " bytes")
		}
		p.buf.WriteString(k)
		p.buf.WriteByte(':')
		p.value(e.Value, child)
	}
}

// value prints v after "key:" or "-"; child is the indentation for anything
// on the following lines.
func (p *printer) value(v Node, child int) {
	switch v := v.(type) {
	case *Map:
		if !isBlock(v) {
			p.buf.WriteByte(' ')
			p.inline(v)
			p.buf.WriteByte('\n')
			return
		}
		if v.Anchor != "" {
			p.buf.WriteByte(' ')
			p.anchor(v.Anchor)
		}
		p.buf.WriteByte('\n')
		p.mapBody(v, child, child, false)
	case *Seq:
		if !isBlock(v) {
			p.buf.WriteByte(' ')
			p.inline(v)
			p.buf.WriteByte('\n')
			return
		}
		if v.Anchor != "" {
			p.buf.WriteByte(' ')
			p.anchor(v.Anchor)
		}
		p.buf.WriteByte('\n')
		p.seqBody(v, child, false)
	case Scalar:
		p.buf.WriteByte(' ')
		if v.Anchor != "" {
			p.anchor(v.Anchor)
			p.buf.WriteByte(' ')
		}
		if v.Style == Literal && literalOK(v.Value) {
			p.literal(v.Value, child)
			return
		}
		p.buf.WriteString(p.scalarText(v, ctxBlock))
		p.buf.WriteByte('\n')
	default:
		p.buf.WriteByte(' ')
		p.inline(v)
		p.buf.WriteByte('\n')
	}
}

// seqBody prints the items of s with their dashes at column dash.
func (p *printer) seqBody(s *Seq, dash int, first bool) {
	for i, it := range s.Items {
		if i > 0 || !first {
			p.pad(dash)
		}
		p.buf.WriteByte('-')
		switch v := it.(type) {
		case *Map:
			if isBlock(v) && v.Anchor == "" {
				p.buf.WriteByte(' ')
				p.mapBody(v, dash, dash+2, true)
				continue
			}
			if isBlock(v) {
				p.buf.WriteByte(' ')
				p.anchor(v.Anchor)
				p.buf.WriteByte('\n')
				p.mapBody(v, dash+2, dash+2, false)
				continue
			}
		case *Seq:
			if isBlock(v) && v.Anchor == "" {
				p.buf.WriteByte(' ')
				p.seqBody(v, dash+2, true)
				continue
			}
			if isBlock(v) {
				p.buf.WriteByte(' ')
				p.anchor(v.Anchor)
				p.buf.WriteByte('\n')
				p.seqBody(v, dash+2, false)
				continue
			}
		}
		p.value(it, dash+2)
	}
}

// inline prints a node that fits on one line: a scalar, an alias, an empty
// collection or a flow sequence.
func (p *printer) inline(v Node) {
	switch v := v.(type) {
	case Scalar:
		if v.Anchor != "" {
			p.anchor(v.Anchor)
			p.buf.WriteByte(' ')
		}
		p.buf.WriteString(p.scalarText(v, ctxBlock))
	case Alias:
		p.alias(v)
	case *Map:
		if v.Anchor != "" {
			p.anchor(v.Anchor)
			p.buf.WriteByte(' ')
		}
		if len(v.Entries) > 0 {
			p.setErr("yaml: a non-empty mapping cannot be printed inline")
		}
		p.buf.WriteString("{}")
	case *Seq:
		if v.Anchor != "" {
			p.anchor(v.Anchor)
			p.buf.WriteByte(' ')
		}
		p.buf.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				p.buf.WriteString(", ")
			}
			switch it := it.(type) {
			case Scalar:
				if it.Anchor != "" {
					p.anchor(it.Anchor)
					p.buf.WriteByte(' ')
				}
				p.buf.WriteString(p.scalarText(it, ctxFlow))
			case Alias:
				p.alias(it)
			default:
				p.setErr("yaml: a flow sequence may hold only scalars and aliases")
			}
		}
		p.buf.WriteByte(']')
	case nil:
		p.setErr("yaml: nil node")
	default:
		// Node is sealed: its four types are all handled above, so this
		// is a bug in this package (named without reflect, which would
		// add the reflect package to the wasm module).
		p.setErr("yaml: unknown node type")
	}
}

func (p *printer) scalarText(s Scalar, c ctx) string {
	switch {
	case s.Style == Quoted:
		return doubleQuote(s.Value)
	case s.Style == Single && !plainOK(s.Value, c) && singleOK(s.Value):
		return "'" + strings.ReplaceAll(s.Value, "'", "''") + "'"
	}
	return quote(s.Value, c)
}

// singleOK reports whether s can be single-quoted: one line of printable
// text without leading or trailing blanks (which line folding would eat
// at a line break, and which are easy to misread).
func singleOK(s string) bool {
	if s == "" || !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r == '\t' || r == '\uFEFF' || r == '\u0085' || r == '\u2028' || r == '\u2029' || !printable(r) {
			return false
		}
	}
	return true
}

// literalOK reports whether s can be a block literal that reads back as s.
func literalOK(s string) bool {
	if s == "" || !strings.Contains(strings.TrimRight(s, "\n"), "\n") && !strings.HasSuffix(s, "\n") {
		return false
	}
	if s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if r == '\r' || r == '\uFEFF' || r == '\u0085' || r == '\u2028' || r == '\u2029' || !printable(r) {
			return false
		}
	}
	return true
}

// literal prints "|" with the chomping indicator that keeps s's trailing
// newlines, then the lines of s at column col.
func (p *printer) literal(s string, col int) {
	body := strings.TrimRight(s, "\n")
	switch trail := len(s) - len(body); {
	case trail == 0:
		p.buf.WriteString("|-\n")
	case trail == 1:
		p.buf.WriteString("|\n")
	default:
		p.buf.WriteString("|+\n")
	}
	for _, line := range strings.Split(s[:len(s)-min(1, len(s)-len(body))], "\n") {
		if line != "" {
			p.pad(col)
			p.buf.WriteString(line)
		}
		p.buf.WriteByte('\n')
	}
}

// firstRunes is s cut to its first n runes (what %.40q quotes).
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
