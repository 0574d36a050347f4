package gen

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaAgreesWithRealValidator checks Schema with a complete JSON
// Schema 2020-12 implementation (santhosh-tekuri/jsonschema), as an editor
// would use it, instead of the small validator of schema_test.go only:
// compiling it checks the schema against the 2020-12 meta-schema, every
// example must pass, and every spec of brokenSpecs (among them the
// class-specific rules of machineClassRules, which rely on if/then and
// false schemas) must fail.
func TestSchemaAgreesWithRealValidator(t *testing.T) {
	const url = "https://fleetyard.invalid/schema/fleet.v1.json"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("the schema is not valid JSON Schema 2020-12: %v", err)
	}
	value := func(text []byte) any {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, name := range examples(t) {
		if err := sch.Validate(value(readExample(t, name))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, tc := range brokenSpecs {
		if !json.Valid([]byte(tc.in)) {
			t.Fatalf("%s: not JSON", tc.name)
		}
		if err := sch.Validate(value([]byte(tc.in))); err == nil {
			t.Errorf("%s: the real validator accepts it (want: %s)", tc.name, tc.want)
		}
	}
}
