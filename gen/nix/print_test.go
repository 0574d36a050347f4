package nix

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

type printCase struct {
	name string
	file File
	want string
}

func body(e Expr) File { return File{Body: e} }

var printCases = []printCase{
	// Scalars.
	{"int", body(Int(42)), "42\n"},
	{"negative int", body(Int(-7)), "-7\n"},
	{"min int", body(Int(-1 << 63)), "(-9223372036854775807 - 1)\n"},
	{"true", body(Bool(true)), "true\n"},
	{"false", body(Bool(false)), "false\n"},
	{"null", body(Null{}), "null\n"},
	{"path", body(Path("./modules/x.nix")), "./modules/x.nix\n"},
	{"parent path", body(Path("../../a_b-c+d/.")), "../../a_b-c+d/.\n"},
	{"ident", body(Ident("pkgs")), "pkgs\n"},
	{"reference", body(Sel(Ident("lib"), "mkDefault")), "lib.mkDefault\n"},

	// Strings.
	{"string", body(Str("hello")), `"hello"` + "\n"},
	{"string escapes", body(Str("a\"b\\c${d}\te\rf$g")), `"a\"b\\c\${d}\te\rf$g"` + "\n"},
	{"empty string", body(Str("")), `""` + "\n"},
	{"interp", body(Interp("a-", Ident("x"), "-b")), `"a-${x}-b"` + "\n"},
	{"interp after dollar", body(Interp("cost $", Ident("x"))), `"cost \$${x}"` + "\n"},
	{"interp merges text parts", body(String{Parts: []Part{{Text: "$"}, {Text: "{x}"}}}), `"\${x}"` + "\n"},
	{"indented string", body(Str("line one\n  two\n")), "''\n  line one\n    two\n''\n"},
	{"indented no final newline", body(Str("a\nb")), "''\n  a\n  b''\n"},
	{"indented escapes", body(Str("echo ${HOME} ''x''\n")), "''\n  echo ''${HOME} '''x'''\n''\n"},
	{"indented interp", body(Interp("#!/bin/sh\nexec ", Sel(Ident("pkgs"), "hello"), "/bin/hello\n")),
		"''\n  #!/bin/sh\n  exec ${pkgs.hello}/bin/hello\n''\n"},
	{"indented blank lines", body(Str("a\n\nb\n")), "''\n  a\n\n  b\n''\n"},
	{"multi-line falls back when all indented", body(Str("  a\n  b\n")), `"  a\n  b\n"` + "\n"},
	{"multi-line falls back for CR", body(Str("a\r\nb\r\n")), `"a\r\nb\r\n"` + "\n"},
	{"multi-line falls back for trailing quote", body(Str("a\nb'")), `"a\nb'"` + "\n"},

	// Select.
	{"select", body(Sel(Ident("config"), "services", "openssh", "enable")), "config.services.openssh.enable\n"},
	{"select quoted", body(Sel(Ident("x"), "a b", "or", "if", "ok-1")), `x."a b"."or"."if".ok-1` + "\n"},
	{"select of apply", body(Sel(Call(Ident("f"), Ident("x")), "y")), "(f x).y\n"},
	{"select of set", body(Sel(Set(Bind(Int(1), "a")), "a")), "{\n  a = 1;\n}\n.a\n"},
	{"select of path", body(Sel(Path("./x"), "y")), "(./x).y\n"},

	{"select or", body(SelectOr{X: Ident("x"), Attrs: []string{"a", "b c"}, Default: Call(Ident("f"), Null{})}), `x.a."b c" or (f null)` + "\n"},
	{"select or as arg", body(Call(Ident("f"), SelectOr{X: Ident("x"), Attrs: []string{"a"}, Default: Int(1)})), "f x.a or 1\n"},
	{"not", body(BinOp{Op: "&&", L: Not{X: Sel(Ident("a"), "enable")}, R: Not{X: Call(Ident("f"), Ident("b"))}}), "!a.enable && !f b\n"},
	{"not operand of plus", body(BinOp{Op: "==", L: Not{X: BinOp{Op: "||", L: Ident("a"), R: Ident("b")}}, R: BinOp{Op: "+", L: Not{X: Ident("c")}, R: Int(1)}}), "!(a || b) == (!c) + 1\n"},

	// Lists.
	{"empty list", body(List{}), "[ ]\n"},
	{"short list", body(Strs("a", "b")), "[\n  \"a\"\n  \"b\"\n]\n"},
	{"one item list", body(Strs("a")), `[ "a" ]` + "\n"},
	{"short list argument", body(Call(Ident("f"), Strs("a", "b"), Ident("x"))), `f [ "a" "b" ] x` + "\n"},
	{"scalar list", body(List{Int(1), Ident("x"), Null{}, Path("./p"), Sel(Ident("pkgs"), "git")}), "[\n  1\n  x\n  null\n  ./p\n  pkgs.git\n]\n"},
	{"negative in list", body(List{Int(-1), Int(2)}), "[\n  (-1)\n  2\n]\n"},
	{"long list", body(Strs(strings.Repeat("a", 30), strings.Repeat("b", 30), strings.Repeat("c", 30))),
		"[\n  \"" + strings.Repeat("a", 30) + "\"\n  \"" + strings.Repeat("b", 30) + "\"\n  \"" + strings.Repeat("c", 30) + "\"\n]\n"},
	{"list of non-scalars", body(List{Call(Ident("f"), Ident("x")), Set()}), "[\n  (f x)\n  { }\n]\n"},
	{"list with commented item", body(List{Commented{Comment: []string{"why"}, X: Str("a")}, Str("b")}),
		"[\n  # why\n  \"a\"\n  \"b\"\n]\n"},
	{"list with multi-line string", body(List{Str("a\nb\n")}), "[\n  ''\n    a\n    b\n  ''\n]\n"},

	// Attribute sets.
	{"empty set", body(Set()), "{ }\n"},
	{"empty rec set", body(Attrs{Rec: true}), "rec { }\n"},
	{"set", body(Set(Bind(Int(1), "a"), Bind(Bool(true), "b", "c"))), "{\n  a = 1;\n  b.c = true;\n}\n"},
	{"rec set", body(Attrs{Rec: true, Binds: []Binding{Bind(Int(1), "a"), Bind(Ident("a"), "b")}}), "rec {\n  a = 1;\n  b = a;\n}\n"},
	{"quoted names", body(Set(Bind(Int(1), "a b", "or", "in", "x.y", "", "1st"))), "{\n  \"a b\".\"or\".\"in\".\"x.y\".\"\".\"1st\" = 1;\n}\n"},
	{"nested sets", body(Set(Bind(Set(Bind(Set(), "c")), "a", "b"))), "{\n  a.b = {\n    c = { };\n  };\n}\n"},
	{"binding comments", body(Set(Binding{Comment: []string{"first", "second\nthird"}, Path: []string{"a"}, Value: Int(1)})),
		"{\n  # first\n  # second\n  # third\n  a = 1;\n}\n"},
	{"comment line breaks", body(Set(Binding{Comment: []string{"a\rb\r\nc\u2028d\u2029e\u0085f\x01g", ""}, Path: []string{"a"}, Value: Int(1)})),
		"{\n  # a\n  # b\n  # c\n  # d\n  # e\n  # f g\n  #\n  a = 1;\n}\n"},
	{"comment trailing newline", body(Set(Binding{Comment: []string{"one\n"}, Path: []string{"a"}, Value: Int(1)})), "{\n  # one\n  a = 1;\n}\n"},
	{"inherit", body(Set(Binding{Inherit: []string{"a", "b c"}})), "{\n  inherit a \"b c\";\n}\n"},
	{"inherit from", body(Set(Binding{Inherit: []string{"x"}, InheritFrom: Sel(Ident("lib"), "types")})), "{\n  inherit (lib.types) x;\n}\n"},

	// Lambdas.
	{"module", body(Module([]string{"config", "lib", "pkgs"}, Set(Bind(Int(1), "a")))),
		"{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\n{\n  a = 1;\n}\n"},
	{"small module", body(Module([]string{"pkgs", "lib"}, Set(Bind(Int(1), "a")))),
		"{ pkgs, lib, ... }:\n{\n  a = 1;\n}\n"},
	{"formals only ellipsis", body(Lambda{Ellipsis: true, Body: Set()}), "{ ... }:\n{ }\n"},
	{"formals empty", body(Lambda{Body: Null{}}), "{ }:\nnull\n"},
	{"formals defaults and at", body(Lambda{At: "args", Formals: []Formal{{Name: "a"}, {Name: "b", Default: Int(1)}, {Name: "c", Default: Call(Ident("f"), Ident("a"))}}, Body: Ident("b")}),
		"args@{\n  a,\n  b ? 1,\n  c ? f a,\n}:\nb\n"},
	{"at with flat formals", body(Lambda{At: "args", Formals: []Formal{{Name: "a"}}, Body: Set(Bind(Int(1), "x"))}),
		"args@{ a }:\n{\n  x = 1;\n}\n"},
	{"at lambda as value", body(Set(Bind(Lambda{At: "args", Formals: []Formal{{Name: "a"}}, Body: Set(Bind(Int(1), "x"))}, "m"))),
		"{\n  m =\n    args@{ a }:\n    {\n      x = 1;\n    };\n}\n"},
	{"long formals", body(Module([]string{"config", "lib", "pkgs", "inputs", "self", "withSystem", "moduleWithSystem", "flake-parts-lib"}, Set())),
		"{\n  config,\n  lib,\n  pkgs,\n  inputs,\n  self,\n  withSystem,\n  moduleWithSystem,\n  flake-parts-lib,\n  ...\n}:\n{ }\n"},
	{"overlay", body(Lambda{Param: "final", Body: Lambda{Param: "prev", Body: Set(Bind(Sel(Ident("prev"), "hello"), "hello"))}}),
		"final: prev: {\n  hello = prev.hello;\n}\n"},
	{"long value hangs", body(Set(Bind(Lambda{Param: "final", Body: Lambda{Param: "prev", Body: Call(Sel(Ident("lib"), "composeManyExtensions"), Sel(Ident("config"), "flake", "nixpkgsOverlays"), Ident("final"), Ident("prev"))}}, "flake", "overlays", "default"))),
		"{\n  flake.overlays.default =\n    final: prev: lib.composeManyExtensions config.flake.nixpkgsOverlays final prev;\n}\n"},
	{"long string stays", body(Set(Bind(Str(strings.Repeat("s", 80)), "k"))), "{\n  k = \"" + strings.Repeat("s", 80) + "\";\n}\n"},
	{"lambda binding hangs", body(Set(Bind(Module([]string{"pkgs"}, Set()), "m"))), "{\n  m =\n    { pkgs, ... }:\n    { };\n}\n"},

	// Application.
	{"apply", body(Call(Sel(Ident("lib"), "mkIf"), Ident("cond"), Set(Bind(Int(1), "a")))), "lib.mkIf cond {\n  a = 1;\n}\n"},
	{"apply parens", body(Call(Ident("f"), Call(Ident("g"), Ident("x")), Int(-1), Lambda{Param: "x", Body: Ident("x")}, BinOp{Op: "+", L: Int(1), R: Int(2)}, Str("s"), List{})),
		"f (g x) (-1) (x: x) (1 + 2) \"s\" [ ]\n"},
	{"apply of apply", body(Call(Call(Ident("f"), Ident("a")), Ident("b"))), "f a b\n"},
	{"apply lambda", body(Call(Lambda{Param: "x", Body: Ident("x")}, Int(1))), "(x: x) 1\n"},
	{"apply formals lambda arg", body(Call(Ident("f"), Module([]string{"pkgs"}, Set()))), "f (\n  { pkgs, ... }:\n  { }\n)\n"},
	{"apply call arg", body(Call(Ident("f"), Call(Sel(Ident("lib"), "filterAttrs"), Lambda{Param: "_", Body: Lambda{Param: "m", Body: Sel(Ident("m"), "enabled")}}, Ident("machines")), Sel(Ident("pkgs"), "hello"))),
		"f (lib.filterAttrs (_: m: m.enabled) machines) pkgs.hello\n"},

	// Let.
	{"let", body(Let{Binds: []Binding{Bind(Int(1), "a"), {Inherit: []string{"b"}, InheritFrom: Ident("lib")}}, Body: Ident("a")}),
		"let\n  a = 1;\n  inherit (lib) b;\nin\na\n"},
	{"let binding hangs", body(Set(Bind(Let{Binds: []Binding{Bind(Int(1), "a")}, Body: Ident("a")}, "x"))),
		"{\n  x =\n    let\n      a = 1;\n    in\n    a;\n}\n"},
	{"let as arg", body(Call(Ident("f"), Let{Binds: []Binding{Bind(Int(1), "a")}, Body: Ident("a")})),
		"f (\n  let\n    a = 1;\n  in\n  a\n)\n"},

	// Operators.
	{"update", body(BinOp{Op: "//", L: Ident("a"), R: Set(Bind(Int(1), "b"))}), "a\n// {\n  b = 1;\n}\n"},
	{"update as value", body(Set(Bind(BinOp{Op: "//", L: Ident("a"), R: Set(Bind(Int(1), "b"))}, "x"))), "{\n  x = a // {\n    b = 1;\n  };\n}\n"},
	{"right assoc", body(BinOp{Op: "//", L: Ident("a"), R: BinOp{Op: "//", L: Ident("b"), R: Ident("c")}}), "a // b // c\n"},
	{"right assoc left nested", body(BinOp{Op: "//", L: BinOp{Op: "//", L: Ident("a"), R: Ident("b")}, R: Ident("c")}), "(a // b) // c\n"},
	{"left assoc", body(BinOp{Op: "-", L: BinOp{Op: "-", L: Int(1), R: Int(2)}, R: BinOp{Op: "-", L: Int(3), R: Int(4)}}), "1 - 2 - (3 - 4)\n"},
	{"precedence", body(BinOp{Op: "*", L: BinOp{Op: "+", L: Int(1), R: Int(2)}, R: BinOp{Op: "++", L: List{}, R: List{}}}), "(1 + 2) * [ ] ++ [ ]\n"},
	{"non assoc", body(BinOp{Op: "==", L: BinOp{Op: "==", L: Ident("a"), R: Ident("b")}, R: Bool(true)}), "(a == b) == true\n"},
	{"apply operand", body(BinOp{Op: "++", L: Call(Ident("f"), Ident("x")), R: List{Ident("y")}}), "f x ++ [ y ]\n"},
	{"bool ops", body(BinOp{Op: "||", L: BinOp{Op: "&&", L: Ident("a"), R: Ident("b")}, R: If{Cond: Ident("c"), Then: Ident("d"), Else: Ident("e")}}),
		"a && b || (if c then d else e)\n"},

	// If.
	{"if short", body(If{Cond: Ident("c"), Then: Str("a"), Else: Null{}}), "if c then \"a\" else null\n"},
	{"if long", body(If{Cond: Ident("c"), Then: Set(Bind(Int(1), "a")), Else: Set()}), "if c then\n  {\n    a = 1;\n  }\nelse\n  { }\n"},
	{"else if", body(If{Cond: Ident("a"), Then: Set(Bind(Int(1), "x")), Else: If{Cond: Ident("b"), Then: Set(), Else: List{Ident("z"), Call(Ident("f"), Ident("y"))}}}),
		"if a then\n  {\n    x = 1;\n  }\nelse if b then\n  { }\nelse\n  [\n    z\n    (f y)\n  ]\n"},
	{"if fits in 100 columns", body(If{Cond: Sel(Ident("config"), strings.Repeat("x", 30)), Then: Str(strings.Repeat("y", 30)), Else: Null{}}),
		"if config." + strings.Repeat("x", 30) + " then \"" + strings.Repeat("y", 30) + "\" else null\n"},
	{"if too wide", body(If{Cond: Sel(Ident("config"), strings.Repeat("x", 50)), Then: Str(strings.Repeat("y", 50)), Else: Null{}}),
		"if config." + strings.Repeat("x", 50) + " then\n  \"" + strings.Repeat("y", 50) + "\"\nelse\n  null\n"},

	// With.
	{"with", body(With{Scope: Ident("pkgs"), Body: List{Ident("git"), Ident("vim")}}), "with pkgs;\n[\n  git\n  vim\n]\n"},
	{"with apply scope", body(With{Scope: Call(Ident("import"), Path("./x.nix")), Body: Ident("y")}), "with (import ./x.nix); y\n"},

	// Curried lambdas, if/else and Commented.
	{"curried lambda laid out", body(Set(Bind(Lambda{Param: "name", Body: Lambda{Param: "failures", Body: Call(Sel(Ident("pkgs"), "runCommand"), Ident("name"), Set(),
		If{Cond: BinOp{Op: "==", L: Ident("failures"), R: List{}}, Then: Str("touch $out"), Else: Interp("printf '%s\\n' ", Call(Sel(Ident("lib"), "escapeShellArgs"), Ident("failures")), " >&2; exit 1")})}}, "report"))),
		"{\n  report =\n    name: failures:\n    pkgs.runCommand name { } (\n      if failures == [ ] then\n        \"touch $out\"\n      else\n        \"printf '%s\\\\n' ${lib.escapeShellArgs failures} >&2; exit 1\"\n    );\n}\n"},
	{"formals with at and default", body(Lambda{At: "args", Formals: []Formal{{Name: "a"}, {Name: "b", Default: Int(2)}}, Ellipsis: true, Body: BinOp{Op: "+", L: Ident("a"), R: Ident("b")}}), "args@{\n  a,\n  b ? 2,\n  ...\n}:\na + b\n"},
	{"commented value", body(Set(Bind(Commented{Comment: []string{"note"}, X: Int(1)}, "x"))), "{\n  x =\n    # note\n    1;\n}\n"},

	// Files.
	{"header", File{Header: []string{"Generated by Fleetyard.", "Do not edit\nby hand."}, Body: Set()}, "# Generated by Fleetyard.\n# Do not edit\n# by hand.\n{ }\n"},
	{"header only", File{Header: []string{"empty"}}, "# empty\n"},
	{"nothing", File{}, "\n"},
}

