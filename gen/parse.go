package gen

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
	"github.com/fleetyard/fleetyard/gen/jsonpos"
	"github.com/fleetyard/fleetyard/gen/sshkey"
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
	spec, diags, root, ed := parseTree(data, cache)
	var kept []Diagnostic
	if cache != nil && spec != nil {
		kept = cloneDiagnostics(diags) // as parsed, for retype.go
	}
	diags = safeDiagnostics(diags)
	if spec == nil {
		return nil, diags
	}
	m := resolve(spec, cache)
	m.edit = ed
	cache.keepFleet(root, m, kept)
	return &Fleet{m: m, cache: cache}, diags
}

// parseUnchecked is Parse without the final safety pass, so that FuzzParse
// can check that every message is safe by construction.
func parseUnchecked(data []byte, cache *Cache) (*Spec, []Diagnostic) {
	s, diags, _, _ := parseTree(data, cache)
	return s, diags
}

// parseTree is parseUnchecked that also returns the JSON tree the Cache
// keeps (nil if none) and how the text differs from the previous fleet's.
func parseTree(data []byte, cache *Cache) (*Spec, []Diagnostic, *jsonpos.Value, fleetEdit) {
	if d := sizeLimit(len(data)); d != nil {
		return nil, d, nil, fleetEdit{}
	}
	if len(data) >= 2 && (data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff) {
		// What Windows PowerShell's > writes: every other byte is 0.
		return nil, []Diagnostic{{Line: 1, Col: 1, Severity: Error, Message: "the file is UTF-16 text; a fleet spec is UTF-8",
			Hint: "save it as UTF-8 (PowerShell: Out-File -Encoding utf8)"}}, nil, fleetEdit{}
	}
	root, errs, buf, rp := cache.syntax(data)
	errs = privateLineBreaks(data, errs)
	s, diags, ok := retype(root, rp)
	if !ok {
		s, diags = decodeTree(root, errs, cache)
	}
	if len(errs) == 0 && root != nil {
		// Now that decoding and validation (which locate diagnostics in
		// the tree) are done with it.
		cache.keepSyntax(root, data, buf)
		return s, diags, root, rp.ed
	}
	return s, diags, nil, rp.ed
}

// privateLineBreaks turns the syntax error of a private key pasted into a
// string with its line breaks into the refusal the decoder gives a key
// pasted on one line: the error's own hint would teach to escape the
// key's line breaks.
func privateLineBreaks(data []byte, errs []*jsonpos.Error) []*jsonpos.Error {
	for i, e := range errs {
		if !strings.HasPrefix(e.Msg, "unterminated string: line break") {
			continue
		}
		line := data
		for n := 1; n < e.Pos.Line; n++ {
			if j := bytes.IndexByte(line, '\n'); j >= 0 {
				line = line[j+1:]
			}
		}
		if j := bytes.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		if msg, hint, private := sshkey.Private(string(line)); private {
			errs = append([]*jsonpos.Error(nil), errs...) // the Cache's
			errs[i] = &jsonpos.Error{Pos: e.Pos, Msg: msg, Hint: hint}
		}
	}
	return errs
}

