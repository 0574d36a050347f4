package nix

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// hostileStrings are values an attacker-controlled spec field might hold.
// Each must come back from Nix exactly as written.
var hostileStrings = []string{
	"",
	"plain",
	`quote " inside`,
	`back\slash`,
	`trailing\`,
	"${builtins.exec [ \"sh\" \"-c\" \"id\" ]}",
	"$${x}",
	"$$${x}",
	"$",
	"$$",
	"a$",
	"${",
	"}",
	"''",
	"'''",
	"''${x}",
	"'${x}",
	"it's",
	"'",
	"x'",
	"\"; inherit (builtins) exec; x = \"",
	"''\n; builtins.exec [ ] ;\n''",
	"line1\nline2",
	"line1\nline2\n",
	"\nleading newline",
	"multi\n  indented\n    deeper\n",
	"  all\n  indented\n",
	"a\n\n\nb\n",
	"a\n   \nb\n",
	"a\nb\n   ",
	"cr\rlf\r\n",
	"tab\there",
	"\tleading tab\n\tsecond\n",
	"#!/bin/sh\necho \"${HOME}\" '$USER' ''\nexit 0\n",
	"shell ${HOME} and $PATH\nline two ''quoted''\n",
	"x''\ny'\n",
	"ends with dollar\n$",
	"unicode: héllo wörld 雪 🚀",
	"line sep \u2028 para sep \u2029 nel \u0085",
	"ctl \x01\x07\x1b[31m\x7f",
	"\\${x}",
	"\\\\${x}",
	"''\\n",
	"\" + builtins.toString 1 + \"",
	"x\n'${y}\n",
	"x\n''${y}\n",
	"x\n'''\n",
	"x\n''''\n",
	"x\n'$'\n",
	"x\n'$\n",
	"x\n$'\n",
	"x\n$${y}\n",
	"x\n${\n",
	"x\n  ''\n",
	"''\n'",
}

// hostileNames are attribute names that need quoting (or not).
var hostileNames = []string{
	"a", "_", "a-b", "a'", "A9",
	"", "1a", "-a", "'a", "a b", "a.b", "a/b",
	"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
	"true", "null", "__proto__",
	`"`, `\`, "${x}", "$", "''", "a\nb", "\r", "é", "🚀",
}

// TestRoundTripModel checks every hostile string against the Go model of
// Nix's lexer, at several indentation depths.
func TestRoundTripModel(t *testing.T) {
	for _, s := range hostileStrings {
		for depth := 0; depth < 3; depth++ {
			var e Expr = Str(s)
			path := []string{}
			for d := 0; d < depth; d++ {
				e = Set(Bind(e, "k"))
				path = append(path, "k")
			}
			out := string(Print(File{Body: e}))
			lit := out
			for d := 0; d < depth; d++ {
				pre := "{\n" + strings.Repeat("  ", d+1) + "k = "
				suf := ";\n" + strings.Repeat("  ", d) + "}"
				if d == 0 {
					suf += "\n"
				}
				if !strings.HasPrefix(lit, pre) || !strings.HasSuffix(lit, suf) {
					t.Fatalf("%q depth %d: unexpected layout\n%s", s, depth, out)
				}
				lit = lit[len(pre) : len(lit)-len(suf)]
			}
			if depth == 0 {
				lit = strings.TrimSuffix(lit, "\n")
			}
			got, err := unquoteNix(lit)
			if err != nil || got != s {
				t.Errorf("%q depth %d: printed %s reads back as %q (err %v)", s, depth, lit, got, err)
			}
		}
	}
}

// TestRoundTripNix evaluates all hostile strings in one nix-instantiate call:
// as list items, as nested binding values (indented strings at depth), as
// attribute names, as select paths and inside interpolations.
func TestRoundTripNix(t *testing.T) {
	strs := append(hostileStrings, fuzzSeeds(t, "FuzzString")...)
	names := append(append(hostileNames, hostileStrings...), fuzzSeeds(t, "FuzzAttrName")...)
	var items List
	var want []any
	for _, s := range strs {
		if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			continue
		}
		items = append(items, Str(s), Set(Bind(Set(Bind(Str(s), "v")), "k")))
		want = append(want, s, map[string]any{"k": map[string]any{"v": s}})
		// Interpolation next to hostile text on both sides.
		items = append(items, Interp(s, Str(s), s))
		want = append(want, s+s+s)
	}
	for _, n := range names {
		if strings.IndexByte(n, 0) >= 0 || !utf8.ValidString(n) {
			continue
		}
		set := Set(Bind(Int(7), n))
		items = append(items,
			Call(Sel(Ident("builtins"), "attrNames"), set),
			Sel(set, n),
			Let{
				Binds: []Binding{Bind(set, "x")},
				Body:  Call(Sel(Ident("builtins"), "attrNames"), Set(Binding{Inherit: []string{n}, InheritFrom: Ident("x")})),
			},
		)
		want = append(want, []any{n}, float64(7), []any{n})
	}
	src := Print(File{Header: []string{"round trip"}, Body: items})
	var got []any
	if err := json.Unmarshal(nixtest.EvalJSON(t, string(src)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if !jsonEqual(got[i], want[i]) {
			t.Errorf("item %d: nix gives %#v, want %#v", i, got[i], want[i])
		}
	}
}

// fuzzSeeds reads the committed corpus of a fuzz target (single-string
// entries in the `go test fuzz v1` format).
func fuzzSeeds(t *testing.T, target string) []string {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "string(") {
			t.Fatalf("%s/%s: not a single-string fuzz entry", dir, e.Name())
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Fatalf("%s/%s: %v", dir, e.Name(), err)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no seeds", dir)
	}
	return out
}
