package jsonpos

import "github.com/fleetyard/fleetyard/gen/internal/affix"

// Reparse returns the tree of data, given root, the tree Parse returned
// without errors for old. It is for a person editing a document: when old
// and data differ only inside one value below the top level (a field of
// one machine, one element of a list), only that value is parsed again, and
// the rest of root is kept, its positions moved by the edit. The result is
// then exactly what Parse(data) would return.
//
// Reparse changes root in place when it succeeds: the caller gives root up
// for the result. ok is false, and root is left as it was, when the edit
// reaches the top-level value's own structure or leaves the edited value
// invalid; the caller then parses data with Parse, which also reports the
// errors.
func Reparse(root *Value, old, data []byte) (v *Value, ok bool) {
	v, _, ok = ReparseAt(root, old, data)
	return v, ok
}

// An Edit says where Reparse's two texts differ: inside the value at the
// end of At, which it parsed again (Value, in the new tree). Everything
// after that value moved from OldEnd, where it ended in the old text, to
// NewEnd: the line by NewEnd.Line-OldEnd.Line, and on OldEnd's line the
// column by NewEnd.Col-OldEnd.Col.
type Edit struct {
	At             []Step
	Value          *Value
	OldEnd, NewEnd Pos
}

// A Step is one level of a path from the top-level value down: a member's
// value, by its key, or an element of an array (Elem); Index is its place
// among its parent's members or elements.
type Step struct {
	Key   string
	Elem  bool
	Index int
}

// ReparseAt is Reparse that also says where the texts differ (a zero Edit
// when they are the same). A caller that derived something from old's tree
// knows that only what it read at or below the edit's value can differ.
func ReparseAt(root *Value, old, data []byte) (v *Value, ed Edit, ok bool) {
	if root == nil {
		return nil, ed, false
	}
	pre := affix.Prefix(old, data)
	if pre == len(old) && pre == len(data) {
		return root, ed, true
	}
	suf := affix.Suffix(old[pre:], data[pre:])
	e := edit{old: old, data: data, oldEnd: len(old) - suf, newEnd: len(data) - suf}
	// Descend to the deepest value whose text can hold the changed bytes,
	// keeping the path: the values to try are on it, deepest first.
	var path []step
	for v, bound := root, len(old); ; {
		i, next := childAt(v, pre)
		if i < 0 {
			break
		}
		// The child's text ends before the next one starts, or where its
		// parent's ends.
		if next >= 0 {
			bound = next
		}
		if pre >= bound || e.oldEnd > bound {
			break
		}
		path = append(path, step{parent: v, index: i})
		v = v.child(i)
	}
	for depth := len(path); depth > 0; depth-- {
		if e.replace(path[:depth], &ed) {
			ed.At = make([]Step, depth)
			for i, st := range path[:depth] {
				ed.At[i].Index = st.index
				if st.parent.Kind == Array {
					ed.At[i].Elem = true
				} else {
					ed.At[i].Key = st.parent.Members[st.index].Key
				}
			}
			return root, ed, true
		}
	}
	return nil, ed, false
}

// A step is one level of the path from the root to the edited value: the
// index-th element or member value of parent.
type step struct {
	parent *Value
	index  int
}

// edit is the change from old to data: old[oldEnd:] and data[newEnd:] are
// the same, and so are the texts up to where the change starts.
type edit struct {
	old, data      []byte
	oldEnd, newEnd int
}

// childAt returns the index of v's last element or member value starting at
// or before off, and where the one after it starts (its member's key for an
// object), or -1 when it is the last. The index is -1 when there is none.
func childAt(v *Value, off int) (int, int) {
	n := len(v.Elems) + len(v.Members)
	lo, hi := 0, n // the first child starting after off is in [lo, hi]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v.child(m).Pos.Offset <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	next := -1
	if lo < len(v.Elems) {
		next = v.Elems[lo].Pos.Offset
	} else if lo < len(v.Members) {
		next = v.Members[lo].KeyPos.Offset
	}
	return lo - 1, next
}

// child is v's i-th element or member value.
func (v *Value) child(i int) *Value {
	if v.Kind == Array {
		return v.Elems[i]
	}
	return v.Members[i].Value
}

