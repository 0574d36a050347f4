package jsonpos

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// reparseAgrees checks Reparse's contract for one edit: when it succeeds,
// its tree is exactly Parse's (positions included) and Parse finds no
// error; when Parse finds none, Reparse may still decline. It reports
// whether Reparse took the edit.
func reparseAgrees(t testing.TB, old, data []byte) bool {
	t.Helper()
	root, errs := Parse(old)
	if len(errs) > 0 {
		return false
	}
	got, ed, ok := ReparseAt(root, old, data)
	at := ed.At
	want, errs := Parse(data)
	if !ok {
		if again, _ := Parse(old); !reflect.DeepEqual(root, again) {
			t.Fatalf("Reparse declined the edit but changed the tree\nold: %q\nnew: %q", old, data)
		}
		return false
	}
	if len(errs) > 0 {
		t.Fatalf("Reparse took an edit Parse rejects (%v)\nold: %q\nnew: %q", errs[0], old, data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Reparse's tree differs from Parse's\nold: %q\nnew: %q\ngot:  %s\nwant: %s", old, data, dump(got), dump(want))
	}
	// ReparseAt's path: the value it leads to holds every changed byte, in
	// both texts.
	oldRoot, _ := Parse(old)
	if string(old) == string(data) {
		if at != nil {
			t.Fatalf("no change, but ReparseAt says %v", at)
		}
		return true
	}
	pre, oldEnd, newEnd := 0, len(old), len(data)
	for pre < oldEnd && pre < newEnd && old[pre] == data[pre] {
		pre++
	}
	for oldEnd > pre && newEnd > pre && old[oldEnd-1] == data[newEnd-1] {
		oldEnd--
		newEnd--
	}
	for _, side := range []struct {
		root *Value
		text []byte
		end  int
	}{{oldRoot, old, oldEnd}, {got, data, newEnd}} {
		v := side.root
		for _, st := range at {
			if st.Elem != (v.Kind == Array) || st.Index >= len(v.Elems)+len(v.Members) || !st.Elem && v.Members[st.Index].Key != st.Key {
				t.Fatalf("ReparseAt's path %v does not lead anywhere in %q", at, side.text)
			}
			v = v.child(st.Index)
		}
		if v.Pos.Offset > pre || skipValue(side.text, v.Pos.Offset) < side.end {
			t.Fatalf("ReparseAt's path %v leads to %q, which does not hold the change at [%d, %d) of %q", at, side.text[v.Pos.Offset:skipValue(side.text, v.Pos.Offset)], pre, side.end, side.text)
		}
		// Where the value ends, in each text.
		end := ed.OldEnd
		if side.root == got {
			end = ed.NewEnd
			if v != ed.Value {
				t.Fatalf("ReparseAt's Value is not the value its path leads to")
			}
		}
		if stop := skipValue(side.text, v.Pos.Offset); end.Offset != stop {
			t.Fatalf("ReparseAt says the value at %v ends at byte %d of %q, it ends at %d", at, end.Offset, side.text, stop)
		}
		if l := 1 + strings.Count(strings.ReplaceAll(string(side.text[:end.Offset]), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(side.text[:end.Offset]), "\r\n", ""), "\r"); l != end.Line {
			t.Fatalf("ReparseAt says the value at %v ends on line %d of %q, it ends on line %d", at, end.Line, side.text, l)
		}
	}
	return true
}

// dump prints a tree with every position, for failure messages.
func dump(v *Value) string {
	var b strings.Builder
	var walk func(v *Value)
	pos := func(p Pos) string { return "@" + itoa(p.Line) + ":" + itoa(p.Col) + "/" + itoa(p.Offset) }
	walk = func(v *Value) {
		if v == nil {
			b.WriteString("nil")
			return
		}
		b.WriteString(pos(v.Pos))
		switch v.Kind {
		case Array:
			b.WriteString("[")
			for _, e := range v.Elems {
				walk(e)
				b.WriteString(" ")
			}
			b.WriteString("]")
		case Object:
			b.WriteString("{")
			for _, m := range v.Members {
				b.WriteString(m.Key + pos(m.KeyPos) + "=")
				walk(m.Value)
				b.WriteString(" ")
			}
			b.WriteString("}")
		default:
			b.WriteString(v.Kind.String() + " " + v.Str)
		}
	}
	walk(v)
	return b.String()
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestReparse(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		took           bool // Reparse handles it without Parse
	}{
		{"same text", `{"a": 1}`, `{"a": 1}`, true},
		{"a string member", `{"a": "x", "b": [1, 2]}`, `{"a": "xyz", "b": [1, 2]}`, true},
		{"an element", `{"a": [1, 2, 3], "b": true}`, `{"a": [1, 20, 3], "b": true}`, true},
		{"a new member in a nested object", "{\"m\": [{\"n\": 1},\n {\"n\": 2}],\n \"z\": 0}", "{\"m\": [{\"n\": 1},\n {\"n\": 2,\n \"d\": \"é\"}],\n \"z\": 0}", true},
		{"lines and columns after the edit", "{\"a\": \"x\", \"b\": 1,\n\"c\": 2}", "{\"a\": \"x\\n日本\", \"b\": 1,\n\"c\": 2}", true},
		{"CRLF line ends", "{\"a\": [1,\r\n2],\r\n\"b\": 3}", "{\"a\": [1,\r\n\r\n22],\r\n\"b\": 3}", true},
		{"a lone CR", "{\"a\": [1,\r2],\r\"b\": 3}", "{\"a\": [1,\r\r2],\r\"b\": 3}", true},
		{"a member renamed", `{"a": 1, "b": 2}`, `{"a": 1, "bc": 2}`, false},
		{"a member added at the top", `{"a": 1}`, `{"a": 1, "b": 2}`, false},
		{"an error in the edited value", `{"a": [1, 2]}`, `{"a": [1, 2,]}`, false},
		{"a duplicate key in the edited value", `{"a": {"x": 1}}`, `{"a": {"x": 1, "x": 2}}`, false},
		{"the edit joins two values", `{"a": [1, 2]}`, `{"a": [1 2]}`, false},
		{"a number's digits", `{"a": [12, 3]}`, `{"a": [1, 3]}`, true},
		{"a string broken open", `{"a": "x", "b": "y"}`, `{"a": "x, "b": "y"}`, false},
		{"a string escape", `{"a": "x\"y", "b": 1}`, `{"a": "x\"yz\u00e9", "b": 1}`, true},
		{"not the top level", `[1, 2]`, `[1, 2, 3]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if took := reparseAgrees(t, []byte(tc.old), []byte(tc.new)); took != tc.took {
				t.Errorf("Reparse took the edit: %v, want %v", took, tc.took)
			}
		})
	}
}

// TestReparseRandomEdits edits the example specs at random, one edit at a
// time from the previous text, as a person typing, and holds every
// Reparse to Parse; it also checks that Reparse takes most edits inside
// values, the keystrokes it is for.
func TestReparseRandomEdits(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "content", "examples", "*.json"))
	if len(paths) == 0 {
		t.Fatal("no example specs")
	}
	docs := [][]byte{[]byte("{\"a\": [1,\r\n {\"b\": \"é\\u00e9\", \"c\": null}],\r\n \"d\": {\"e\": [true, false, -1.5e3]}\r\n}")}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	frags := []string{"a", "é", "日本", "\n", "\r\n", "\r", " ", "\t", "\"", ",", "1", "-", ".", "e", "{", "}", "[", "]", ":",
		"\\", "\\n", "\\u00e9", `"x": 1,`, `, "y"`, "null", "tru", "0"}
	rng := rand.New(rand.NewPCG(1, 2))
	took, valid := 0, 0
	for _, doc := range docs {
		text := doc
		for range 600 {
			next := randomEdit(rng, text, frags)
			if reparseAgrees(t, text, next) {
				took++
			}
			if _, errs := Parse(next); len(errs) == 0 {
				valid++
				text = next
			}
		}
	}
	if took < valid/3 {
		t.Errorf("Reparse took %d of %d edits that left valid JSON; most edits land inside a value", took, valid)
	}
	t.Logf("Reparse took %d of %d edits that left valid JSON", took, valid)
}

// randomEdit inserts a fragment, deletes a few bytes, or repeats or drops
// a line, at a random place.
func randomEdit(rng *rand.Rand, text []byte, frags []string) []byte {
	at := rng.IntN(len(text) + 1)
	out := append([]byte(nil), text[:at]...)
	switch rng.IntN(5) {
	case 0, 1:
		out = append(out, frags[rng.IntN(len(frags))]...)
		return append(out, text[at:]...)
	case 2:
		return append(out, text[min(len(text), at+1+rng.IntN(4)):]...)
	default:
		start := strings.LastIndexByte(string(text[:at]), '\n') + 1
		end := at + strings.IndexByte(string(text[at:]), '\n') + 1
		if end <= at {
			end = len(text)
		}
		out = append(out[:start], text[start:end]...)
		if rng.IntN(2) == 0 {
			out = append(out, text[start:end]...) // the line twice
		}
		return append(out, text[end:]...)
	}
}

// TestReparseChain keeps Reparse's tree from one edit to the next, as the
// generator's Cache does, so that positions moved by one edit are the
// starting point of the next.
func TestReparseChain(t *testing.T) {
	old := []byte("{\n  \"machines\": [\n    {\"name\": \"a\", \"tags\": []},\n    {\"name\": \"b\"}\n  ],\n  \"users\": [{\"name\": \"u\"}]\n}")
	root, errs := Parse(old)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	for i, next := range []string{
		"{\n  \"machines\": [\n    {\"name\": \"ab\", \"tags\": []},\n    {\"name\": \"b\"}\n  ],\n  \"users\": [{\"name\": \"u\"}]\n}",
		"{\n  \"machines\": [\n    {\"name\": \"ab\", \"tags\": [\"x\",\n \"y\"]},\n    {\"name\": \"b\"}\n  ],\n  \"users\": [{\"name\": \"u\"}]\n}",
		"{\n  \"machines\": [\n    {\"name\": \"ab\", \"tags\": [\"x\",\n \"y\"]},\n    {\"name\": \"bé\"}\n  ],\n  \"users\": [{\"name\": \"u\"}]\n}",
		"{\n  \"machines\": [\n    {\"name\": \"ab\", \"tags\": [\"x\",\n \"y\"]},\n    {\"name\": \"bé\"}\n  ],\n  \"users\": [{\"name\": \"uv\", \"admin\": true}]\n}",
	} {
		got, ok := Reparse(root, old, []byte(next))
		want, errs := Parse([]byte(next))
		if !ok || len(errs) > 0 {
			t.Fatalf("edit %d: Reparse took it: %v, Parse errors: %v", i, ok, errs)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("edit %d: got %s\nwant %s", i, dump(got), dump(want))
		}
		root, old = got, []byte(next)
	}
}

// FuzzReparse edits a document as a person would, cut bytes out at a
// place and some typed in, so that most inputs reach Reparse's own work
// rather than its first refusal.
func FuzzReparse(f *testing.F) {
	f.Add([]byte(`{"a": [1, 2], "b": "x"}`), uint(9), uint(1), []byte("22"))
	f.Add([]byte("{\"a\": {\"b\": \"c\"},\r\n\"d\": 1}"), uint(14), uint(0), []byte(`\u00e9", "e": [`))
	f.Add([]byte(`{"a": "x", "b": "y"}`), uint(8), uint(1), []byte(""))
	f.Add([]byte(`{"a": [12, 3]}`), uint(8), uint(0), []byte(" "))
	f.Fuzz(func(t *testing.T, old []byte, at, cut uint, typed []byte) {
		at = min(at, uint(len(old)))
		cut = min(cut, uint(len(old))-at)
		data := append(append(append([]byte(nil), old[:at]...), typed...), old[at+cut:]...)
		reparseAgrees(t, old, data)
	})
}
