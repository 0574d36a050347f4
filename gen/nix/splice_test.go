package nix

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// spliceShapes are files around one attribute set, in the places the
// generator puts per-entity sets and some it does not (yet): the test is
// that the set's text is its bindings' texts wherever the set stands.
var spliceShapes = map[string]func([]Binding) File{
	"top-level set": func(bs []Binding) File { return File{Body: Set(bs...)} },
	"nested path, header": func(bs []Binding) File {
		return File{Header: []string{"The clan inventory."}, Body: Set(Bind(Attrs{Binds: bs}, "clan", "inventory", "machines"))}
	},
	"module": func(bs []Binding) File {
		return File{Body: Module([]string{"config"}, Set(Bind(Set(bs...), "clan", "machines")))}
	},
	"deep": func(bs []Binding) File {
		return File{Body: Set(Bind(Set(Bind(Set(Bind(Set(bs...), "c")), "b", "x")), "a"))}
	},
	"let body": func(bs []Binding) File {
		return File{Body: Let{Binds: []Binding{Bind(Int(1), "x")}, Body: Set(bs...)}}
	},
	"list element": func(bs []Binding) File { return File{Body: List{Set(bs...), Int(2)}} },
	"argument":     func(bs []Binding) File { return File{Body: Call(Ident("f"), Set(bs...))} },
	"rec set":      func(bs []Binding) File { return File{Body: Attrs{Rec: true, Binds: bs}} },
}

// TestTemplateJoinEqualsPrint holds the assumption generator splicing rests
// on: over the random bindings of the nixfmt fuzz test, joining bindings
// printed one at a time gives exactly Print of the whole file, with the
// pieces of odd seeds printed through one Memo.
func TestTemplateJoinEqualsPrint(t *testing.T) {
	refused := 0
	total := 0
	var memo Memo
	for name, mk := range spliceShapes {
		tmpl, ok := NewTemplate(mk)
		if !ok {
			t.Fatalf("%s: NewTemplate refused the shape", name)
		}
		if tmpl.Piece(nil, Bind(Int(1), "a")); tmpl.alone == tmpl {
			t.Errorf("%s: bindings at column %d are printed in the whole file, not alone", name, tmpl.Indent())
		}
		for seed := uint64(0); seed < 300; seed++ {
			g := astGen{r: rand.New(rand.NewPCG(seed, 11))}
			var bs []Binding
			for len(bs) == 0 {
				bs = g.binds()
			}
			pieces := make([][]byte, 0, len(bs))
			all := true
			var m *Memo
			if seed%2 == 1 {
				m = &memo
			}
			for _, b := range bs {
				total++
				p, ok := tmpl.Piece(m, b)
				if !ok {
					refused++
					all = false
					break
				}
				pieces = append(pieces, p)
			}
			if !all {
				continue
			}
			want := Print(mk(bs))
			if got := tmpl.Join(nil, pieces); !bytes.Equal(got, want) {
				t.Fatalf("%s, seed %d: joined pieces differ from Print:\n%s\n--- want\n%s", name, seed, got, want)
			}
		}
	}
	if refused > 0 {
		t.Errorf("Piece refused %d of %d random bindings", refused, total)
	}
	// No bindings: the set prints as `{ }`, not as the template.
	for name, mk := range spliceShapes {
		tmpl, _ := NewTemplate(mk)
		if got, want := tmpl.Join(nil, nil), Print(mk(nil)); !bytes.Equal(got, want) {
			t.Errorf("%s, no bindings: Join = %q, want %q", name, got, want)
		}
	}
}

// NewTemplate must refuse a file that does not hold its argument as a set.
func TestNewTemplateRefuses(t *testing.T) {
	for name, mk := range map[string]func([]Binding) File{
		"bindings dropped": func([]Binding) File { return File{Body: Set(Bind(Int(1), "a"))} },
		"bindings twice": func(bs []Binding) File {
			return File{Body: Set(Bind(Set(bs...), "a"), Bind(Set(bs...), "b"))}
		},
	} {
		if _, ok := NewTemplate(mk); ok {
			t.Errorf("%s: NewTemplate accepted it", name)
		}
	}
}

// TestSplitHeaderPrintsAlike: where SplitHeader accepts a file, its two
// halves print as the file does, over the random files of the nixfmt fuzz
// test given random headers.
func TestSplitHeaderPrintsAlike(t *testing.T) {
	checked := 0
	for seed := uint64(0); seed < 20000; seed++ {
		g := astGen{r: rand.New(rand.NewPCG(seed, 5))}
		f := g.file()
		f.Header = g.comments()
		h, b, ok := SplitHeader(f)
		if !ok {
			continue
		}
		checked++
		whole := Print(f)
		if split := append(Print(h), Print(b)...); !bytes.Equal(whole, split) {
			t.Fatalf("seed %d: the halves print differently:\n%s\n--- halves\n%s", seed, whole, split)
		}
	}
	if checked < 1000 {
		t.Errorf("only %d random files were split: the test exercises too little", checked)
	}
}
