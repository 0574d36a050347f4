package nix

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// A Memo changes how much work printing takes, never what it prints. The
// random files print through one Memo shared by all of them, twice (the
// second time most bindings come from memory), and again nested in sets
// and lets of several depths, so the same bindings meet the memo at other
// columns; every print must be Print's.
func TestMemoPrintsAsPrint(t *testing.T) {
	var m Memo
	check := func(name string, f File) {
		t.Helper()
		want := Print(f)
		for pass := 0; pass < 2; pass++ {
			if got := m.Append(nil, f); !bytes.Equal(got, want) {
				t.Fatalf("%s, pass %d: through the memo\n%s\nPrint\n%s", name, pass, got, want)
			}
		}
	}
	for seed := uint64(0); seed < 40; seed++ {
		for i := 0; i < 25; i++ {
			g := astGen{r: rand.New(rand.NewPCG(seed, uint64(i)))}
			f := g.file()
			name := fmt.Sprint(seed, "/", i)
			check(name, f)
			body := f.Body
			for depth := 1; depth <= 3; depth++ {
				body = Set(Bind(body, "x"), Bind(Int(depth), "d"))
				check(fmt.Sprint(name, " in ", depth, " sets"), File{Header: f.Header, Body: body})
			}
			check(name+" in a let", File{Body: Let{Binds: []Binding{Bind(f.Body, "y")}, Body: Ident("y")}})
		}
	}
	for i := range 20 {
		check(fmt.Sprint("machine module ", i), machineModule(i%3))
	}
}

// A Memo is shared by the generator's goroutines.
func TestMemoConcurrent(t *testing.T) {
	var m Memo
	files := make([]File, 50)
	want := make([][]byte, len(files))
	for i := range files {
		g := astGen{r: rand.New(rand.NewPCG(7, uint64(i)))}
		files[i] = g.file()
		want[i] = Print(files[i])
	}
	done := make(chan error, 4)
	for w := range 4 {
		go func() {
			for k := range files {
				i := (k + w*13) % len(files)
				if got := m.Append(nil, files[i]); !bytes.Equal(got, want[i]) {
					done <- fmt.Errorf("file %d differs through the memo", i)
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
