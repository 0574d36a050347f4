package nix

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

var randomFiles = flag.Int("nixfmt.files", 400, "random files TestNixfmtRandom checks")

// TestNixfmtRandom prints random expressions (every kind of node, at
// random sizes so that some lines overflow nixfmt's width and others do
// not) and runs the real nixfmt over all of them at once: it must leave
// every file byte for byte as printed.
func TestNixfmtRandom(t *testing.T) {
	bin := tooltest.RequireNixfmt(t)
	checkNixfmtSeeds(t, bin, 1, *randomFiles)
}

// FuzzNixfmt is the same check driven by the fuzzer: each input seeds a
// batch of random files, checked with one nixfmt run.
//
//	go test ./gen/nix -run XXX -fuzz FuzzNixfmt -fuzztime 1m
func FuzzNixfmt(f *testing.F) {
	bin := tooltest.RequireNixfmt(f)
	f.Add(uint64(1), uint8(4))
	f.Fuzz(func(t *testing.T, seed uint64, size uint8) {
		checkNixfmtSeeds(t, bin, seed, 16+int(size%32))
	})
}

func checkNixfmtSeeds(t *testing.T, bin string, seed uint64, n int) {
	t.Helper()
	srcs := map[string][]byte{}
	for i := 0; i < n; i++ {
		g := astGen{r: rand.New(rand.NewPCG(seed, uint64(i)))}
		name := fmt.Sprintf("s%d-%04d.nix", seed, i)
		srcs[name] = Print(g.file())
	}
	got := tooltest.Nixfmt(t, bin, srcs)
	var bad []string
	for name, src := range srcs {
		if string(got[name]) != string(src) {
			bad = append(bad, name)
		}
	}
	sort.Strings(bad)
	if dir := os.Getenv("NIXFMT_DIFF_DIR"); dir != "" {
		for _, name := range bad {
			os.WriteFile(filepath.Join(dir, name), srcs[name], 0o644)
			os.WriteFile(filepath.Join(dir, name+".nixfmt"), got[name], 0o644)
		}
	}
	for i, name := range bad {
		if i == 8 {
			break
		}
		t.Errorf("%s: nixfmt changes it (- printed, + nixfmt):\n%s\nprinted:\n%s", name,
			tooltest.DiffExcerpt(srcs[name], got[name], 15), srcs[name])
	}
	if len(bad) > 0 {
		t.Errorf("%d of %d random files are not as nixfmt prints them", len(bad), len(srcs))
	}
}

// astGen builds random, valid expressions.
type astGen struct {
	r     *rand.Rand
	depth int
}

func (g *astGen) n(k int) int { return g.r.IntN(k) }

func (g *astGen) pick(xs ...string) string { return xs[g.n(len(xs))] }

var genWords = []string{"a", "pkgs", "lib", "config", "x", "self", "inputs", "final", "prev",
	"services", "openssh", "enable", "hostName", "networking", "environment", "systemPackages",
	"mkIf", "mkDefault", "optionalAttrs", "filterAttrs", "mapAttrs", "attrNames", "builtins",
	"stdenv", "hostPlatform", "isLinux", "aVeryLongAttributeNameThatTakesUpSpace",
	"anotherRatherLongIdentifierForWidth", "foo-bar", "x'", "_"}

func (g *astGen) ident() string {
	w := g.pick(genWords...)
	if w == "_" || w == "x'" || w == "foo-bar" {
		return w
	}
	return w
}

func (g *astGen) name() string {
	switch g.n(12) {
	case 2:
		for {
			if n := hostileNames[g.n(len(hostileNames))]; !strings.ContainsRune(n, 0) {
				return n
			}
		}
	case 0:
		return g.pick("a b", "or", "in", "1st", "", "x.y", "with \"quote\"", "$dollar", "é")
	case 1:
		return strings.Repeat("n", 1+g.n(60))
	}
	return g.ident()
}

