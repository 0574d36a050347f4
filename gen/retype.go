package gen

import (
	"slices"
	"sync/atomic"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// Decoding a keystroke in free text. Decoding and validating the whole
// tree is most of a keystroke's parse, yet a letter typed into a machine's
// description changes one string that only one rule reads (checker.text).
// For the fields below, retype copies the previous text's spec with that
// string replaced, keeps its diagnostics but the field's own, moved as
// Reparse moved the tree, and checks the new string: what decodeTree
// returns, which TestRetypeSameAsDecode holds it to.

// retyped counts retype's successes, for tests.
var retyped atomic.Int64

// retypeFields are the typed fields whose value nothing but their own rule
// reads during validation: no other rule's diagnostic or position depends
// on them, and defaults never touch them. The overlays' and vars' free
// texts are such fields too, left out for the code each costs in the
// module: they are typed into less, and their keystrokes still replay.
const retypeFields = fName | fDescription | fMachineDescription | fFullName | fEmail

// retype returns the spec and diagnostics of root, reparsed from the
// previous text by rp, when the edit was inside one of retypeFields and
// the new value is a string; ok is false when it cannot, and the caller
// decodes the tree.
func retype(root *jsonpos.Value, rp reparsed) (*Spec, []Diagnostic, bool) {
	e := rp.edit
	if rp.spec == nil || rp.ed.field&retypeFields == 0 || e.Value == nil || e.Value.Kind != jsonpos.String ||
		HasErrors(rp.diags) || len(rp.diags)+1 >= maxDiagnostics || looksPrivate(e.Value.Str) {
		return nil, nil, false
	}
	v, s := e.Value.Str, *rp.spec
	// The field's new value, and the rule that checks it at the path
	// validate gives it (machines[7].description).
	c := &checker{s: &s, at: (&decoder{root: root}).locate}
	var path string
	switch f := rp.ed.field; f {
	case fName:
		s.Name, path = v, "name"
		c.name(at(path, ""), "clan name", v, &ruleClanName)
	case fDescription:
		s.Description, path = v, "description"
		c.text(at(path, ""), v)
	case fMachineDescription:
		i := e.At[1].Index
		s.Machines = slices.Clone(s.Machines)
		s.Machines[i].Description, path = v, idx("machines", i)+".description"
		c.text(at(path, ""), v)
	default:
		i := e.At[1].Index
		s.Users = slices.Clone(s.Users)
		u := &s.Users[i]
		if f == fEmail {
			u.Email, path = v, idx("users", i)+".email"
			c.email(path, v)
		} else {
			u.FullName, path = v, idx("users", i)+".fullName"
			c.text(at(path, ""), v)
		}
	}
	diags := make([]Diagnostic, 0, len(rp.diags)+len(c.out))
	for _, d := range rp.diags {
		if d.Path == path {
			continue
		}
		// Where the tree moved (jsonpos.Edit): the positions after the
		// value. No diagnostic is inside it but its own. (A string holds
		// no line break, so only columns on its line move.)
		if d.Line > e.OldEnd.Line || d.Line == e.OldEnd.Line && d.Col >= e.OldEnd.Col {
			if d.Line == e.OldEnd.Line {
				d.Col += e.NewEnd.Col - e.OldEnd.Col
			}
			d.Line += e.NewEnd.Line - e.OldEnd.Line
		}
		diags = append(diags, d)
	}
	diags = append(diags, c.out...)
	sortDiagnostics(diags)
	retyped.Add(1)
	if len(diags) == 0 {
		diags = nil
	}
	return &s, diags, true
}
