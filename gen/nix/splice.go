package nix

import "bytes"

// Printing a set one binding at a time.
//
// Print always breaks a non-empty attribute set: its braces go on lines of
// their own and every binding starts a line at the set's indentation, ends
// one, and is separated from the next by a hard line break. A binding's
// layout therefore depends on the binding and that indentation alone, so a
// set's text is its bindings' texts laid end to end. The generator uses this
// for files that list the whole fleet (one binding per machine): an edit to
// one machine reprints that machine's binding, not the file.
// TestTemplateJoinEqualsPrint holds Join to Print over random bindings.

// holeName marks the binding that Template replaces. NewTemplate requires
// it to print exactly once, so a file that happened to hold the same text
// elsewhere would be refused, never cut in the wrong place.
const holeName = "__fleetyard_hole__"

var holeLine = []byte(holeName + " = null;\n")

// A Template is a file printed around one attribute set, cut where that
// set's bindings go. The zero Template is not usable; see NewTemplate. A
// Template is not safe for concurrent use.
type Template struct {
	mk             func([]Binding) File
	prefix, suffix []byte
	indent         int
	// alone is where Piece prints a binding: sets nested to the same
	// indentation and nothing else, so that a piece costs its own size,
	// not the size of the file around it. Made on the first Piece.
	alone *Template
}

// NewTemplate prints mk(bindings) with a placeholder for the bindings and
// cuts the text around it. mk must place its argument as the bindings of
// one attribute set (nothing else in the file may depend on them), and the
// same mk is used for every binding. ok is false if the placeholder does
// not print as one line of its own (mk does not use the bindings as a set).
func NewTemplate(mk func(binds []Binding) File) (t *Template, ok bool) {
	return CutTemplate(mk, Print(TemplateFile(mk)))
}

// TemplateFile is the file NewTemplate prints: mk around the placeholder.
// A caller that remembers printed files by their tree can print it through
// that memo and pass the text to CutTemplate.
func TemplateFile(mk func(binds []Binding) File) File {
	return mk([]Binding{Bind(Null{}, holeName)})
}

// CutTemplate is NewTemplate given text, Print(TemplateFile(mk)).
func CutTemplate(mk func(binds []Binding) File, text []byte) (t *Template, ok bool) {
	i := bytes.Index(text, holeLine)
	if i < 0 || bytes.Index(text[i+1:], holeLine) >= 0 {
		return nil, false
	}
	start := bytes.LastIndexByte(text[:i], '\n') + 1
	for _, c := range text[start:i] {
		if c != ' ' {
			return nil, false
		}
	}
	return &Template{mk: mk, prefix: text[:start], suffix: text[i+len(holeLine):], indent: i - start}, true
}

// nestedSets returns mk for indent/2 nested sets, `{ x = { … }; }`, whose
// innermost bindings start at column indent.
func nestedSets(indent int) func([]Binding) File {
	return func(bs []Binding) File {
		e := Set(bs...)
		for i := 2; i < indent; i += 2 {
			e = Set(Bind(e, "x"))
		}
		return File{Body: e}
	}
}

// Indent is the column the set's bindings start at. A binding's text
// depends on the binding and Indent alone, so it belongs in the key of a
// memo of Piece's results.
func (t *Template) Indent() int { return t.indent }

// Piece returns b's lines as Print lays them out inside the set: b printed
// alone at the set's indentation (in bare nested sets), cut out; through m
// when it is not nil (the same bytes, see Memo). ok is false if the file around it does
// not print as around the placeholder (it would mean b's layout reaches
// beyond its lines; Join of such a piece would be wrong).
func (t *Template) Piece(m *Memo, b Binding) (text []byte, ok bool) {
	if t.alone == nil {
		t.alone = t
		if a, ok := NewTemplate(nestedSets(t.indent)); ok && a.indent == t.indent {
			t.alone = a
		}
	}
	t = t.alone
	out := appendFile(make([]byte, 0, 2048), t.mk([]Binding{b}), m)
	if len(out) < len(t.prefix)+len(t.suffix) || !bytes.HasPrefix(out, t.prefix) || !bytes.HasSuffix(out, t.suffix) {
		return nil, false
	}
	return out[len(t.prefix) : len(out)-len(t.suffix)], true
}

// Join appends to dst the file whose set holds the bindings the pieces
// were cut from, in order: what Print(mk(bindings)) gives.
func (t *Template) Join(dst []byte, pieces [][]byte) []byte {
	if len(pieces) == 0 {
		// An empty set prints as `{ }` on its line, not as the template.
		return Append(dst, t.mk(nil))
	}
	dst = append(dst, t.prefix...)
	for _, p := range pieces {
		dst = append(dst, p...)
	}
	return append(dst, t.suffix...)
}

// SplitHeader returns f's header comments and its body as two files whose
// prints, laid end to end, are Print(f), when f's body is of a kind for
// which that holds: a lambda, a let, or a non-empty attribute set (the
// first token starts a line of its own under the comments, and nothing
// after it depends on them). ok is false otherwise (an empty set takes a
// comment inside its braces). The generator remembers a body's text apart
// from its header, so that a file whose header names a machine's
// description is not laid out again when only the description changed.
// TestSplitHeaderPrintsAlike holds it over random files.
func SplitHeader(f File) (header, body File, ok bool) {
	if len(f.Header) == 0 {
		return File{}, f, false
	}
	switch b := f.Body.(type) {
	case Lambda, Let:
	case Attrs:
		if len(b.Binds) == 0 {
			return File{}, f, false
		}
	default:
		return File{}, f, false
	}
	return File{Header: f.Header}, File{Body: f.Body}, true
}
