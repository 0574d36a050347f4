package gen

import (
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// Parse decodes fleet.json strictly, fills in defaults and validates the
// result. It returns every problem it finds, each with the field path and,
// for problems tied to the text, its line:col. The returned spec is nil only
// when the text cannot be decoded at all; otherwise it is usable for
// generation exactly when no diagnostic has [Error] severity.
//
// Diagnostics are sorted by position, then path. Columns count Unicode code
// points from the start of the line (an editor counting UTF-16 code units
// converts on its side, since it has the text).
//
// Diagnostics are safe to print: they quote the spec only through
// gen/internal/echo (no private key material, no control characters, short
// quotes), and [safeDiagnostics] checks every one again on the way out.
func Parse(data []byte) (*Fleet, []Diagnostic) { return parse(data, nil) }

func parse(data []byte, cache *Cache) (*Fleet, []Diagnostic) {
	spec, diags := parseUnchecked(data, cache)
	diags = safeDiagnostics(diags)
	if spec == nil {
		return nil, diags
	}
	return &Fleet{m: resolve(spec, cache), cache: cache}, diags
}

// parseUnchecked is Parse without the final safety pass, so that FuzzParse
// can check that every message is safe by construction.
func parseUnchecked(data []byte, cache *Cache) (*Spec, []Diagnostic) {
	if d := sizeLimit(len(data)); d != nil {
		return nil, d
	}
	root, errs := jsonpos.Parse(data)
	var diags []Diagnostic
	for _, e := range errs {
		diags = append(diags, Diagnostic{Line: e.Pos.Line, Col: e.Pos.Col, Severity: Error, Message: e.Msg, Hint: e.Hint})
	}
	if root == nil {
		return nil, diags
	}
	if root.Kind != jsonpos.Object {
		diags = append(diags, Diagnostic{
			Line: root.Pos.Line, Col: root.Pos.Col, Severity: Error,
			Message: "a fleet spec is a JSON object, found " + root.Kind.String(),
			Hint:    `start from {"version": 1, "name": "my-fleet", "machines": [{"name": "server", "class": "nixos"}]}`,
		})
		return nil, diags
	}
	d := &decoder{root: root, bad: map[string]bool{}, fields: map[reflect.Type][]fieldInfo{}}
	var s Spec
	d.decode(root, reflect.ValueOf(&s).Elem())
	diags = append(diags, d.diags...)
	if d.overLimit {
		// A list was skipped for its length: rules about the rest would
		// only report references into it (every user's machines unknown).
		normalize(&s)
		sortDiagnostics(diags)
		return &s, capDiagnostics(diags, d.dropped)
	}
	normalize(&s)
	vs, dropped := validate(&s, d.locate, cache)
	for _, v := range vs {
		// A field that failed to decode holds a zero value; rules about
		// it would only repeat the decoding error in other words.
		if !d.underBad(v.Path) {
			diags = append(diags, v)
		}
	}
	sortDiagnostics(diags)
	return &s, capDiagnostics(diags, d.dropped+dropped)
}

// validateBuilt checks a spec built in Go rather than parsed (defaults must be
// applied already, as [Parse] does). Diagnostics have paths but no
// positions.
func validateBuilt(s *Spec) []Diagnostic {
	if d := listLengths(s); d != nil {
		// Validating an oversize spec would take as long as the limits
		// are there to prevent.
		sortDiagnostics(d)
		return safeDiagnostics(d)
	}
	diags, dropped := validate(s, nil, nil)
	sortDiagnostics(diags)
	return safeDiagnostics(capDiagnostics(diags, dropped))
}

// Bounds of a diagnostic's texts: fixed wording plus a few quotes of at
// most echo.MaxRunes characters, or a list of a dozen names.
const (
	maxMessageRunes = 1200
	maxPathRunes    = 300
)

// safeDiagnostics is where diagnostics leave the package, for the CLI, the
// wasm module and the docs alike: the one place their text is made safe to
// print. Messages quote user text only through gen/internal/echo, so this
// changes nothing in a correct message; it is the second line of defence
// the security page promises (private key material dropped, control
// characters escaped, length bounded).
func safeDiagnostics(diags []Diagnostic) []Diagnostic {
	for i := range diags {
		d := &diags[i]
		d.Message = echo.Clean(d.Message, maxMessageRunes)
		d.Hint = echo.Clean(d.Hint, maxMessageRunes)
		d.Path = echo.Clean(d.Path, maxPathRunes)
	}
	return diags
}

// capDiagnostics keeps the first maxDiagnostics (by position) and says how
// many more there are, counting the dropped ones that were never collected.
func capDiagnostics(diags []Diagnostic, dropped int) []Diagnostic {
	if len(diags) <= maxDiagnostics && dropped == 0 {
		return diags
	}
	if len(diags) < maxDiagnostics {
		// Cannot happen (maxCollected is larger), but stay correct.
		dropped += len(diags) - maxDiagnostics
	}
	rest := len(diags) - maxDiagnostics + dropped
	last := diags[maxDiagnostics-1]
	return append(diags[:maxDiagnostics:maxDiagnostics], Diagnostic{
		Path: last.Path, Line: last.Line, Col: last.Col, Severity: Error,
		Message: strconv.Itoa(rest) + " more problems are not shown",
		Hint:    "fix the problems above first; " + strconv.Itoa(maxDiagnostics) + " are shown at a time",
	})
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// sortDiagnostics orders by position (unpositioned last), then path, then
// message, so output is the same on every run.
func sortDiagnostics(diags []Diagnostic) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		if (a.Line == 0) != (b.Line == 0) {
			return a.Line != 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Message < b.Message
	})
}

