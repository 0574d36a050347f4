package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// validateSchema checks a JSON value against the subset of JSON Schema that
// Schema emits. It fails loudly on any keyword it does not know, so the
// schema cannot grow a rule this test silently ignores.
func validateSchema(t *testing.T, schema map[string]any, v any, path string) []string {
	t.Helper()
	var errs []string
	bad := func(f string, a ...any) { errs = append(errs, path+": "+fmt.Sprintf(f, a...)) }
	for k := range schema {
		switch k {
		case "$schema", "title", "description", "default", "type", "properties", "required",
			"additionalProperties", "items", "enum", "const", "pattern", "minLength", "maxLength",
			"minimum", "maximum", "minItems", "maxItems", "allOf", "if", "then", "not":
		default:
			t.Fatalf("%s: schema keyword %q not supported by the test validator", path, k)
		}
	}
	for _, sub := range asList(schema["allOf"]) {
		errs = append(errs, validateSchema(t, sub.(map[string]any), v, path)...)
	}
	if cond, ok := schema["if"].(map[string]any); ok {
		if then, ok := schema["then"].(map[string]any); ok && len(validateSchema(t, cond, v, path)) == 0 {
			errs = append(errs, validateSchema(t, then, v, path)...)
		}
	}
	if not, ok := schema["not"].(map[string]any); ok && len(validateSchema(t, not, v, path)) == 0 {
		bad("%v is not allowed (not %v)", v, not)
	}
	typ, _ := schema["type"].(string)
	switch typ {
	case "":
		// Only applicators and keywords of any type (an if or then part).
		if o, ok := v.(map[string]any); ok {
			for _, r := range asList(schema["required"]) {
				if _, ok := o[r.(string)]; !ok {
					bad("missing required %q", r)
				}
			}
			props, _ := schema["properties"].(map[string]any)
			for _, k := range sortedKeys(props) {
				if _, present := o[k]; !present {
					continue
				}
				if props[k] == false {
					bad("property %q not allowed here", k)
					continue
				}
				errs = append(errs, validateSchema(t, props[k].(map[string]any), o[k], path+"."+k)...)
			}
		}
		if p, ok := schema["pattern"].(string); ok {
			if str, ok := v.(string); ok && !regexp.MustCompile(p).MatchString(str) {
				bad("%q does not match %s", str, p)
			}
		}
	case "object":
		o, ok := v.(map[string]any)
		if !ok {
			bad("expected an object")
			return errs
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asList(schema["required"]) {
			if _, ok := o[r.(string)]; !ok {
				bad("missing required %q", r)
			}
		}
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					bad("unknown property %q", k)
				}
				continue
			}
			errs = append(errs, validateSchema(t, ps, o[k], path+"."+k)...)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("expected an array")
			return errs
		}
		if n, ok := schema["minItems"].(float64); ok && float64(len(a)) < n {
			bad("fewer than %v items", n)
		}
		if n, ok := schema["maxItems"].(float64); ok && float64(len(a)) > n {
			bad("more than %v items", n)
		}
		for i, e := range a {
			errs = append(errs, validateSchema(t, schema["items"].(map[string]any), e, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("expected a string")
			return errs
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			bad("%q does not match %s", s, p)
		}
		if n, ok := schema["minLength"].(float64); ok && float64(len([]rune(s))) < n {
			bad("shorter than %v", n)
		}
		if n, ok := schema["maxLength"].(float64); ok && float64(len([]rune(s))) > n {
			bad("longer than %v", n)
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			bad("expected an integer")
			return errs
		}
		if m, ok := schema["minimum"].(float64); ok && n < m {
			bad("below %v", m)
		}
		if m, ok := schema["maximum"].(float64); ok && n > m {
			bad("above %v", m)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("expected a boolean")
		}
	default:
		t.Fatalf("%s: unsupported type %q", path, typ)
	}
	if e, ok := schema["enum"]; ok {
		found := false
		for _, x := range asList(e) {
			found = found || reflect.DeepEqual(x, v)
		}
		if !found {
			bad("%v not in enum %v", v, e)
		}
	}
	if c, ok := schema["const"]; ok && !reflect.DeepEqual(c, v) {
		bad("%v is not %v", v, c)
	}
	return errs
}

func asList(v any) []any { l, _ := v.([]any); return l }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func loadSchema(t *testing.T) map[string]any {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	return s
}

