package gen

import (
	"slices"
	"strconv"
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
// on them, and defaults never touch them.
const retypeFields = fName | fDescription | fMachineDescription | fFullName | fEmail |
	fHotfixReason | fOverrideReason | fPackageDescription | fPromptDescription

// retype returns the spec and diagnostics of root, reparsed from the
// previous text by rp, when the edit was inside one of retypeFields and
// the new value is a string; ok is false when it cannot, and the caller
// decodes the tree.
func retype(root *jsonpos.Value, rp reparsed) (*Spec, []Diagnostic, bool) {
	e := rp.edit
	if rp.spec == nil || rp.ed.field&retypeFields == 0 || e.Value == nil || e.Value.Kind != jsonpos.String ||
		HasErrors(rp.diags) || len(rp.diags)+1 >= maxDiagnostics {
		return nil, nil, false
	}
	v, s := e.Value.Str, *rp.spec
	// The index of the n-th array on the path.
	index := func(n int) int {
		for _, st := range e.At {
			if st.Elem {
				if n == 0 {
					return st.Index
				}
				n--
			}
		}
		return -1
	}
	switch i, j := index(0), index(1); rp.ed.field {
	case fName:
		s.Name = v
	case fDescription:
		s.Description = v
	case fMachineDescription:
		s.Machines = slices.Clone(s.Machines)
		s.Machines[i].Description = v
	case fFullName:
		s.Users = slices.Clone(s.Users)
		s.Users[i].FullName = v
	case fEmail:
		s.Users = slices.Clone(s.Users)
		s.Users[i].Email = v
	case fHotfixReason:
		s.Overlays.Hotfixes = slices.Clone(s.Overlays.Hotfixes)
		s.Overlays.Hotfixes[i].Reason = v
	case fOverrideReason:
		s.Overlays.Overrides = slices.Clone(s.Overlays.Overrides)
		s.Overlays.Overrides[i].Reason = v
	case fPackageDescription:
		s.Overlays.Packages = slices.Clone(s.Overlays.Packages)
		s.Overlays.Packages[i].Description = v
	case fPromptDescription:
		s.Vars = slices.Clone(s.Vars)
		s.Vars[i].Prompts = slices.Clone(s.Vars[i].Prompts)
		s.Vars[i].Prompts[j].Description = v
	default:
		return nil, nil, false
	}
	// The field's rule, at the path validate gives it (machines[7].description).
	path := diagPath(e.At)
	c := &checker{s: &s, at: (&decoder{root: root}).locate}
	switch rp.ed.field {
	case fName:
		c.name(at(path, ""), "clan name", v, &ruleClanName)
	case fEmail:
		c.email(path, v)
	default:
		c.text(at(path, ""), v)
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

// diagPath writes path as validation names fields: keys joined by dots,
// array elements by index (users[2].email).
func diagPath(path []jsonpos.Step) string {
	var b []byte
	for i, st := range path {
		switch {
		case st.Elem:
			b = append(strconv.AppendInt(append(b, '['), int64(st.Index), 10), ']')
		case i > 0:
			b = append(append(b, '.'), st.Key...)
		default:
			b = append(b, st.Key...)
		}
	}
	return string(b)
}
