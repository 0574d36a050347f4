package jsonw_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
	type inner struct {
		A string `json:"a,omitempty"`
		B []int  `json:"b"`
	}
	type outer struct {
		Name    string            `json:"name"`
		Skip    string            `json:"-"`
		Count   int               `json:"count,omitempty"`
		On      bool              `json:"on,omitempty"`
		Inner   inner             `json:"inner,omitempty"`
		List    []inner           `json:"list,omitempty"`
		Map     map[string]string `json:"map"`
		Any     any               `json:"any"`
		Ptr     *inner            `json:"ptr"`
		NoTag   string
		private string
	}
	// full is one value of every supported kind; num is the number in it,
	// a jsonw.Number for jsonw and the json.Number encoding/json knows.
	full := func(num any) outer {
		return outer{Name: "x", Skip: "s", Count: 3, On: true, Inner: inner{"a", []int{}}, List: []inner{{}, {"b", []int{1, 2}}},
			Map: map[string]string{"z": "1", "a": "2", "m": ""}, Any: []any{"s", num, true, nil, map[string]any{}}, Ptr: &inner{}, NoTag: "t", private: "p"}
	}
	tests := []struct {
		name string
		v    any
		same any // what encoding/json is given, when it differs from v
	}{
		{"zero struct", outer{}, nil},
		{"full struct", full(jsonw.Number("1.5e3")), full(json.Number("1.5e3"))},
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
	got := jsonw.MarshalIndent(struct {
		S jsonw.Indented `json:"s"`
	}{jsonw.Indented(spec)})
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
