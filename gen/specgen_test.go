package gen_test

import (
	"reflect"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/specgen"
)

//go:generate go test -run ^TestSpecCodeGenerated$ -update .

// specCode is what internal/specgen writes for package gen: the JSON
// encoders of the spec and of diagnostics (fleet.json, the worker's
// results), the spec decoder and its list-limit walk.
var specCode = specgen.Options{
	Package: "gen",
	Command: "internal/specgen (go generate ./gen)",
	Encode:  []reflect.Type{reflect.TypeFor[gen.Spec](), reflect.TypeFor[gen.Diagnostic]()},
	Decode:  []reflect.Type{reflect.TypeFor[gen.Spec]()},
}

// TestSpecCodeGenerated fails when spec_gen.go is not what the
// generator writes for the Spec types now: a field added to a spec type
// without regenerating would be neither decoded, written to fleet.json
// nor checked against its list limit. -update (or go generate ./gen)
// rewrites the file.
func TestSpecCodeGenerated(t *testing.T) {
	if err := specgen.Check("spec_gen.go", specCode, *update, "go generate ./gen"); err != nil {
		t.Fatal(err)
	}
}
