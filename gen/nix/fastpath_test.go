package nix

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// printGeneral prints f with every fast path off.
func printGeneral(f File) []byte {
	generalOnly = true
	defer func() { generalOnly = false }()
	return Print(f)
}

// The fast paths (bindings and string literals built as their finished
// documents, plain lists not copied, hopeless layout attempts and the
// measuring of a lone text at the start of a line skipped) must
// print exactly what the general path prints. The cases aim at the edges of
// each shortcut; the random files (the generator FuzzNixfmt uses) cover the
// mixtures.
func TestFastPathsMatchGeneral(t *testing.T) {
	long := "a-value-long-enough-to-push-the-line-past-one-hundred-columns-when-it-follows-a-long-path"
	cases := []struct {
		name string
		f    File
	}{
		{"string binding", File{Body: Set(Bind(Str("x"), "a", "b"))}},
		{"empty string", File{Body: Set(Bind(String{}, "a"))}},
		{"escaped string", File{Body: Set(Bind(Str(`say "${hi}" \ $`), "a"))}},
		{"two-part string", File{Body: Set(Bind(String{Parts: []Part{{Text: "a"}, {Text: "b"}}}, "a"))}},
		{"multi-line string", File{Body: Set(Bind(Str("one\ntwo\n"), "a"))}},
		{"long string", File{Body: Set(Bind(Str(long+long), "services", "x", "y", "z"))}},
		{"five-name path", File{Body: Set(Bind(Str("x"), "a", "b", "c", "d", "e"))}},
		{"quoted name", File{Body: Set(Bind(Str("x"), "a", "b-c.d"))}},
		{"keyword name", File{Body: Set(Bind(Ident("x"), "a", "or"))}},
		{"ident", File{Body: Set(Bind(Ident("pkgs"), "a"))}},
		{"bools null ints", File{Body: Set(Bind(Bool(true), "t"), Bind(Bool(false), "f"), Bind(Null{}, "n"), Bind(Int(42), "i"), Bind(Int(-3), "neg"))}},
		{"plain selection", File{Body: Set(Bind(Sel(Ident("config"), "networking", "hostName"), "a", "b"))}},
		{"selection with default", File{Body: Set(Bind(SelectOr{X: Ident("x"), Attrs: []string{"y"}, Default: Int(1)}, "a"))}},
		{"selection of quoted name", File{Body: Set(Bind(Sel(Ident("x"), "a-b.c"), "a"))}},
		{"long selection", File{Body: Set(Bind(Sel(Ident("config"), long, long), "a", "b", "c"))}},
		{"commented binding", File{Body: Set(Binding{Comment: []string{"why"}, Path: []string{"a"}, Value: Ident("x")})}},
		{"commented value", File{Body: Set(Bind(Commented{Comment: []string{"c"}, X: Ident("x")}, "a"))}},
		{"plain list", File{Body: Set(Bind(List{Str("a"), Int(1), Bool(true), Null{}, Ident("x"), Path("./p"), Set()}, "l"))}},
		{"list needing parens", File{Body: Set(Bind(List{Int(-1), Call(Ident("f"), Ident("x"))}, "l"))}},
		{"header", File{Header: []string{"Generated.", "Do not edit."}, Body: Set(Bind(Str("x"), "a"))}},
		{"machine module", machineModule(3)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, got := printGeneral(tc.f), Print(tc.f)
			if !bytes.Equal(got, want) {
				t.Fatalf("fast path prints\n%s\ngeneral path prints\n%s", got, want)
			}
		})
	}
	for seed := uint64(0); seed < 40; seed++ {
		for i := 0; i < 25; i++ {
			g := astGen{r: rand.New(rand.NewPCG(seed, uint64(i)))}
			f := g.file()
			want, got := printGeneral(f), Print(f)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: fast path prints\n%s\ngeneral path prints\n%s", fmt.Sprint(seed, "/", i), got, want)
			}
		}
	}
}

// Printing allocates little besides the output: documents live in reused
// buffers, joined texts in a shared arena, and plain nodes are not copied.
// The generator prints thousands of files per call, so a per-node
// allocation creeping back shows up here before it shows in the benchmarks
// (a machine module took 84 allocations before the arena and fast paths,
// 30 after).
func TestPrintAllocations(t *testing.T) {
	f := machineModule(7)
	buf := make([]byte, 0, 1<<16)
	got := testing.AllocsPerRun(200, func() { buf = Append(buf[:0], f) })
	if got > 40 {
		t.Fatalf("printing a machine module allocates %.0f times, want at most 40", got)
	}
}