// decoder turns a jsonpos tree into Go values by following the json tags of
// the Spec types, so the decoder can never disagree with the types. The
// current path is kept as a stack of segments and only turned into a string
// when a diagnostic needs it: most values are fine, and building a path per
// value would dominate the cost of decoding a large fleet.
type decoder struct {
	root   *jsonpos.Value
	diags  []Diagnostic
	stack  []seg
	bad    map[string]bool
	fields map[reflect.Type][]fieldInfo
	// overLimit is set when a list was longer than its limit and skipped.
	overLimit bool
	// dropped counts problems past maxCollected, found but not kept.
	dropped int
}

// seg is one path segment: a member name, or a list index when key is "".
type seg struct {
	key string
	idx int
}

type fieldInfo struct {
	name  string
	index int
}

// path is where the decoder is, as diagnostics name it ("users[3].machines").
func (d *decoder) path() string { return d.pathOf(true) }

// pathOf spells the decoder's position as a field path, with array indexes
// ("users[3].machines") or without them ("users[].machines", the form the
// reference and the list limits use).
func (d *decoder) pathOf(indexes bool) string {
	var b strings.Builder
	for _, s := range d.stack {
		switch {
		case s.key == "" && !indexes:
			b.WriteString("[]")
		case s.key == "":
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
		case b.Len() > 0:
			b.WriteByte('.')
			fallthrough
		default:
			b.WriteString(s.key)
		}
	}
	return b.String()
}

// locate returns the position of the value at path, or of its closest
// existing parent (a missing field is reported at the object that lacks
// it). Paths name only fields of the Spec types and list indexes.
func (d *decoder) locate(path string) (int, int) {
	v := d.root
	for path != "" && v != nil {
		var next *jsonpos.Value
		if path[0] == '[' {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				break
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || v.Kind != jsonpos.Array || i >= len(v.Elems) {
				break
			}
			next, path = v.Elems[i], path[end+1:]
		} else {
			path = strings.TrimPrefix(path, ".")
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			next, path = v.Get(path[:end]), path[end:]
		}
		if next == nil || next.Kind == jsonpos.Null && path != "" {
			break
		}
		v = next
	}
	return v.Pos.Line, v.Pos.Col
}

func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// underBad reports whether path or one of its parents failed to decode.
func (d *decoder) underBad(path string) bool {
	if len(d.bad) == 0 {
		return false
	}
	for {
		if d.bad[path] {
			return true
		}
		if path == "" {
			return false
		}
		path = parentPath(path)
	}
}

func (d *decoder) fail(p jsonpos.Pos, msg, hint string) {
	path := d.path()
	d.bad[path] = true
	if len(d.diags) >= maxCollected {
		d.dropped++
		return
	}
	d.diags = append(d.diags, Diagnostic{Path: path, Line: p.Line, Col: p.Col, Severity: Error, Message: msg, Hint: hint})
}

func (d *decoder) fieldsOf(t reflect.Type) []fieldInfo {
	if fs, ok := d.fields[t]; ok {
		return fs
	}
	var fs []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" && t.Field(i).IsExported() {
			fs = append(fs, fieldInfo{name, i})
		}
	}
	d.fields[t] = fs
	return fs
}

// kindOf is the JSON kind a Go type decodes from: expected's kind, without
// building the message that only a mismatch needs.
func kindOf(t reflect.Type) jsonpos.Kind {
	switch t.Kind() {
	case reflect.String:
		return jsonpos.String
	case reflect.Int:
		return jsonpos.Number
	case reflect.Bool:
		return jsonpos.Bool
	case reflect.Slice:
		return jsonpos.Array
	case reflect.Pointer:
		return kindOf(t.Elem())
	}
	return jsonpos.Object
}

// expected names what a Go kind needs in JSON, and how to write it.
func expected(t reflect.Type) (what string, kind jsonpos.Kind, hint string) {
	switch t.Kind() {
	case reflect.String:
		return "a string", jsonpos.String, `put the value in double quotes: "…"`
	case reflect.Int:
		return "a number", jsonpos.Number, "write a whole number without quotes, like 1000"
	case reflect.Bool:
		return "true or false", jsonpos.Bool, "write true or false, without quotes"
	case reflect.Slice:
		w, _, _ := expected(t.Elem())
		return "a list", jsonpos.Array, "write a list in brackets, each element " + w + `: [ … ]`
	case reflect.Pointer:
		return expected(t.Elem())
	}
	return "an object", jsonpos.Object, `write an object in braces: { "field": value }`
}

