package gen

import "github.com/fleetyard/fleetyard/gen/jsonpos"

// A syntaxTree is the JSON tree of the latest text a Cache parsed without
// a syntax error, kept with a copy of that text. The next keystroke's text
// usually differs inside one value (a machine's field, a list element),
// and jsonpos.Reparse then parses only that value: a full parse of
// large.json is about a tenth of a keystroke in the worker.
type syntaxTree struct {
	root *jsonpos.Value
	text []byte
	// fleet is the id of the fleet parsed from text, 0 if none was; spec
	// and diags are what parsing text gave (diags before safeDiagnostics).
	fleet uint64
	spec  *Spec
	diags []Diagnostic
}

// reparsed is how a text parsed from the kept tree differs from the one
// before it: ed for generation (replay.go), and edit, spec and diags, the
// previous text's, for decoding (retype.go). A zero reparsed knows nothing.
type reparsed struct {
	ed    fleetEdit
	edit  jsonpos.Edit
	spec  *Spec
	diags []Diagnostic
}

// syntax parses data as JSON, from the kept tree where there is one. It
// takes the tree (Reparse changes it in place, and a concurrent Parse must
// not see it half moved); keepSyntax gives the result back once nothing
// reads it any more.
//
// rp says how data differs from the text of the fleet parsed before it,
// when Reparse knows (a zero rp otherwise).
func (c *Cache) syntax(data []byte) (root *jsonpos.Value, errs []*jsonpos.Error, buf []byte, rp reparsed) {
	if c == nil {
		root, errs := jsonpos.Parse(data)
		return root, errs, nil, rp
	}
	c.mu.Lock()
	t := c.tree
	c.tree = syntaxTree{}
	c.mu.Unlock()
	if t.root != nil {
		if root, edit, ok := jsonpos.ReparseAt(t.root, t.text, data); ok {
			if t.fleet != 0 {
				rp = reparsed{ed: fleetEdit{base: t.fleet, field: fieldOf(edit.At)}, edit: edit, spec: t.spec, diags: t.diags}
			}
			return root, nil, t.text, rp
		}
	}
	root, errs = jsonpos.Parse(data)
	if len(errs) > 0 && t.root != nil {
		// Reparse leaves a tree it declines as it was. Half-typed text
		// has errors; the keystroke that completes it is likely again a
		// small edit of the last good text.
		c.mu.Lock()
		if c.tree.root == nil {
			c.tree = t
		}
		c.mu.Unlock()
		return root, errs, nil, rp
	}
	return root, errs, t.text, rp
}

// keepSyntax keeps root, parsed from data without a syntax error, for the
// next syntax call; buf is the array of the text the Cache kept before, now
// free to hold data.
func (c *Cache) keepSyntax(root *jsonpos.Value, data, buf []byte) {
	if c == nil {
		return
	}
	text := append(buf[:0], data...)
	c.mu.Lock()
	c.tree = syntaxTree{root: root, text: text}
	c.mu.Unlock()
}

// keepFleet numbers f, parsed from the text whose tree is root with
// diags, and notes it with the tree: the next text's edit is relative to
// it.
func (c *Cache) keepFleet(root *jsonpos.Value, f *fleet, diags []Diagnostic) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.fleets++
	f.id = c.fleets
	if c.tree.root == root && root != nil {
		c.tree.fleet, c.tree.spec, c.tree.diags = f.id, f.spec, diags
	}
	c.mu.Unlock()
}