func TestSchemaDeterministicAndIndented(t *testing.T) {
	a, b := Schema(), Schema()
	if !bytes.Equal(a, b) {
		t.Fatal("Schema differs between calls")
	}
	for i, line := range strings.Split(string(a), "\n") {
		if n := len(line) - len(strings.TrimLeft(line, " ")); n%2 != 0 {
			t.Errorf("line %d: odd indentation %d", i+1, n)
		}
	}
	if !bytes.HasPrefix(a, []byte("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n")) {
		t.Errorf("schema header: %.80s", a)
	}
}

func TestExamplesMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	for _, name := range examples(t) {
		var v any
		if err := json.Unmarshal(readExample(t, name), &v); err != nil {
			t.Fatal(err)
		}
		if errs := validateSchema(t, schema, v, name); len(errs) > 0 {
			t.Errorf("%s:\n%s", name, strings.Join(errs, "\n"))
		}
	}
}

// brokenSpecs are specs the schema must reject, each with the test
// validator's message; Parse rejects every one of them too.
var brokenSpecs = []struct{ name, in, want string }{
	{"unknown field", h + nm + `,"colour":1}`, `unknown property "colour"`},
	{"nested unknown", h + `"machines":[{"name":"a","class":"nixos","hetzner":{"servertype":"x"}}]}`, `unknown property "servertype"`},
	{"missing machines", `{"version":1,"name":"f"}`, `missing required "machines"`},
	{"empty machines", h + `"machines":[]}`, "fewer than 1 items"},
	{"missing class", h + `"machines":[{"name":"a"}]}`, `missing required "class"`},
	{"version", `{"version":2,"name":"f",` + nm + `}`, "is not 1"},
	{"class enum", h + `"machines":[{"name":"a","class":"windows"}]}`, "not in enum"},
	{"name pattern", `{"version":1,"name":"My Fleet",` + nm + `}`, "does not match"},
	{"user name length", h + nm + `,"users":[{"name":"` + strings.Repeat("u", 33) + `"}]}`, "longer than 32"},
	{"uid type", h + nm + `,"users":[{"name":"u","uid":"502"}]}`, "expected an integer"},
	{"uid range", h + nm + `,"users":[{"name":"u","uid":-1}]}`, "below 1"},
	{"tags item", h + `"machines":[{"name":"a","class":"nixos","tags":[1]}]}`, "expected a string"},
	{"platform enum", h + nm + `,"overlays":{"hotfixes":[{"package":"p","platforms":["bsd"]}]}}`, "not in enum"},
	{"date", h + nm + `,"overlays":{"hotfixes":[{"package":"p","added":"20-11-2025"}]}}`, "does not match"},
	{"bool type", h + nm + `,"checks":{"nixUnit":"yes"}}`, "expected a boolean"},
	{"file name", h + nm + `,"vars":[{"name":"g","files":[{"name":"a/b"}]}]}`, "does not match"},
	{"flake url", h + nm + `,"overlays":{"flakeOverlays":[{"input":"x","url":"no scheme"}]}}`, "does not match"},
	// The class-specific rules (machineClassRules), each as Parse has it.
	{"darwin with a linux system", h + `"machines":[{"name":"a","class":"darwin","system":"x86_64-linux"}]}`, "not in enum [aarch64-darwin x86_64-darwin]"},
	{"nixos with a darwin system", h + `"machines":[{"name":"a","class":"nixos","system":"aarch64-darwin"}]}`, "not in enum [x86_64-linux aarch64-linux]"},
	{"nixos stateVersion a number", h + `"machines":[{"name":"a","class":"nixos","stateVersion":"6"}]}`, `"6" does not match ^[0-9][0-9]\.[0-9][0-9]$`},
	{"darwin stateVersion a release", h + `"machines":[{"name":"a","class":"darwin","stateVersion":"25.05"}]}`, `"25.05" does not match ^0*[1-7]$`},
	{"darwin block on nixos", h + `"machines":[{"name":"a","class":"nixos","darwin":{}}]}`, `property "darwin" not allowed`},
	{"hetzner on darwin", h + `"machines":[{"name":"a","class":"darwin","hetzner":{}}]}`, `property "hetzner" not allowed`},
	{"disk on darwin", h + `"machines":[{"name":"a","class":"darwin","disk":{}}]}`, `property "disk" not allowed`},
	{"darwin zerotier controller", h + `"machines":[{"name":"a","class":"darwin","zerotier":"controller"}]}`, "controller is not allowed"},
}

