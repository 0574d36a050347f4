package main

// The TypeScript/Go contract: static/ts/protocol.ts mirrors the JSON types
// of api.go by hand, so this test reads both and requires they agree field
// by field. It is a test rather than a generator because protocol.ts also
// holds what has no Go counterpart (the page/worker messages, the UI's
// decoded FileOut) and documents fields for the TypeScript reader; a
// generator would either own all of that or split the file, and a build
// step would have to run before every `tsc` — while a test costs nothing at
// build time and names the exact field that drifted.
//
// The TypeScript side is read by a deliberately small parser: an interface
// whose doc comment carries `@go Name` mirrors the Go type Name (gen.Name
// for package gen). Its body may hold only `name: T;` or `name?: T;` fields,
// where T is string, number, boolean, a union of string literals or an
// `export type` alias of one (a Go string), T[] or another mirrored
// interface. Anything else is an error
// rather than a guess.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// contractRoots are the results the API returns as JSON; every type they
// contain is part of the contract, and together they must reach every type
// api.go declares.
var contractRoots = []reflect.Type{
	reflect.TypeFor[GenerateResult](),
	reflect.TypeFor[KeysResult](),
	reflect.TypeFor[ShareResult](),
}

func TestProtocolMatchesGo(t *testing.T) {
	src, err := os.ReadFile("../static/ts/protocol.ts")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range checkContract(string(src), contractRoots) {
		t.Error(e)
	}
	// Every type of api.go must be reachable from the roots, so a new
	// result type cannot slip past this test.
	reached := map[string]bool{}
	for _, r := range contractRoots {
		walkStructs(r, reached)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "api.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			n++
			if name := s.(*ast.TypeSpec).Name.Name; !reached[name] {
				t.Errorf("api.go declares %s, which no contract root reaches: add its result type to contractRoots", name)
			}
		}
	}
	if n == 0 {
		t.Fatal("api.go declares no types: is the test reading the right file?")
	}
}

// Types for the table test: one of every shape the checker knows.
type (
	ctKind  string
	ctInner struct {
		N int `json:"n"`
	}
	ctRoot struct {
		S      string    `json:"s"`
		O      string    `json:"o,omitempty"`
		B      bool      `json:"b"`
		L      []ctInner `json:"l"`
		P      *ctInner  `json:"p,omitempty"`
		E      ctKind    `json:"e"`
		K      ctKind    `json:"k"`
		X      []string  `json:"x"`
		F      float64   `json:"f"`
		Hidden string    `json:"-"`
		quiet  int
	}
)

const ctGood = `// A leading comment, with @go in it, is not a tag.
/** @go ctInner */
export interface Inner { n: number }

/**
 * The root.
 * @go ctRoot
 */
export interface Root {
  s: string; // a comment
  o?: string;
  b: boolean;
  /** a doc comment on a field */
  l: Inner[];
  p?: Inner;
  e: "a" | "b" | "";
  k: Kind;
  x: string[];
  f: number;
}

export type Unrelated<T> = { anything: T };
export type Kind = "x" | "y";
`

