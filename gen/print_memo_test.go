package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Generate prints through a nix.Memo (build.memo), which writes the
// bindings it has seen from memory; the emitters run without one print
// every file in full. Over the examples and the combination specs, the
// two must give the same bytes for every file: the memo saves work and
// changes nothing (nix's TestMemoPrintsAsPrint holds it over random trees).
func TestPrintMemoChangesNothing(t *testing.T) {
	specs := map[string]*Spec{}
	for _, name := range exampleNames {
		specs[name] = exampleSpec(t, name)
	}
	combos, _ := filepath.Glob(filepath.Join("testdata", "combos", "*.json"))
	for _, p := range combos {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		specs[strings.TrimSuffix(filepath.Base(p), ".json")] = parseSpec(t, data)
	}
	for name, s := range specs {
		plain := runEmitters(t, s, plainEmitters)
		files, err := Generate(fleetOf(s), secretsOptions())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		nixFiles := 0
		for _, f := range files {
			want, ok := plain[f.Path]
			if !ok || f.Path == "README.md" {
				continue // the README names the secret stubs' files
			}
			if strings.HasSuffix(f.Path, ".nix") {
				nixFiles++
			}
			if string(f.Data) != want {
				t.Errorf("%s: %s through the memo differs from its plain print", name, f.Path)
			}
		}
		if nixFiles == 0 {
			t.Errorf("%s: no .nix file compared", name)
		}
	}
}
