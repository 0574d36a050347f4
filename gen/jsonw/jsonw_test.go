package jsonw_test

import (
	"bytes"
	"encoding/json"
	"github.com/fleetyard/fleetyard/internal/specgen"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/jsonw"
)

// encodingJSON is what the generator wrote before jsonout.go: the
// indenting Encoder with HTML escaping off. The tests hold marshalIndent to
// its bytes.
func encodingJSON(t testing.TB, v any, indent bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// exampleSpec is a content/examples spec as Parse returns it (defaults
// filled in): what fleet.json is written from.
func exampleSpec(t *testing.T, name string) *gen.Spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "content", "examples", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	spec, diags := gen.Parse(data)
	if spec == nil || gen.HasErrors(diags) {
		t.Fatalf("%s: %v", name, diags)
	}
	return spec.Spec()
}

func TestMatchesEncodingJSON(t *testing.T) {
	// full is one value of every generic kind jsonw writes by its type
	// switch; num is the number in it, a jsonw.Number for jsonw and the
	// json.Number encoding/json knows. Structs are written by their
	// generated AppendJSON methods: the spec cases below, and
	// TestEveryFieldMatchesEncodingJSON.
	full := func(num any) map[string]any {
		return map[string]any{"name": "x", "count": 3, "big": int64(-1 << 40), "on": true, "off": false,
			"ints": []int{1, 2}, "noInts": []int{}, "strs": []string{"a", ""}, "nilStrs": []string(nil),
			"map": map[string]string{"z": "1", "a": "2", "m": ""}, "nilMap": map[string]any(nil),
			"any": []any{"s", num, true, nil, map[string]any{}, []any{}}, "null": nil}
	}
	tests := []struct {
		name string
		v    any
		same any // what encoding/json is given, when it differs from v
	}{
		{"zero spec", &gen.Spec{}, nil},
		{"generic values", full(jsonw.Number("1.5e3")), full(json.Number("1.5e3"))},
		{"diagnostics", []any{&gen.Diagnostic{Path: "a<b>", Line: 1, Col: 2, Severity: gen.Error, Message: "m"}, &gen.Diagnostic{Hint: "h"}}, nil},
		{"nil pointers", []any{(*gen.Spec)(nil), (*gen.Diagnostic)(nil)}, nil},
		{"nil and empty lists", &gen.Spec{Machines: []gen.Machine{}, Users: []gen.User{{Name: "u"}}}, nil},
		{"escapes", []string{"<a & b>", "tab\there", "nl\nx", "cr\r", "\b\f\x00\x1f\x7f", "quote\" back\\", "\u2028\u2029", "bad \xff utf8", "é ✓ 🙂"}, nil},
		{"terraform-like", map[string]any{"resource": map[string]any{"x": map[string]any{"${a}": []any{}}}, "empty": map[string]any{}}, nil},
		{"nil slice", []string(nil), nil},
		{"spec seed", exampleSpec(t, "seed"), nil},
		{"spec large", exampleSpec(t, "large"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			same := tt.same
			if same == nil {
				same = tt.v
			}
			if got, want := jsonw.MarshalIndent(tt.v), encodingJSON(t, same, true); !bytes.Equal(got, want) {
				t.Errorf("MarshalIndent differs from encoding/json:\ngot:\n%s\nwant:\n%s", got, want)
			}
			if got, want := jsonw.Marshal(tt.v), encodingJSON(t, same, false); !bytes.Equal(got, want) {
				t.Errorf("Marshal differs from encoding/json:\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestIndentedEmbedsAtDepth(t *testing.T) {
	spec := jsonw.MarshalIndent(map[string]any{"a": []int{1}, "b": map[string]string{"c": "d\ne"}})
	got := jsonw.MarshalIndent(map[string]any{"s": jsonw.Indented(spec)})
	want := encodingJSON(t, struct {
		S json.RawMessage `json:"s"`
	}{spec}, true)
	if !bytes.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// FuzzJSONString checks string quoting against encoding/json for any bytes,
// including invalid UTF-8 and control characters.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\x00\x1f\"\\", "\u2028", "\xff\xfe", "<>&", strings.Repeat("é", 3)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := jsonw.AppendString(nil, s), encodingJSON(t, s, false)
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// TestEveryFieldMatchesEncodingJSON fills every field of every spec type
// (by reflection, here in a test only) with a value that omitempty keeps,
// and once with empty values, so a field the generated AppendJSON methods
// wrote wrongly, or not at all, shows as a difference from encoding/json.
func TestEveryFieldMatchesEncodingJSON(t *testing.T) {
	for _, tt := range []struct {
		name  string
		empty bool
	}{{"set", false}, {"empty lists and nil pointers", true}} {
		t.Run(tt.name, func(t *testing.T) {
			var s gen.Spec
			specgen.Fill(reflect.ValueOf(&s).Elem(), tt.empty)
			if got, want := jsonw.MarshalIndent(&s), encodingJSON(t, &s, true); !bytes.Equal(got, want) {
				t.Errorf("MarshalIndent differs from encoding/json:\ngot:\n%s\nwant:\n%s", got, want)
			}
			if got, want := jsonw.Marshal(&s), encodingJSON(t, &s, false); !bytes.Equal(got, want) {
				t.Errorf("Marshal differs from encoding/json:\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
