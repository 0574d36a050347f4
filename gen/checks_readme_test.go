package gen

// The README's "Check the flake" step names the checks the repository has.

import (
	"strings"
	"testing"
)

// TestReadmeNamesTheChecksThatExist: the step lists a check category exactly
// when its file is generated. The check names come from upstream: the
// nix-unit flake module adds checks.<system>.nix-unit (nix-community/nix-unit
// lib/modules/flake/system.nix), treefmt-nix's flake module adds
// checks.<system>.treefmt by default (numtide/treefmt-nix flake-module.nix,
// flakeCheck), and the VM tests exist only for NixOS machines on Linux
// systems (integration.nix, lib.optionalAttrs isLinux), where they build
// only with KVM: nixpkgs' nixos/lib/testing/run.nix gives the test's
// derivation requiredSystemFeatures "nixos-test" and, on a Linux host,
// "kvm", which Nix offers only where /dev/kvm exists.
func TestReadmeNamesTheChecksThatExist(t *testing.T) {
	no, yes := false, true
	for _, c := range []struct {
		name string
		edit func(*Spec)
	}{
		{"defaults", func(*Spec) {}},
		{"no nix-unit", func(s *Spec) { s.Checks.NixUnit = &no }},
		{"no validation", func(s *Spec) { s.Checks.Validation = &no }},
		{"no VM tests", func(s *Spec) { s.Checks.Integration = &no }},
		{"performance", func(s *Spec) { s.Checks.Performance = &yes }},
		{"nothing optional", func(s *Spec) { s.Checks = Checks{NixUnit: &no, Integration: &no, Validation: &no} }},
		{"Macs only", func(s *Spec) {
			var macs []Machine
			for _, m := range s.Machines {
				if m.Class == string(classDarwin) {
					macs = append(macs, m)
				}
			}
			s.Machines = macs
			for i := range s.Users {
				s.Users[i].Machines = []string{"blackphos"}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := exampleSpec(t, "seed")
			c.edit(s)
			files := runEmitters(t, s, plainEmitters)
			step, ok := readmeStepText(files["README.md"], "Check the flake")
			if !ok {
				t.Fatal("README has no step \"Check the flake\"")
			}
			step = strings.Join(strings.Fields(step), " ") // phrases may wrap
			for _, k := range []struct{ phrase, file string }{
				{"nix-unit tests", pathNixUnit},
				{"validation scripts", pathValidation},
				{"VM tests, on Linux with KVM only (`/dev/kvm`)", pathIntegration},
				{"performance placeholder", pathPerformance},
				{"formatting check", "modules/formatting.nix"},
			} {
				_, has := files[k.file]
				if says := strings.Contains(step, k.phrase); says != has {
					t.Errorf("README mentions %q: %v, but %s generated: %v\n%s", k.phrase, says, k.file, has, step)
				}
			}
		})
	}
}

// readmeStepText is the text of the bootstrap step titled title, up to the
// next heading.
func readmeStepText(md, title string) (string, bool) {
	_, rest, ok := strings.Cut(md, ". "+title+"\n")
	if !ok {
		return "", false
	}
	if i := strings.Index(rest, "\n#"); i >= 0 {
		rest = rest[:i]
	}
	return rest, true
}