func TestContractCheckerFails(t *testing.T) {
	for _, c := range []struct {
		name, old, new string
		want           string // "" = no error
	}{
		{"agrees", "", "", ""},
		{"field missing in TS", "  b: boolean;\n", "", `ctRoot.B (json "b") is missing`},
		{"field missing in Go", "  f: number;\n", "  f: number;\n  z: string;\n", `Root.z has no field in Go`},
		{"wrong scalar type", "s: string;", "s: number;", `Root.s is number, Go ctRoot.S is string`},
		{"array for scalar", "f: number;", "f: number[];", `Root.f is number[], Go ctRoot.F is number`},
		{"scalar for array", "x: string[];", "x: string;", `Root.x is string, Go ctRoot.X is string[]`},
		{"wrong interface", "l: Inner[];", "l: Root[];", `Root.l is Root[], Go ctRoot.L is Inner[]`},
		{"required but omitempty", "o?: string;", "o: string;", `Root.o is required, but Go ctRoot.O has omitempty`},
		{"optional without omitempty", "s: string;", "s?: string;", `Root.s is optional, but Go ctRoot.S has no omitempty`},
		{"untagged nested type", "/** @go ctInner */\n", "", `Go type ctInner has no interface`},
		{"tag of no contract type", "export type Unrelated", "/** @go ctNope */\nexport interface Nope { n: number }\nexport type Unrelated", `Nope says @go ctNope`},
		{"duplicate tag", "export type Unrelated", "/** @go ctInner */\nexport interface Inner2 { n: number }\nexport type Unrelated", `both say @go ctInner`},
		{"duplicate field", "  f: number;\n", "  f: number;\n  f: number;\n", `Root.f twice`},
		{"tag not on an interface", "/** @go ctInner */\nexport interface Inner { n: number }", "/** @go ctInner */\nexport type Inner = { n: number };", "not followed by `export interface"},
		{"nested object type", "p?: Inner;", "p?: { n: number };", "nested object types"},
		{"union with null", "s: string;", "s: string | null;", "only unions of string literals"},
		{"generic type", "s: string;", "s: Record<string, string>;", `cannot read the type "Record<string, string>"`},
		{"quoted key", "s: string;", `"s": string;`, `cannot read the field`},
		{"unknown interface", "l: Inner[];", "l: Outer[];", `Root.l is Outer[]`},
		{"alias of a non-literal type", `export type Kind = "x" | "y";`, `export type Kind = number;`, `Root.k is Kind, Go ctRoot.K is string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := ctGood
			if c.old != "" || c.new != "" {
				if !strings.Contains(ts, c.old) {
					t.Fatalf("the good snippet has no %q", c.old)
				}
				ts = strings.Replace(ts, c.old, c.new, 1)
			}
			errs := checkContract(ts, []reflect.Type{reflect.TypeFor[ctRoot]()})
			got := strings.Join(errs, "\n")
			switch {
			case c.want == "" && len(errs) > 0:
				t.Errorf("unexpected errors:\n%s", got)
			case c.want != "" && !strings.Contains(got, c.want):
				t.Errorf("errors do not mention %q:\n%s", c.want, got)
			}
		})
	}
}

// TestContractCheckerRejectsGoShapes: Go field types JSON would not encode
// the way the TypeScript reader expects are errors, not guesses.
func TestContractCheckerRejectsGoShapes(t *testing.T) {
	type nilPointer struct {
		P *ctInner `json:"p"`
	}
	type bytesField struct {
		B []byte `json:"b"`
	}
	type mapField struct {
		M map[string]string `json:"m"`
	}
	type embedded struct {
		ctInner
	}
	for _, c := range []struct {
		typ  reflect.Type
		ts   string
		want string
	}{
		{reflect.TypeFor[nilPointer](), "/** @go nilPointer */\nexport interface A { p: Inner }\n/** @go ctInner */\nexport interface Inner { n: number }", "without omitempty"},
		{reflect.TypeFor[bytesField](), "/** @go bytesField */\nexport interface A { b: string }", "[]uint8"},
		{reflect.TypeFor[mapField](), "/** @go mapField */\nexport interface A { m: string }", "map[string]string"},
		{reflect.TypeFor[embedded](), "/** @go embedded */\nexport interface A { n: number }", "embedded"},
	} {
		got := strings.Join(checkContract(c.ts, []reflect.Type{c.typ}), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: errors do not mention %q:\n%s", c.typ, c.want, got)
		}
	}
}

// goName is how protocol.ts names a Go type in @go: bare for this
// package, package-qualified otherwise (gen.Diagnostic).
func goName(t reflect.Type) string {
	return strings.TrimPrefix(t.String(), "main.")
}

// walkStructs records the bare names of t and every struct type inside it.
func walkStructs(t reflect.Type, seen map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t.Name()] {
		return
	}
	seen[t.Name()] = true
	for i := range t.NumField() {
		walkStructs(t.Field(i).Type, seen)
	}
}

// tsType is a type as protocol.ts writes it: a scalar kind, an array, or a
// reference to an interface.
type tsType struct {
	kind string  // "string", "number", "boolean", "array" or "ref"
	elem *tsType // kind "array"
	ref  string  // kind "ref": the TypeScript interface name
}

func (t tsType) String() string {
	switch t.kind {
	case "array":
		return t.elem.String() + "[]"
	case "ref":
		return t.ref
	}
	return t.kind
}

type tsField struct {
	name     string
	optional bool
	typ      tsType
}

type tsInterface struct {
	name   string
	goName string
	line   int
	fields []tsField
}

var (
	docComment = regexp.MustCompile(`(?s)/\*\*(.*?)\*/`)
	goTag      = regexp.MustCompile(`@go\s+(\S+)`)
	goTagName  = regexp.MustCompile(`^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$`)
	ifaceHead  = regexp.MustCompile(`^\s*export interface ([A-Za-z_]\w*)\s*\{`)
	fieldDecl  = regexp.MustCompile(`^([A-Za-z_$][\w$]*)(\?)?\s*:\s*(.+)$`)
	tsIdent    = regexp.MustCompile(`^[A-Za-z_]\w*$`)
	strLiteral = regexp.MustCompile(`^"[^"\\]*"$`)
	// A named union of string literals, e.g. Severity, stands for a Go string.
	literalAlias = regexp.MustCompile(`(?m)^export type ([A-Za-z_]\w*)\s*=\s*("[^"\\\n]*"(?:\s*\|\s*"[^"\\\n]*")*)\s*;`)
)

// parseMirrors returns the interfaces of src tagged @go, and an error for
// anything in them the parser does not understand.
func parseMirrors(src string) ([]*tsInterface, []string) {
	var out []*tsInterface
	var errs []string
	lineOf := func(off int) int { return strings.Count(src[:off], "\n") + 1 }
	aliases := map[string]bool{}
	for _, a := range literalAlias.FindAllStringSubmatch(src, -1) {
		aliases[a[1]] = true
	}
	for _, m := range docComment.FindAllStringSubmatchIndex(src, -1) {
		tag := goTag.FindStringSubmatch(src[m[2]:m[3]])
		if tag == nil {
			continue
		}
		line := lineOf(m[0])
		if !goTagName.MatchString(tag[1]) {
			errs = append(errs, fmt.Sprintf("protocol.ts:%d: @go %q is not a Go type name", line, tag[1]))
			continue
		}
		rest := src[m[1]:]
		h := ifaceHead.FindStringSubmatchIndex(rest)
		if h == nil {
			errs = append(errs, fmt.Sprintf("protocol.ts:%d: @go %s is not followed by `export interface Name {`", line, tag[1]))
			continue
		}
		it := &tsInterface{name: rest[h[2]:h[3]], goName: tag[1], line: line}
		// Comments go first, so a brace in one does not end the body.
		body := stripComments(rest[h[1]:])
		end := strings.IndexByte(body, '}')
		if end < 0 {
			errs = append(errs, fmt.Sprintf("protocol.ts:%d: interface %s has no closing }", line, it.name))
			continue
		}
		body = body[:end]
		if strings.Contains(body, "{") {
			errs = append(errs, fmt.Sprintf("protocol.ts:%d: %s: nested object types are not supported; declare a mirrored interface", line, it.name))
			continue
		}
		seen := map[string]bool{}
		for _, part := range strings.FieldsFunc(body, func(r rune) bool { return r == ';' || r == '\n' }) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			f := fieldDecl.FindStringSubmatch(part)
			if f == nil {
				errs = append(errs, fmt.Sprintf("protocol.ts:%d: %s: cannot read the field %q (want name: type or name?: type)", line, it.name, part))
				continue
			}
			typ, err := parseTSType(strings.TrimSpace(f[3]), aliases)
			if err != nil {
				errs = append(errs, fmt.Sprintf("protocol.ts:%d: %s.%s: %v", line, it.name, f[1], err))
				continue
			}
			if seen[f[1]] {
				errs = append(errs, fmt.Sprintf("protocol.ts:%d: %s.%s twice", line, it.name, f[1]))
				continue
			}
			seen[f[1]] = true
			it.fields = append(it.fields, tsField{name: f[1], optional: f[2] == "?", typ: typ})
		}
		out = append(out, it)
	}
	return out, errs
}

// stripComments removes // and /* */ comments, leaving string literals
// alone (a "//" inside one is not a comment).
func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' && s[j] != '\n' {
				j++
			}
			if j < len(s) && s[j] == '"' {
				j++
			}
			b.WriteString(s[i:j])
			i = j - 1
		case strings.HasPrefix(s[i:], "//"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += 2 + end + 1
			b.WriteByte('\n')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func parseTSType(s string, aliases map[string]bool) (tsType, error) {
	if inner, ok := strings.CutSuffix(s, "[]"); ok {
		if strings.HasPrefix(inner, "(") && strings.HasSuffix(inner, ")") {
			inner = inner[1 : len(inner)-1]
		}
		e, err := parseTSType(strings.TrimSpace(inner), aliases)
		if err != nil {
			return tsType{}, err
		}
		return tsType{kind: "array", elem: &e}, nil
	}
	if strings.Contains(s, "|") {
		for _, alt := range strings.Split(s, "|") {
			if !strLiteral.MatchString(strings.TrimSpace(alt)) {
				return tsType{}, fmt.Errorf("only unions of string literals are supported (a Go string), not %q", s)
			}
		}
		return tsType{kind: "string"}, nil
	}
	switch {
	case s == "string" || s == "number" || s == "boolean":
		return tsType{kind: s}, nil
	case strLiteral.MatchString(s) || aliases[s]:
		return tsType{kind: "string"}, nil
	case tsIdent.MatchString(s):
		return tsType{kind: "ref", ref: s}, nil
	}
	return tsType{}, fmt.Errorf("cannot read the type %q (string, number, boolean, string-literal unions, T[] and mirrored interfaces only)", s)
}

// checkContract compares the @go interfaces of ts with roots and every
// struct type inside them, in both directions, and returns the differences.
func checkContract(ts string, roots []reflect.Type) []string {
	ifaces, errs := parseMirrors(ts)
	byGo := map[string]*tsInterface{}
	for _, it := range ifaces {
		if prev := byGo[it.goName]; prev != nil {
			errs = append(errs, fmt.Sprintf("protocol.ts: %s and %s both say @go %s", prev.name, it.name, it.goName))
			continue
		}
		byGo[it.goName] = it
	}
	checked := map[string]bool{}
	queue := append([]reflect.Type(nil), roots...)
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		name := goName(t)
		if checked[name] {
			continue
		}
		checked[name] = true
		it := byGo[name]
		if it == nil {
			errs = append(errs, fmt.Sprintf("Go type %s has no interface in protocol.ts with @go %s in its doc comment", name, name))
			continue
		}
		goFields := map[string]bool{}
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			if sf.Anonymous {
				errs = append(errs, fmt.Sprintf("Go %s.%s is embedded; the checker does not flatten embedded structs", name, sf.Name))
				continue
			}
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			jname, opts, _ := strings.Cut(tag, ",")
			if jname == "" {
				jname = sf.Name
			}
			omitempty := strings.Contains(","+opts+",", ",omitempty,")
			goFields[jname] = true
			ft := sf.Type
			if ft.Kind() == reflect.Pointer && !omitempty {
				errs = append(errs, fmt.Sprintf("Go %s.%s is a pointer without omitempty: nil would be null, which protocol.ts cannot say", name, sf.Name))
				continue
			}
			want, nested, err := tsTypeOf(ft, byGo)
			if err != nil {
				errs = append(errs, fmt.Sprintf("Go %s.%s: %v", name, sf.Name, err))
				continue
			}
			queue = append(queue, nested...)
			var f *tsField
			for j := range it.fields {
				if it.fields[j].name == jname {
					f = &it.fields[j]
				}
			}
			if f == nil {
				errs = append(errs, fmt.Sprintf("Go %s.%s (json %q) is missing from protocol.ts %s", name, sf.Name, jname, it.name))
				continue
			}
			if got := f.typ.String(); got != want.String() {
				errs = append(errs, fmt.Sprintf("protocol.ts %s.%s is %s, Go %s.%s is %s", it.name, jname, got, name, sf.Name, want))
			}
			switch {
			case f.optional && !omitempty:
				errs = append(errs, fmt.Sprintf("protocol.ts %s.%s is optional, but Go %s.%s has no omitempty: it is always present", it.name, jname, name, sf.Name))
			case !f.optional && omitempty:
				errs = append(errs, fmt.Sprintf("protocol.ts %s.%s is required, but Go %s.%s has omitempty: make it %s?", it.name, jname, name, sf.Name, jname))
			}
		}
		for _, f := range it.fields {
			if !goFields[f.name] {
				errs = append(errs, fmt.Sprintf("protocol.ts %s.%s has no field in Go %s", it.name, f.name, name))
			}
		}
	}
	var extra []string
	for g, it := range byGo {
		if !checked[g] {
			extra = append(extra, fmt.Sprintf("protocol.ts %s says @go %s, which is not a type of the contract", it.name, g))
		}
	}
	sort.Strings(extra)
	return append(errs, extra...)
}