// decodeTree is parseUnchecked after the JSON syntax: decoding the tree,
// defaults and validation.
func decodeTree(root *jsonpos.Value, errs []*jsonpos.Error, cache *Cache) (*Spec, []Diagnostic) {
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
	d := &decoder{root: root, bad: map[string]bool{}}
	var s Spec
	d.decodeSpec(root, &s)
	diags = append(diags, d.diags...)
	if d.overLimit {
		// A list was skipped for its length: rules about the rest would
		// only report references into it (every user's machines unknown).
		normalize(&s)
		sortDiagnostics(diags)
		return &s, capDiagnostics(diags, overflow{d.dropped, d.dropped})
	}
	normalize(&s)
	vs, over := validate(&s, d.locate, cache)
	for _, v := range vs {
		// A field that failed to decode holds a zero value; rules about
		// it, or about what holds it, would only repeat the decoding
		// error in other words.
		if !d.underBad(v.Path) && !d.aboveBad(v.Path) {
			diags = append(diags, v)
		}
	}
	sortDiagnostics(diags)
	// Every problem the decoder drops is an error.
	over.count += d.dropped
	over.errors += d.dropped
	return &s, capDiagnostics(diags, over)
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
	diags, over := validate(s, nil, nil)
	sortDiagnostics(diags)
	return safeDiagnostics(capDiagnostics(diags, over))
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

// overflow counts the problems found past maxCollected, which were
// counted but not kept, and how many of them are errors.
type overflow struct{ count, errors int }

// capDiagnostics keeps the first maxDiagnostics (by position) and says how
// many more there are, counting the dropped ones that were never collected.
// The line saying so is an error only when a problem it stands for is one:
// a large fleet can have hundreds of warnings (a .local name on every Mac)
// and must still generate.
func capDiagnostics(diags []Diagnostic, over overflow) []Diagnostic {
	if len(diags) <= maxDiagnostics && over.count == 0 {
		return diags
	}
	// Fewer than maxDiagnostics kept with some dropped cannot happen
	// (maxCollected is larger), but the count stays right if it does.
	keep := min(len(diags), maxDiagnostics)
	hidden := diags[keep:]
	sev := Warning
	if over.errors > 0 || HasErrors(hidden) {
		sev = Error
	}
	more := Diagnostic{
		Severity: sev,
		Message:  strconv.Itoa(len(hidden)+over.count) + " more problems are not shown",
		Hint:     "fix the problems above first; " + strconv.Itoa(maxDiagnostics) + " are shown at a time",
	}
	if keep > 0 {
		last := diags[keep-1]
		more.Path, more.Line, more.Col = last.Path, last.Line, last.Col
	}
	return append(diags[:keep:keep], more)
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
	sortStable(diags, func(a, b *Diagnostic) bool {
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

// decoder turns a jsonpos tree into Go values. It reads the field tables
// internal/specgen generates from the json tags of the Spec types
// (spec_gen.go; the loop is decodeStruct in spec_decode.go), so the
// decoder can never disagree with the types, and it needs no reflection
// (which would add the reflect package and the types' metadata to the
// wasm module). The
// current path is kept as a stack of segments and only turned into a string
// when a diagnostic needs it: most values are fine, and building a path per
// value would dominate the cost of decoding a large fleet.
type decoder struct {
	root  *jsonpos.Value
	diags []Diagnostic
	stack []seg
	bad   map[string]bool
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

// aboveBad reports whether a part of path (not the whole spec) failed to
// decode: a rule about the object that holds it would report the same
// mistake again, and before it ("admin has no key" when the key was
// refused). Rules about the object's other fields still run: they find
// mistakes of their own (a misspelt shell next to a misspelt key).
func (d *decoder) aboveBad(path string) bool {
	if path == "" {
		return false
	}
	for b := range d.bad {
		if len(b) > len(path) && strings.HasPrefix(b, path) && (b[len(path)] == '.' || b[len(path)] == '[') {
			return true
		}
	}
	return false
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

// push enters the member key of the current object.
func (d *decoder) push(key string) { d.stack = append(d.stack, seg{key: key}) }

// pop leaves the member or element entered last.
func (d *decoder) pop() { d.stack = d.stack[:len(d.stack)-1] }

// shape is what a field of the Spec types decodes from: the generated
// decoders name it, the messages below spell it out.
type shape uint8

const (
	shString shape = iota
	shInt
	shBool
	shStrings // a list of strings
	shObjects // a list of objects
	shObject
)

// kind is the JSON kind a shape decodes from.
func (s shape) kind() jsonpos.Kind {
	switch s {
	case shString:
		return jsonpos.String
	case shInt:
		return jsonpos.Number
	case shBool:
		return jsonpos.Bool
	case shStrings, shObjects:
		return jsonpos.Array
	}
	return jsonpos.Object
}

// expected names what a shape needs in JSON, and how to write it.
func (s shape) expected() (what, hint string) {
	switch s {
	case shString:
		return "a string", `put the value in double quotes: "…"`
	case shInt:
		return "a number", "write a whole number without quotes, like 1000"
	case shBool:
		return "true or false", "write true or false, without quotes"
	case shStrings:
		return "a list", "write a list in brackets, each element a string: [ … ]"
	case shObjects:
		return "a list", "write a list in brackets, each element an object: [ … ]"
	}
	return "an object", `write an object in braces: { "field": value }`
}

// check reports whether v holds a value of shape s. null means "not set":
// the field keeps its zero value and gets its documented default, so check
// is false without a diagnostic; a value of another kind is reported.
func (d *decoder) check(v *jsonpos.Value, s shape) bool {
	if v.Kind == jsonpos.Null {
		return false
	}
	if v.Kind != s.kind() {
		what, hint := s.expected()
		d.fail(v.Pos, "expected "+what+", found "+v.Kind.String(), wrongTypeHint(v, s, hint))
		return false
	}
	return true
}

func (d *decoder) str(v *jsonpos.Value, x *string) {
	if d.check(v, shString) && d.public(v) {
		*x = v.Str
	}
}

// public refuses a string that holds private key material, whatever its
// field: the one check every string of the spec passes, so no field can
// store, print or export it. It is reported, never quoted, and the field
// stays empty.
func (d *decoder) public(v *jsonpos.Value) bool {
	msg, hint, private := sshkey.Private(v.Str)
	if private {
		d.fail(v.Pos, msg, hint)
	}
	return !private
}

func (d *decoder) bool(v *jsonpos.Value, x *bool) {
	if d.check(v, shBool) {
		*x = v.Bool
	}
}

func (d *decoder) boolPtr(v *jsonpos.Value, x **bool) {
	if d.check(v, shBool) {
		b := v.Bool
		*x = &b
	}
}

func (d *decoder) int(v *jsonpos.Value, x *int) {
	if !d.check(v, shInt) {
		return
	}
	if strings.ContainsAny(v.Str, ".eE") {
		d.fail(v.Pos, "expected a whole number, found "+echo.Name(v.Str), "write it without a fraction or exponent, like 1000")
		return
	}
	n, err := strconv.ParseInt(v.Str, 10, 64)
	if err != nil {
		d.fail(v.Pos, "number "+echo.Name(v.Str)+" is out of range", "use a smaller number")
		return
	}
	*x = int(n)
}

// list checks a list of shape s (shStrings or shObjects) and returns how
// many elements to decode: 0 for null, a wrong kind, an empty list ([] and
// an absent list mean the same; keeping nil makes the spec identical
// either way) and a list over its limit.
func (d *decoder) list(v *jsonpos.Value, s shape) int {
	if !d.check(v, s) || len(v.Elems) == 0 {
		return 0
	}
	if len(v.Elems) > minListLimit && d.tooMany(len(v.Elems), v.Pos) {
		return 0
	}
	return len(v.Elems)
}

// elem enters element i of a list and reports whether e holds a value of
// shape s; the caller pops. A null element is an error: lists have no
// "not set" entries.
func (d *decoder) elem(i int, e *jsonpos.Value, s shape) bool {
	d.stack = append(d.stack, seg{idx: i})
	if e.Kind == jsonpos.Null {
		w, _ := s.expected()
		d.fail(e.Pos, "expected "+w+", found null", "remove the null entry from the list")
		return false
	}
	return d.check(e, s)
}

func (d *decoder) strs(v *jsonpos.Value, x *[]string) {
	n := d.list(v, shStrings)
	if n == 0 {
		return
	}
	out := make([]string, n)
	for i, e := range v.Elems {
		if d.elem(i, e, shString) && d.public(e) {
			out[i] = e.Str
		}
		d.pop()
	}
	*x = out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// wrongTypeHint makes the common mistakes obvious: a quoted number, a
// quoted boolean, a single value where a list belongs.
func wrongTypeHint(v *jsonpos.Value, s shape, hint string) string {
	if v.Kind == jsonpos.String {
		switch s {
		case shInt:
			if _, err := strconv.Atoi(v.Str); err == nil {
				return "remove the quotes: " + echo.Name(v.Str)
			}
		case shBool:
			if v.Str == "true" || v.Str == "false" {
				return "remove the quotes: " + v.Str
			}
		case shStrings:
			// A name is worth repeating; a key is not: cut short it would
			// not work if copied, and an unmarked line of a private key
			// looks like any other base64.
			if len(v.Str) > 40 || strings.ContainsAny(v.Str, " \t\r\n") {
				return `wrap it in brackets to make a list: ["…"]`
			}
			return "wrap it in brackets to make a list: [" + echo.Quote(v.Str) + "]"
		}
	}
	if v.Kind == jsonpos.Object && (s == shStrings || s == shObjects) {
		return "wrap it in brackets to make a list of one: [ { … } ]"
	}
	return hint
}

func (d *decoder) unknownField(m jsonpos.Member, names []string) {
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
		// The field it stands for counts as broken too: "missing" and
		// the rules that read it would only echo the typo.
		d.bad[joinPath(d.path(), s)] = true
	}
	d.diags = append(d.diags, Diagnostic{Path: p, Line: m.KeyPos.Line, Col: m.KeyPos.Col, Severity: Error, Message: msg, Hint: hint})
}

// dropSeparators removes the separators suggest ignores.
const dropSeparators = byteDropper("_-")

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
