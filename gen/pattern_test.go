package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen/nix"
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
			if _, fixed := fixedInput(n); !fixed && !overlayInputs[n] {
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

// A pattern plugs in by being a value in the table: this one, declared
// here and nowhere else, gets its input into flake.nix, an import and a
// setting into every machine module, a nix-unit test, a README step and a
// file of its own, with no other file knowing about it.
func TestPatternPlugsIn(t *testing.T) {
	probe := &pattern{
		name:   "probe",
		inputs: func(*fleet) []string { return []string{inSrvos} },
		machine: func(_ *fleet, m *machine, mm *machineModule) {
			mm.importAt(importHardware, ref("inputs.srvos.nixosModules.probe"))
			mm.bindAt(bindHome+1, nix.Bind(nix.Str("probe-"+m.Name), "probe"))
		},
		tests: func(*fleet) []nix.Binding {
			return []nix.Binding{unitTest("testProbe", "The probe pattern's test.", nix.Bool(true), nix.Bool(true))}
		},
		bootstrap: func(*fleet) []readmeStep {
			return []readmeStep{{rank: stepCheck + 1, title: "Probe the fleet", body: func(w *mdWriter) { w.line("probe step") }}}
		},
		emit: func(b *build) { b.add("probe.txt", []byte("probe\n")) },
	}
	saved := patterns
	patterns = append(append([]*pattern(nil), saved[:len(saved)-2]...), probe, saved[len(saved)-2], saved[len(saved)-1])
	defer func() { patterns = saved }()

	s := model(exampleSpec(t, "minimal"))
	files, owner, err := generateOwned(s, Options{Entropy: make([]byte, 32), Time: time.Unix(0, 0)}, nil, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Data)
	}
	for _, c := range []struct{ path, want string }{
		{"flake.nix", "srvos"},
		{"modules/machines/nixos/server/default.nix", "inputs.srvos.nixosModules.probe"},
		{"modules/machines/nixos/server/default.nix", `probe = "probe-server";`},
		{"modules/checks/nix-unit.nix", "testProbe"},
		{"README.md", ". Probe the fleet"},
		{"probe.txt", "probe"},
	} {
		if !strings.Contains(got[c.path], c.want) {
			t.Errorf("%s does not contain %q", c.path, c.want)
		}
	}
	if owner["probe.txt"] != "probe" {
		t.Errorf("probe.txt is owned by %q", owner["probe.txt"])
	}
	if !strings.Contains(got[ManifestPath], "probe.txt") {
		t.Error("the manifest does not hash the probe's file")
	}
}