func (g *astGen) text() string {
	switch g.n(10) {
	case 7:
		return hostileStrings[g.n(len(hostileStrings))] // roundtrip_test.go
	case 0:
		return ""
	case 1:
		return strings.Repeat("word ", 1+g.n(25))
	case 2:
		return "line one\n  line two\nline three\n"
	case 3:
		return "#!/bin/sh\necho \"${HOME}\" '' $x\nexit 0\n"
	case 4:
		return "tab\there \\ \" ${x} $"
	case 5:
		return "a\n\nb"
	case 6:
		return "unicode é ✓ 🚀 " + strings.Repeat("ü", g.n(90))
	}
	return g.pick("hello", "x86_64-linux", "nix-command", "Europe/Berlin", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user")
}

func (g *astGen) comments() []string {
	out := make([]string, 1+g.n(2))
	for i := range out {
		out[i] = g.pick("A comment.", "", "Several words of explanation that go on for a while, well past what fits.", "multi\nline")
	}
	return out
}

func (g *astGen) file() File {
	var f File
	if g.n(3) == 0 {
		f.Header = g.comments()
	}
	f.Body = g.expr()
	return f
}

func (g *astGen) leaf() Expr {
	switch g.n(12) {
	case 0:
		return Int(g.r.Int64N(2000) - 500)
	case 1:
		return Bool(g.n(2) == 0)
	case 2:
		return Null{}
	case 3:
		return Path(g.pick("./modules", "../x.nix", "./a/b-c_d+e.nix"))
	case 4, 5:
		return Str(g.text())
	case 6:
		return Interp(g.text(), Ident(g.ident()), g.text())
	case 7:
		attrs := make([]string, 1+g.n(4))
		for i := range attrs {
			attrs[i] = g.name()
		}
		return Sel(Ident(g.ident()), attrs...)
	case 8:
		// The shapes emitters build from fixed references: a call of a
		// dotted function, a select-or default.
		return g.pickExpr(
			Call(Sel(Ident("builtins"), "attrNames"), Sel(Ident("self"), "nixosConfigurations")),
			Call(Sel(Ident("lib"), "filterAttrs"), Lambda{Param: "_", Body: Lambda{Param: "m", Body: Sel(Ident("m"), "enabled")}}, Ident("machines")),
			SelectOr{X: Ident("prev"), Attrs: []string{"config", "allowUnfree"}, Default: Bool(false)},
		)
	}
	return Ident(g.ident())
}

// pickExpr is one of es, chosen by the generator.
func (g *astGen) pickExpr(es ...Expr) Expr { return es[g.n(len(es))] }

func (g *astGen) expr() Expr {
	if g.n(25) == 0 {
		return Commented{Comment: g.comments(), X: g.expr1()}
	}
	return g.expr1()
}

func (g *astGen) expr1() Expr {
	if g.depth > 4 || g.n(10) < 3+g.depth {
		return g.leaf()
	}
	g.depth++
	defer func() { g.depth-- }()
	switch g.n(16) {
	case 0, 1:
		l := make(List, g.n(5))
		for i := range l {
			l[i] = g.expr()
			if g.n(8) == 0 {
				l[i] = Commented{Comment: g.comments(), X: l[i]}
			}
		}
		return l
	case 2, 3:
		return Attrs{Rec: g.n(8) == 0, Binds: g.binds()}
	case 4:
		return Let{Binds: append(g.binds(), Bind(g.expr(), g.ident())), Body: g.expr()}
	case 5:
		if g.n(2) == 0 {
			return Lambda{Param: g.ident(), Body: g.expr()}
		}
		fs := make([]Formal, g.n(5))
		seen := map[string]bool{}
		for i := range fs {
			name := g.ident()
			for seen[name] {
				name += "x"
			}
			seen[name] = true
			fs[i].Name = name
			if g.n(3) == 0 {
				fs[i].Default = g.expr()
			}
		}
		l := Lambda{Formals: fs, Ellipsis: g.n(2) == 0, Body: g.expr()}
		if g.n(5) == 0 {
			l.At = "args"
		}
		return l
	case 6, 7, 8:
		args := make([]Expr, 1+g.n(4))
		for i := range args {
			args[i] = g.expr()
		}
		var fn Expr = Ident(g.ident())
		if g.n(2) == 0 {
			fn = Sel(Ident(g.ident()), g.ident(), g.ident())
		}
		return Call(fn, args...)
	case 9, 10:
		ops := []string{"//", "++", "+", "-", "*", "==", "!=", "<", "&&", "||", "->"}
		return BinOp{Op: ops[g.n(len(ops))], L: g.expr(), R: g.expr()}
	case 11:
		return If{Cond: g.expr(), Then: g.expr(), Else: g.expr()}
	case 12:
		return With{Scope: g.expr(), Body: g.expr()}
	case 13:
		return Not{X: g.expr()}
	case 14:
		attrs := []string{g.name()}
		if g.n(2) == 0 {
			return SelectOr{X: g.expr(), Attrs: attrs, Default: g.expr()}
		}
		return Select{X: g.expr(), Attrs: attrs}
	}
	return Interp(g.text(), g.expr(), g.text())
}

func (g *astGen) binds() []Binding {
	bs := make([]Binding, g.n(5))
	for i := range bs {
		switch g.n(8) {
		case 0:
			bs[i] = Binding{Inherit: []string{g.name()}}
			for j := g.n(5); j > 0; j-- {
				bs[i].Inherit = append(bs[i].Inherit, g.name()+strconv.Itoa(j))
			}
		case 1:
			bs[i] = Binding{Inherit: []string{g.ident()}, InheritFrom: g.expr()}
		default:
			path := []string{g.name()}
			for j := g.n(6); j > 3; j-- {
				path = append(path, g.name())
			}
			bs[i] = Bind(g.expr(), path...)
		}
		if g.n(5) == 0 {
			bs[i].Comment = g.comments()
		}
	}
	return bs
}

// TestPrintCasesNixfmt runs nixfmt over the output of every TestPrint case
// and of the golden machine module: their expected layouts are nixfmt's.
func TestPrintCasesNixfmt(t *testing.T) {
	bin := tooltest.RequireNixfmt(t)
	srcs := map[string][]byte{}
	for i, c := range printCases {
		if c.file.Body == nil {
			continue // comments alone are not a Nix expression
		}
		srcs[fmt.Sprintf("case%03d.nix", i)] = Print(c.file)
	}
	srcs["machine.nix"] = Print(machineModule(7)) // testdata/machine.golden.nix
	got := tooltest.Nixfmt(t, bin, srcs)
	if string(got["machine.nix"]) != string(srcs["machine.nix"]) {
		t.Errorf("machine module: nixfmt changes it (- printed, + nixfmt):\n%s", tooltest.DiffExcerpt(srcs["machine.nix"], got["machine.nix"], 15))
	}
	for i, c := range printCases {
		name := fmt.Sprintf("case%03d.nix", i)
		if src, ok := srcs[name]; ok && string(got[name]) != string(src) {
			t.Errorf("%s: nixfmt changes it (- printed, + nixfmt):\n%s", c.name, tooltest.DiffExcerpt(src, got[name], 15))
		}
	}
}