func TestSchemaRejectsBrokenSpecs(t *testing.T) {
	schema := loadSchema(t)
	for _, tc := range brokenSpecs {
		var v any
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		errs := validateSchema(t, schema, v, "$")
		if !strings.Contains(strings.Join(errs, "\n"), tc.want) {
			t.Errorf("%s: got %q, want an error containing %q", tc.name, errs, tc.want)
		}
		// Parse must reject it too: the schema is never looser than Go.
		if _, diags := Parse([]byte(tc.in)); !HasErrors(diags) {
			t.Errorf("%s: schema rejects it but Parse accepts it", tc.name)
		}
	}
}

// goFields lists the JSON paths of the Go types with their reference type.
func goFields(t reflect.Type, prefix string, out map[string]string) {
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		path := joinPath(prefix, name)
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.String:
			out[path] = "string"
		case reflect.Int:
			out[path] = "integer"
		case reflect.Bool:
			out[path] = "boolean"
		case reflect.Struct:
			out[path] = "object"
			goFields(ft, path, out)
		case reflect.Slice:
			if ft.Elem().Kind() == reflect.Struct {
				out[path] = "object[]"
				goFields(ft.Elem(), path+"[]", out)
			} else {
				out[path] = "string[]"
			}
		default:
			panic("unexpected kind " + ft.Kind().String() + " at " + path)
		}
	}
}

func TestReferenceCoversTypes(t *testing.T) {
	want := map[string]string{}
	goFields(reflect.TypeOf(Spec{}), "", want)
	seenPaths := map[string]bool{}
	for _, f := range Reference() {
		if seenPaths[f.Path] {
			t.Errorf("%s listed twice", f.Path)
		}
		seenPaths[f.Path] = true
		typ, ok := want[f.Path]
		switch {
		case !ok:
			t.Errorf("%s: in Reference but not a field of the Go types", f.Path)
		case typ != f.Type:
			t.Errorf("%s: Reference says %s, Go type is %s", f.Path, f.Type, typ)
		}
		if f.Description == "" {
			t.Errorf("%s: no description", f.Path)
		}
		if f.Pattern != "" {
			if _, err := regexp.Compile(f.Pattern); err != nil {
				t.Errorf("%s: pattern: %v", f.Path, err)
			}
		}
	}
	for p := range want {
		if !seenPaths[p] {
			t.Errorf("%s: Go field missing from Reference", p)
		}
	}
}

// TestReferenceDefaults: every constant default in the table is what
// Parse actually fills in.
func TestReferenceDefaults(t *testing.T) {
	spec, diags := Parse([]byte(h + `"users":[` + du + `],"machines":[{"name":"a","class":"nixos","hetzner":{}},` + dmt + `],` +
		`"overlays":{"hotfixes":[{"package":"p"}],"flakeOverlays":[{"input":"x","url":"github:a/b"}]},` +
		`"vars":[{"name":"g","prompts":[{"name":"p"}],"files":[{"name":"f"}],"script":"x"}]}`))
	if HasErrors(diags) {
		t.Fatal(diags)
	}
	raw, _ := json.Marshal(spec.Spec())
	var doc any
	json.Unmarshal(raw, &doc)
	checked := 0
	for _, f := range Reference() {
		if f.Default == "" || !json.Valid([]byte(f.Default)) {
			continue
		}
		if f.Default == "false" && strings.Contains(f.Path, "[]") {
			// A Go zero value; the test spec sets some of these to true.
			continue
		}
		got, ok := lookup(doc, strings.Split(strings.ReplaceAll(f.Path, "[]", ".[]"), "."))
		if !ok {
			// omitempty drops false; an absent field must then default to false.
			if f.Default != "false" {
				t.Errorf("%s: absent after defaults, want %s", f.Path, f.Default)
			}
			continue
		}
		var want any
		json.Unmarshal([]byte(f.Default), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: default is %v, Reference says %s", f.Path, got, f.Default)
		}
		checked++
	}
	if checked < 15 {
		t.Errorf("only %d defaults checked", checked)
	}
}

// lookup follows a path; "[]" takes the first element that has the rest.
func lookup(v any, parts []string) (any, bool) {
	if len(parts) == 0 {
		return v, true
	}
	if parts[0] == "[]" {
		for _, e := range asList(v) {
			if r, ok := lookup(e, parts[1:]); ok {
				return r, true
			}
		}
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	x, ok := m[parts[0]]
	if !ok {
		return nil, false
	}
	return lookup(x, parts[1:])
}