func TestPrint(t *testing.T) {
	for _, c := range printCases {
		t.Run(c.name, func(t *testing.T) {
			got := string(Print(c.file))
			if got != c.want {
				t.Errorf("Print mismatch\n--- got ---\n%s--- want ---\n%s", got, c.want)
			}
		})
	}
}

// TestPrintParses feeds every table output to nix-instantiate --parse in one
// call. The outputs mention free variables, so they sit under a `with`, which
// Nix resolves only at evaluation time.
func TestPrintParses(t *testing.T) {
	var src bytes.Buffer
	src.WriteString("with { }; [\n")
	for _, c := range printCases {
		if c.file.Body == nil {
			continue
		}
		src.WriteString("(\n")
		src.Write(Print(c.file))
		src.WriteString(")\n")
	}
	src.WriteString("]\n")
	nixtest.Parse(t, src.Bytes())
}

// TestPrintEval checks that layout choices (parentheses, precedence,
// indented strings) keep the meaning: each expression is evaluated by Nix.
func TestPrintEval(t *testing.T) {
	id := Lambda{Param: "x", Body: Ident("x")}
	cases := []struct {
		e    Expr
		want any
	}{
		{BinOp{Op: "-", L: Int(1), R: BinOp{Op: "-", L: Int(2), R: Int(3)}}, 2},
		{BinOp{Op: "-", L: BinOp{Op: "-", L: Int(1), R: Int(2)}, R: Int(3)}, -4},
		{BinOp{Op: "*", L: BinOp{Op: "+", L: Int(1), R: Int(2)}, R: Int(3)}, 9},
		{BinOp{Op: "+", L: Int(1), R: BinOp{Op: "*", L: Int(2), R: Int(3)}}, 7},
		{BinOp{Op: "-", L: Int(1), R: Int(-1)}, 2},
		{Int(-1 << 63), int64(-1 << 63)},
		{BinOp{Op: "==", L: BinOp{Op: "==", L: Int(1), R: Int(1)}, R: Bool(true)}, true},
		{BinOp{Op: "->", L: BinOp{Op: "->", L: Bool(false), R: Bool(false)}, R: Bool(false)}, false},
		{BinOp{Op: "//", L: BinOp{Op: "//", L: Set(Bind(Int(1), "a")), R: Set(Bind(Int(2), "a"))}, R: Set(Bind(Int(3), "b"))}, map[string]any{"a": 2, "b": 3}},
		{Call(id, Call(id, Int(5))), 5},
		{Call(Call(Lambda{Param: "a", Body: Lambda{Param: "b", Body: BinOp{Op: "-", L: Ident("a"), R: Ident("b")}}}, Int(5)), Int(3)), 2},
		{Sel(Call(id, Set(Bind(Int(4), "a b"))), "a b"), 4},
		{List{Call(id, Int(1)), Int(-2), BinOp{Op: "+", L: Int(1), R: Int(2)}}, []any{1, -2, 3}},
		{Call(Module([]string{"a"}, Ident("a")), Set(Bind(Int(6), "a"), Bind(Int(0), "z"))), 6},
		{Call(Lambda{At: "all", Formals: []Formal{{Name: "a", Default: BinOp{Op: "+", L: Int(1), R: Int(1)}}}, Ellipsis: true, Body: Sel(Ident("all"), "z")}, Set(Bind(Int(9), "z"))), 9},
		{Let{Binds: []Binding{Bind(Int(1), "a"), {Inherit: []string{"b"}, InheritFrom: Set(Bind(Int(2), "b"))}}, Body: BinOp{Op: "+", L: Ident("a"), R: Ident("b")}}, 3},
		{With{Scope: Set(Bind(Int(8), "w")), Body: Ident("w")}, 8},
		{If{Cond: BinOp{Op: "==", L: Int(1), R: Int(2)}, Then: Str("no"), Else: If{Cond: Bool(true), Then: Set(Bind(Str("yes"), "r")), Else: Null{}}}, map[string]any{"r": "yes"}},
		{Set(Bind(Set(Bind(Interp("#!/bin/sh\necho ''${X}'' $", Str("1"), "\n  indented\n"), "s")), "deep", "er")),
			map[string]any{"deep": map[string]any{"er": map[string]any{"s": "#!/bin/sh\necho ''${X}'' $1\n  indented\n"}}}},
		{Attrs{Rec: true, Binds: []Binding{Bind(Int(1), "a"), Bind(Ident("a"), "b")}}, map[string]any{"a": 1, "b": 1}},
		{Call(Sel(Ident("builtins"), "length"), List{Int(1), Int(2)}), 2},
		{Commented{Comment: []string{"c\ninjected = 1;"}, X: Set()}, map[string]any{}},
		{List{SelectOr{X: Set(), Attrs: []string{"a"}, Default: Int(1)}, Call(id, SelectOr{X: Set(Bind(Int(2), "a")), Attrs: []string{"a"}, Default: Int(1)})}, []any{1, 2}},
		{BinOp{Op: "&&", L: Not{X: Bool(false)}, R: Not{X: BinOp{Op: "==", L: Int(1), R: Int(2)}}}, true},
	}
	var items List
	var want []any
	for _, c := range cases {
		items = append(items, c.e)
		want = append(want, c.want)
	}
	src := Print(File{Body: items})
	var got []any
	d := json.NewDecoder(bytes.NewReader(nixtest.EvalJSON(t, string(src))))
	d.UseNumber()
	if err := d.Decode(&got); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(want[i])
		if string(g) != string(w) {
			t.Errorf("case %d: nix gives %s, want %s\n--- printed ---\n%s", i, g, w, Print(File{Body: cases[i].e}))
		}
	}
}

