package gen

import (
	"os"
	"path/filepath"
	"testing"
)

// Every pattern has a unique name, and the ones that say they have a docs
// page have it at content/docs/<name>.md (the slug the site links to).
func TestPatternNamesAndPages(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range patterns {
		if p.name == "" || seen[p.name] {
			t.Errorf("pattern name %q is empty or repeated", p.name)
		}
		seen[p.name] = true
		if p.emit == nil {
			t.Errorf("%s: no emit function", p.name)
		}
		if !p.page {
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "content", "docs", p.name+".md")); err != nil {
			t.Errorf("%s: says it has a docs page, but %v", p.name, err)
		}
	}
}

// The inputs flake.nix declares are exactly the union of what the patterns
// ask for, and each is a known input (inputTable) or a flake-overlay input
// of the spec.
func TestPatternInputs(t *testing.T) {
	for _, name := range []string{"minimal", "seed", "large"} {
		s := model(exampleSpec(t, name))
		overlayInputs := map[string]bool{}
		for _, f := range s.Overlays.FlakeOverlays {
			overlayInputs[f.Input] = true
		}
		for _, n := range inputNames(s) {
			if _, fixed := inputTable[n]; !fixed && !overlayInputs[n] {
				t.Errorf("%s: input %s is neither in inputTable nor a flake-overlay input", name, n)
			}
			if !s.inputs[n] {
				t.Errorf("%s: flake.nix declares %s but no pattern asked for it", name, n)
			}
		}
		if len(inputNames(s)) != len(s.inputs) {
			t.Errorf("%s: patterns ask for %d inputs, flake.nix declares %d", name, len(s.inputs), len(inputNames(s)))
		}
	}
}