// replace parses again the value path ends at, if the changed bytes are
// inside it in both texts, and puts it in its parent, moving the positions
// of everything after it. It reports whether it did.
func (e *edit) replace(path []step, ed *Edit) bool {
	last := path[len(path)-1]
	at := last.parent.child(last.index)
	start := at.Pos.Offset
	oldStop, newStop := skipValue(e.old, start), skipValue(e.data, start)
	// The value must hold every changed byte, and end where the same text
	// resumes in both: then data is old with this value's text replaced.
	if oldStop < 0 || newStop < e.newEnd || newStop-oldStop != len(e.data)-len(e.old) {
		return false
	}
	// The texts are the same up to start, so is the line start.
	ls := start
	for ls > 0 && e.data[ls-1] != '\n' && e.data[ls-1] != '\r' {
		ls--
	}
	p := parserAt(e.data, at.Pos, ls)
	p.text, p.base = string(e.data[start:newStop]), start
	v := p.value(len(path))
	if v == nil || len(p.errs) > 0 || p.off != newStop {
		return false
	}
	// What followed the old value's end now follows the new one's: same
	// offset change everywhere, line change everywhere, and a column change
	// on the line the value ended on.
	end, oldEnd := p.pos(newStop), parserAt(e.old, at.Pos, ls).end(oldStop)
	s := shift{bytes: newStop - oldStop, lines: end.Line - oldEnd.Line, line: oldEnd.Line, cols: end.Col - oldEnd.Col}
	for _, st := range path {
		for j := st.index + 1; j < len(st.parent.Elems); j++ {
			s.tree(st.parent.Elems[j])
		}
		for j := st.index + 1; j < len(st.parent.Members); j++ {
			s.pos(&st.parent.Members[j].KeyPos)
			s.tree(st.parent.Members[j].Value)
		}
	}
	if last.parent.Kind == Array {
		last.parent.Elems[last.index] = v
	} else {
		last.parent.Members[last.index].Value = v
	}
	ed.Value, ed.OldEnd, ed.NewEnd = v, oldEnd, end
	return true
}

// parserAt is a parser positioned at pos in data, on the line starting at
// offset lineStart.
func parserAt(data []byte, pos Pos, lineStart int) *parser {
	return &parser{data: data, off: pos.Offset, line: pos.Line, lineStart: lineStart, colOff: pos.Offset, col: pos.Col}
}

// end moves p to stop, the end of the value at p (whose line breaks are
// all between its tokens), and returns the position there.
func (p *parser) end(stop int) Pos {
	for p.off < stop {
		if c := p.data[p.off]; c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			p.skipSpace()
		} else {
			p.off++
		}
	}
	return p.pos(stop)
}

// shift moves positions after an edit: every offset by bytes, every line
// by lines, and the columns on line (the line the edited value ended on,
// before the edit) by cols.
type shift struct{ bytes, lines, line, cols int }

func (s *shift) pos(p *Pos) {
	if p.Line == s.line {
		p.Col += s.cols
	}
	p.Line += s.lines
	p.Offset += s.bytes
}

func (s *shift) tree(v *Value) {
	s.pos(&v.Pos)
	for _, e := range v.Elems {
		s.tree(e)
	}
	for i := range v.Members {
		s.pos(&v.Members[i].KeyPos)
		s.tree(v.Members[i].Value)
	}
}

// skipValue returns the offset just after the JSON value starting at off,
// or -1 when the text ends first. It follows only strings and brackets:
// the text is either one Parse accepted or about to be parsed, which checks
// the rest.
func skipValue(d []byte, off int) int {
	depth := 0
	for i := off; i < len(d); i++ {
		switch d[i] {
		case '"':
			for i++; i < len(d) && d[i] != '"'; i++ {
				if d[i] == '\\' {
					i++
				}
			}
			if i >= len(d) {
				return -1
			}
		case '{', '[':
			depth++
			continue
		case '}', ']':
			depth--
		case ' ', '\t', '\n', '\r', ',', ':':
			continue
		default:
			// A number or a literal runs to the next delimiter.
			for i+1 < len(d) && !delimiter(d[i+1]) {
				i++
			}
		}
		if depth <= 0 {
			if depth < 0 {
				return -1
			}
			return i + 1
		}
	}
	return -1
}

func delimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', ']', '}', '"', '[', '{':
		return true
	}
	return false
}