func TestPrintPanics(t *testing.T) {
	cases := []struct {
		name string
		e    Expr
		msg  string
	}{
		{"nil arg", Call(Ident("f"), nil), "nil expression"},
		{"nil in list", List{nil}, "nil expression"},
		{"bad ident", Ident("a b"), `Ident "a b" is not a valid Nix identifier`},
		{"keyword ident", Ident("let"), "not a valid Nix identifier"},
		{"or ident", Ident("or"), "not a valid Nix identifier"},
		{"empty ident", Ident(""), "not a valid Nix identifier"},
		{"bad param", Lambda{Param: "1x", Body: Null{}}, "Lambda.Param"},
		{"bad formal", Module([]string{"a-b", "${x}"}, Null{}), "Formal.Name"},
		{"bad at", Lambda{At: "in", Body: Null{}}, "Lambda.At"},
		{"param and formals", Lambda{Param: "x", Ellipsis: true, Body: Null{}}, "sets both"},
		{"lambda no body", Lambda{Param: "x"}, "no body"},
		{"absolute path", Path("/etc/passwd"), "must start with ./ or ../"},
		{"bare path", Path("x/y"), "must start with ./ or ../"},
		{"path trailing slash", Path("./x/"), "trailing slash"},
		{"path space", Path("./a b"), "not allowed"},
		{"path interp", Path("./${x}"), "not allowed"},
		{"path empty", Path("./"), "empty segment"},
		{"NUL string", Str("a\x00b"), "NUL"},
		{"NUL interp text", Interp("a\x00", Ident("x")), "NUL"},
		{"NUL attr", Set(Bind(Int(1), "a\x00")), "NUL"},
		{"empty binding", Set(Binding{}), "neither an attribute path nor inherit"},
		{"binding no value", Set(Binding{Path: []string{"a"}}), "has no value"},
		{"empty select", Select{X: Ident("x")}, "no attribute names"},
		{"unknown op", BinOp{Op: "+=", L: Int(1), R: Int(2)}, "unknown binary operator"},
		{"if missing", If{Cond: Bool(true)}, "If needs"},
		{"with missing", With{Scope: Ident("x")}, "With needs"},
		{"let missing", Let{}, "Let has no body"},
		{"select or missing default", SelectOr{X: Ident("x"), Attrs: []string{"a"}}, "no Default"},
		{"not missing", Not{}, "Not.X"},
		{"interp bad piece", nil, "neither string nor Expr"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, _ := r.(string)
				if r == nil || !strings.Contains(s, c.msg) {
					t.Fatalf("panic = %v, want one containing %q", r, c.msg)
				}
			}()
			if c.name == "interp bad piece" {
				Interp("a", 3)
			}
			Print(File{Body: c.e})
		})
	}
}

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestGolden pins the layout of a realistic machine module, so formatting
// changes show up as a reviewable diff. Regenerate with -update.
func TestGolden(t *testing.T) {
	got := Print(machineModule(7))
	path := filepath.Join("testdata", "machine.golden.nix")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change)\n--- got ---\n%s", path, got)
	}
}

// Append must lay a file out exactly as Print does whatever dst holds: the
// width decisions (lists, formals, if) measure columns from the file's own
// start, not from text already in dst.
func TestAppendMatchesPrint(t *testing.T) {
	for _, prefix := range []string{"", "no newline at the end of this long prefix text, longer than a line", "ends in newline\n"} {
		for i := 0; i < 3; i++ {
			f := machineModule(i)
			got := Append([]byte(prefix), f)
			want := prefix + string(Print(f))
			if string(got) != want {
				t.Errorf("prefix %q, module %d:\n got %q\nwant %q", prefix, i, got, want)
			}
		}
	}
	// A list that fits on the first line only when measured on its own.
	list := File{Body: Strs("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")}
	if got, want := string(Append([]byte("prefix without a newline, forty chars..."), list)), "prefix without a newline, forty chars..."+string(Print(list)); got != want {
		t.Errorf("list after a prefix:\n got %q\nwant %q", got, want)
	}
	if got := string(Append([]byte("x"), File{})); got != "x\n" {
		t.Errorf("empty file after %q: got %q, want %q", "x", got, "x\n")
	}
}
