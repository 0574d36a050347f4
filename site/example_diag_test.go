package site

import (
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/diagtext"
)

// TestExampleDiagnostics: an invalid example fails the docs build with the
// diagnostics in the CLI's form (internal/diagtext), positioned in the
// example's file when it has one, so the same mistake reads the same in
// `fleetyard validate` and in a failed build.
func TestExampleDiagnostics(t *testing.T) {
	spec := []byte("{\n  \"version\": 1,\n  \"machines\": [{\"name\": \"Web!\", \"class\": \"nixos\"}]\n}\n")
	_, diags := gen.Parse(spec)
	var errs []gen.Diagnostic
	for _, d := range diags {
		if d.Severity == gen.Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 || errs[0].Line == 0 {
		t.Fatalf("the test spec should have a positioned error: %+v", diags)
	}
	tests := []struct {
		name, file string
		ex         Example
	}{
		{"named", "content/examples/bad.json", Example{Page: "docs/x.md", Index: 1, Name: "bad", Spec: spec}},
		{"inline", "", Example{Page: "docs/x.md", Index: 2, Spec: spec}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.ex.Generate()
			if err == nil {
				t.Fatal("an invalid spec generated")
			}
			for _, d := range errs {
				if want := diagtext.Format(tt.file, d); !strings.Contains(err.Error(), "\n  "+want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}
