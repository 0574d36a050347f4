package nix

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// useNix reports whether fuzz targets should evaluate each input with the
// real nix-instantiate: only while fuzzing (-fuzz set), when the tool is
// installed, and not with -short. `go test -short -fuzz FuzzString` checks
// against the Go lexer model alone at ~40k execs/s instead of ~50/s.
func useNix() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != "" && !testing.Short() && nixtest.Available()
}

// expectPanic runs f and reports whether it panicked.
func expectPanic(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// FuzzString checks that any string printed by Str reads back as exactly
// itself, both at top level and nested inside a set (where indented strings
// get extra indentation). The pure-Go model of Nix's lexer always runs. The
// real nix-instantiate runs per input only while fuzzing (see useNix); in a
// plain `go test` the seeds are checked by Nix in one batch by
// TestRoundTripNix instead.
func FuzzString(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.IndexByte(s, 0) >= 0 {
			if !expectPanic(func() { Print(File{Body: Str(s)}) }) {
				t.Fatalf("Str with NUL printed instead of panicking")
			}
			return
		}
		top := string(Print(File{Body: Str(s)}))
		if !strings.HasSuffix(top, "\n") {
			t.Fatalf("output %q lacks trailing newline", top)
		}
		got, err := unquoteNix(top[:len(top)-1])
		if err != nil || got != s {
			t.Fatalf("top level: printed %q reads back as %q (err %v), want %q", top, got, err, s)
		}

		nested := string(Print(File{Body: Set(Bind(Str(s), "a", "b"))}))
		const pre, suf = "{\n  a.b = ", ";\n}\n"
		if !strings.HasPrefix(nested, pre) || !strings.HasSuffix(nested, suf) {
			t.Fatalf("nested: unexpected layout %q", nested)
		}
		lit := nested[len(pre) : len(nested)-len(suf)]
		if got, err := unquoteNix(lit); err != nil || got != s {
			t.Fatalf("nested: printed %q reads back as %q (err %v), want %q", lit, got, err, s)
		}

		if useNix() && utf8.ValidString(s) {
			src := Print(File{Body: List{Str(s), Set(Bind(Str(s), "a", "b"))}})
			var v []any
			if err := json.Unmarshal(nixtest.EvalJSON(t, string(src)), &v); err != nil {
				t.Fatal(err)
			}
			want := []any{s, map[string]any{"a": map[string]any{"b": s}}}
			if !jsonEqual(v, want) {
				t.Fatalf("nix evaluates\n%s\nto %#v, want %#v", src, v, want)
			}
		}
	})
}

// FuzzAttrName checks that any attribute name is written bare only when it
// is a non-keyword identifier, and otherwise as a quoted string that reads
// back exactly, in bindings and in selections.
func FuzzAttrName(f *testing.F) {
	for _, s := range hostileNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if strings.IndexByte(name, 0) >= 0 {
			if !expectPanic(func() { Print(File{Body: Set(Bind(Int(1), name))}) }) {
				t.Fatalf("attribute name with NUL printed instead of panicking")
			}
			return
		}
		out := string(Print(File{Body: Set(Bind(Int(1), name))}))
		// A name too long for the line puts the value on the next one.
		const pre = "{\n  "
		suf := " = 1;\n}\n"
		if strings.HasSuffix(out, " =\n    1;\n}\n") {
			suf = " =\n    1;\n}\n"
		}
		if !strings.HasPrefix(out, pre) || !strings.HasSuffix(out, suf) {
			t.Fatalf("unexpected layout %q", out)
		}
		checkName(t, out[len(pre):len(out)-len(suf)], name)

		sel := string(Print(File{Body: Sel(Ident("x"), name)}))
		if !strings.HasPrefix(sel, "x.") || !strings.HasSuffix(sel, "\n") {
			t.Fatalf("unexpected select layout %q", sel)
		}
		checkName(t, sel[2:len(sel)-1], name)

		if useNix() && utf8.ValidString(name) {
			set := Set(Bind(Int(1), name))
			src := Print(File{Body: List{
				Call(Sel(Ident("builtins"), "attrNames"), set),
				Sel(set, name),
				Let{
					Binds: []Binding{Bind(set, "x")},
					Body:  Call(Sel(Ident("builtins"), "attrNames"), Set(Binding{Inherit: []string{name}, InheritFrom: Ident("x")})),
				},
			}})
			var v []any
			if err := json.Unmarshal(nixtest.EvalJSON(t, string(src)), &v); err != nil {
				t.Fatal(err)
			}
			want := []any{[]any{name}, float64(1), []any{name}}
			if !jsonEqual(v, want) {
				t.Fatalf("nix evaluates\n%s\nto %#v, want %#v", src, v, want)
			}
		}
	})
}

func checkName(t *testing.T, printed, name string) {
	t.Helper()
	bare := isIdent(name) && !isKeyword(name) && name != "or"
	if bare {
		if printed != name {
			t.Fatalf("identifier %q printed as %q, want it bare", name, printed)
		}
		return
	}
	if !strings.HasPrefix(printed, `"`) {
		t.Fatalf("name %q printed as %q, want a quoted string", name, printed)
	}
	got, err := unquoteNix(printed)
	if err != nil || got != name {
		t.Fatalf("name %q printed as %q reads back as %q (err %v)", name, printed, got, err)
	}
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