// tsTypeOf is the protocol.ts type a Go field type encodes as, and the
// struct types inside it, still to check.
func tsTypeOf(t reflect.Type, byGo map[string]*tsInterface) (tsType, []reflect.Type, error) {
	switch t.Kind() {
	case reflect.String:
		return tsType{kind: "string"}, nil, nil
	case reflect.Bool:
		return tsType{kind: "boolean"}, nil, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return tsType{kind: "number"}, nil, nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return tsType{}, nil, fmt.Errorf("%s encodes as base64 text; not supported", t)
		}
		e, nested, err := tsTypeOf(t.Elem(), byGo)
		if err != nil {
			return tsType{}, nil, err
		}
		return tsType{kind: "array", elem: &e}, nested, nil
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct {
			return tsTypeOf(t.Elem(), byGo)
		}
	case reflect.Struct:
		ref := "(no interface for " + goName(t) + ")"
		if it := byGo[goName(t)]; it != nil {
			ref = it.name
		}
		return tsType{kind: "ref", ref: ref}, []reflect.Type{t}, nil
	}
	return tsType{}, nil, fmt.Errorf("type %s is not supported by the contract check", t)
}

// TestWasmFunctionsMatchEnv: the functions main.go and tools_js.go (the
// full module's extras) register on globalThis.fleetyard, with their
// argument counts, are exactly those static/ts/env.d.ts declares on
// FleetyardWasm, every argument a string (register refuses anything else).
func TestWasmFunctionsMatchEnv(t *testing.T) {
	goFuncs := registered(t, "main.go")
	for name, n := range registered(t, "tools_js.go") {
		goFuncs[name] = n
	}
	src, err := os.ReadFile("../static/ts/env.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	tsFuncs, errs := wasmInterface(string(src))
	for _, e := range errs {
		t.Error(e)
	}
	for name, n := range goFuncs {
		switch m, ok := tsFuncs[name]; {
		case !ok:
			t.Errorf("main.go registers %s, which env.d.ts FleetyardWasm does not declare", name)
		case m != n:
			t.Errorf("main.go registers %s with %d arguments, env.d.ts declares %d", name, n, m)
		}
	}
	for name := range tsFuncs {
		if _, ok := goFuncs[name]; !ok {
			t.Errorf("env.d.ts FleetyardWasm declares %s, which main.go does not register", name)
		}
	}
	if len(goFuncs) == 0 {
		t.Fatal("found no register calls in main.go")
	}
}

// registered returns name -> argument count of every register(api, s,
// "name", n, fn) call in file.
func registered(t *testing.T, file string) map[string]int {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	ast.Inspect(f, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "register" {
			return true
		}
		if len(call.Args) != 5 {
			t.Errorf("register call with %d arguments; the test reads register(api, s, name, nargs, fn)", len(call.Args))
			return true
		}
		name, ok1 := call.Args[2].(*ast.BasicLit)
		nargs, ok2 := call.Args[3].(*ast.BasicLit)
		if !ok1 || !ok2 || name.Kind != token.STRING || nargs.Kind != token.INT {
			t.Errorf("register's name and nargs must be literals for this test to read them")
			return true
		}
		n, err := strconv.Atoi(nargs.Value)
		if err != nil {
			t.Errorf("register nargs %s: %v", nargs.Value, err)
		}
		out[strings.Trim(name.Value, `"`)] = n
		return true
	})
	return out
}

