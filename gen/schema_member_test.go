package gen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestDollarSchema: the CLI docs tell editors to point "$schema" at the
// published JSON Schema, and the strict decoder refused it as an unknown
// field. It is accepted, ignored by generation, and kept in the generated
// fleet.json (the file the user edits next, and `fleetyard update`
// regenerates from).
func TestDollarSchema(t *testing.T) {
	const url = "https://fleetyard.netlify.app/schema/fleet.v1.json"
	in := `{"$schema":"` + url + `",` + adm + `"version":1,"name":"f",` + nm + `}`
	f, diags := Parse([]byte(in))
	spec := f.Spec()
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if spec.Schema != url {
		t.Fatalf("Schema = %q", spec.Schema)
	}
	opt := Options{Entropy: make([]byte, 32), Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	files, err := Generate(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := Parse([]byte(`{` + adm + `"version":1,"name":"f",` + nm + `}`))
	without, err := Generate(plain, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(without) {
		t.Fatalf("%d files with $schema, %d without", len(files), len(without))
	}
	for i, f := range files {
		switch f.Path {
		case "fleet.json":
			if !bytes.HasPrefix(f.Data, []byte("{\n  \"$schema\": \""+url+"\",\n  \"version\": 1,")) {
				t.Errorf("fleet.json does not start with the $schema member:\n%.200s", f.Data)
			}
			again, diags := Parse(f.Data)
			if len(diags) > 0 || again.Spec().Schema != url {
				t.Errorf("the generated fleet.json does not parse back: %v", diags)
			}
		case ".fleetyard/generated.json":
			// Records fleet.json's hash.
		default:
			if !bytes.Equal(f.Data, without[i].Data) {
				t.Errorf("%s differs with $schema: generation must ignore it", f.Path)
			}
		}
	}
	for _, tc := range []struct{ in, want string }{
		{`{"$schema":1,` + adm + `"version":1,"name":"f",` + nm + `}`, "$schema|expected a string, found a number"},
		{`{"$schema":"` + ageSecret + `",` + adm + `"version":1,"name":"f",` + nm + `}`, "$schema|private key refused: this is an age identity (secret key); it was dropped and not stored"},
	} {
		_, diags := Parse([]byte(tc.in))
		if len(diags) != 1 || diags[0].Path+"|"+diags[0].Message != tc.want {
			t.Errorf("got %v, want %s", diags, tc.want)
		}
	}
}

// TestSchemaAllowsDollarSchema: the published JSON Schema accepts the
// member it tells editors to add.
func TestSchemaAllowsDollarSchema(t *testing.T) {
	schema := loadSchema(t)
	prop, _ := schema["properties"].(map[string]any)["$schema"].(map[string]any)
	if prop["type"] != "string" {
		t.Fatalf(`properties["$schema"] = %v, want a string property`, prop)
	}
	var v any
	if err := json.Unmarshal([]byte(`{"$schema":"https://example.org/fleet.v1.json",`+adm+`"version":1,"name":"f",`+nm+`}`), &v); err != nil {
		t.Fatal(err)
	}
	if errs := validateSchema(t, schema, v, "$"); len(errs) > 0 {
		t.Errorf("schema refuses $schema: %s", strings.Join(errs, "; "))
	}
}