func (d *decoder) decode(v *jsonpos.Value, rv reflect.Value) {
	if v.Kind == jsonpos.Null {
		// null means "not set": the field keeps its zero value and gets
		// its documented default.
		return
	}
	if v.Kind != kindOf(rv.Type()) {
		what, _, hint := expected(rv.Type())
		d.fail(v.Pos, "expected "+what+", found "+v.Kind.String(), wrongTypeHint(v, rv.Type(), hint))
		return
	}
	switch rv.Kind() {
	case reflect.Pointer:
		p := reflect.New(rv.Type().Elem())
		d.decode(v, p.Elem())
		rv.Set(p)
	case reflect.String:
		rv.SetString(v.Str)
	case reflect.Bool:
		rv.SetBool(v.Bool)
	case reflect.Int:
		if strings.ContainsAny(v.Str, ".eE") {
			d.fail(v.Pos, "expected a whole number, found "+echo.Name(v.Str), "write it without a fraction or exponent, like 1000")
			return
		}
		n, err := strconv.ParseInt(v.Str, 10, 64)
		if err != nil {
			d.fail(v.Pos, "number "+echo.Name(v.Str)+" is out of range", "use a smaller number")
			return
		}
		rv.SetInt(n)
	case reflect.Slice:
		if len(v.Elems) == 0 {
			// [] and an absent list mean the same; keeping nil makes the
			// spec identical either way.
			return
		}
		if len(v.Elems) > minListLimit && d.tooMany(len(v.Elems), v.Pos) {
			return
		}
		s := reflect.MakeSlice(rv.Type(), len(v.Elems), len(v.Elems))
		for i, e := range v.Elems {
			d.stack = append(d.stack, seg{idx: i})
			if e.Kind == jsonpos.Null {
				w, _, _ := expected(rv.Type().Elem())
				d.fail(e.Pos, "expected "+w+", found null", "remove the null entry from the list")
			} else {
				d.decode(e, s.Index(i))
			}
			d.stack = d.stack[:len(d.stack)-1]
		}
		rv.Set(s)
	case reflect.Struct:
		fs := d.fieldsOf(rv.Type())
		for _, m := range v.Members {
			f := -1
			for _, fi := range fs {
				if fi.name == m.Key {
					f = fi.index
					break
				}
			}
			if f < 0 {
				d.unknownField(m, fs)
				continue
			}
			d.stack = append(d.stack, seg{key: m.Key})
			d.decode(m.Value, rv.Field(f))
			d.stack = d.stack[:len(d.stack)-1]
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// wrongTypeHint makes the common mistakes obvious: a quoted number, a
// quoted boolean, a single value where a list belongs.
func wrongTypeHint(v *jsonpos.Value, t reflect.Type, hint string) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v.Kind == jsonpos.String {
		switch t.Kind() {
		case reflect.Int:
			if _, err := strconv.Atoi(v.Str); err == nil {
				return "remove the quotes: " + echo.Name(v.Str)
			}
		case reflect.Bool:
			if v.Str == "true" || v.Str == "false" {
				return "remove the quotes: " + v.Str
			}
		case reflect.Slice:
			if t.Elem().Kind() == reflect.String {
				return "wrap it in brackets to make a list: [" + echo.Quote(v.Str) + "]"
			}
		}
	}
	if v.Kind == jsonpos.Object && t.Kind() == reflect.Slice {
		return "wrap it in brackets to make a list of one: [ { … } ]"
	}
	return hint
}

func (d *decoder) unknownField(m jsonpos.Member, fs []fieldInfo) {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	p := joinPath(d.path(), echo.Name(m.Key))
	d.bad[p] = true
	if len(d.diags) >= maxCollected {
		d.dropped++
		return
	}
	msg := "unknown field"
	hint := "the fields here are: " + strings.Join(names, ", ")
	if s := suggest(m.Key, names); s != "" {
		msg = `unknown field (did you mean "` + s + `"?)`
		hint = `rename it to "` + s + `"; ` + hint
	}
	d.diags = append(d.diags, Diagnostic{Path: p, Line: m.KeyPos.Line, Col: m.KeyPos.Col, Severity: Error, Message: msg, Hint: hint})
}

// dropSeparators is built once: suggest runs for every unknown field.
var dropSeparators = strings.NewReplacer("_", "", "-", "")

// suggest returns the candidate closest to s, or "" if none is close:
// first a match ignoring case, '_' and '-' (servertype, server_type), then
// the smallest edit distance within a third of the length.
func suggest(s string, candidates []string) string {
	norm := func(x string) string { return strings.ToLower(dropSeparators.Replace(x)) }
	ns := norm(s)
	for _, c := range candidates {
		if norm(c) == ns {
			return c
		}
	}
	maxD := 1
	switch {
	case len(s) > 8:
		maxD = 3
	case len(s) > 4:
		maxD = 2
	}
	best, bestD := "", maxD+1
	for _, c := range candidates {
		if dist := editDistance(strings.ToLower(s), strings.ToLower(c)); dist < bestD {
			best, bestD = c, dist
		}
	}
	return best
}

// editDistance is the optimal string alignment distance in bytes (names
// are ASCII): insertions, deletions, substitutions and swaps of two
// neighbours ("nmae" is one step from "name").
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