var wasmMethod = regexp.MustCompile(`^([A-Za-z_]\w*)\(([^)]*)\)\s*:`)

// wasmInterface returns name -> parameter count of the methods of
// interface FleetyardWasm in env.d.ts, and errors for parameters that are
// not strings or lines it cannot read.
func wasmInterface(src string) (map[string]int, []string) {
	src = stripComments(src)
	start := strings.Index(src, "interface FleetyardWasm {")
	if start < 0 {
		return nil, []string{"env.d.ts has no `interface FleetyardWasm {`"}
	}
	// The body ends at the brace that balances the opening one (return
	// types such as { meta: string; ... } nest).
	body, depth := "", 0
	for i := start + len("interface FleetyardWasm "); i < len(src); i++ {
		if src[i] == '{' {
			depth++
		} else if src[i] == '}' {
			depth--
			if depth == 0 {
				body = src[start+len("interface FleetyardWasm {") : i]
				break
			}
		}
	}
	out := map[string]int{}
	var errs []string
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m := wasmMethod.FindStringSubmatch(line)
		if m == nil {
			errs = append(errs, fmt.Sprintf("env.d.ts FleetyardWasm: cannot read %q (one method per line: name(a: string, …): T;)", line))
			continue
		}
		n := 0
		for _, p := range strings.Split(m[2], ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			n++
			if _, typ, _ := strings.Cut(p, ":"); strings.TrimSpace(typ) != "string" {
				errs = append(errs, fmt.Sprintf("env.d.ts FleetyardWasm.%s: parameter %q is not a string; register refuses anything else", m[1], p))
			}
		}
		out[m[1]] = n
	}
	return out, errs
}
