package gen

import (
	"os"
	"path/filepath"
	"testing"
)

// Helpers shared by the package's white-box tests.

// exampleSpec parses content/examples/<name>.json, failing the test on any
// error diagnostic.
func exampleSpec(t testing.TB, name string) *Spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return wireParse(t, data)
}

// model normalizes s in place and resolves it, as Parse does, without
// validating: tests that build or edit a spec in Go go through it.
func model(s *Spec) *fleet {
	normalize(s)
	return resolve(s, nil)
}

// fleetOf is model for the public API.
func fleetOf(s *Spec) *Fleet { return &Fleet{m: model(s)} }

// runEmitters runs emitters in order on s and returns path -> contents.
func runEmitters(t testing.TB, s *Spec, emitters []func(*build)) map[string]string {
	t.Helper()
	b := &build{spec: model(s), files: map[string]File{}}
	for _, e := range emitters {
		e(b)
		if b.err != nil {
			t.Fatalf("emit: %v", b.err)
		}
	}
	out := map[string]string{}
	for p, f := range b.files {
		out[p] = string(f.Data)
	}
	return out
}
