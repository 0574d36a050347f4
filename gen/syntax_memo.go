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
	// fleet is the id of the fleet parsed from text, 0 if none was.
	fleet uint64
}

// syntax parses data as JSON, from the kept tree where there is one. It
// takes the tree (Reparse changes it in place, and a concurrent Parse must
// not see it half moved); keepSyntax gives the result back once nothing
// reads it any more.
//
// ed says where data differs from the text of the fleet parsed before it,
// when Reparse knows.
func (c *Cache) syntax(data []byte) (root *jsonpos.Value, errs []*jsonpos.Error, buf []byte, ed fleetEdit) {
	if c == nil {
		root, errs := jsonpos.Parse(data)
		return root, errs, nil, ed
	}
	c.mu.Lock()
	t := c.tree
	c.tree = syntaxTree{}
	c.mu.Unlock()
	if t.root != nil {
		if root, at, ok := jsonpos.ReparseAt(t.root, t.text, data); ok {
			if t.fleet != 0 {
				ed = fleetEdit{base: t.fleet, field: fieldOf(at)}
			}
			return root, nil, t.text, ed
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
		return root, errs, nil, ed
	}
	return root, errs, t.text, ed
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

// keepFleet numbers f, parsed from the text whose tree is root, and notes
// it with the tree: the next text's edit is relative to it.
func (c *Cache) keepFleet(root *jsonpos.Value, f *fleet) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.fleets++
	f.id = c.fleets
	if c.tree.root == root && root != nil {
		c.tree.fleet = f.id
	}
	c.mu.Unlock()
}
