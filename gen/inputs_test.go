package gen

// Tests of the flake input table (inputs.go).

import (
	"strings"
	"testing"
)

// TestFlakeInputFollows: a follows for an input the other flake does not
// declare is a warning on every Nix command. The expectations come from
// the upstream flake.nix files: nix-unit declares nixpkgs, treefmt-nix and
// nix-github-actions (no flake-parts); pkgs-by-name-for-flake-parts and
// import-tree declare none; terranix declares flake-parts, nixpkgs and
// systems; a spec's overlay flake's inputs are unknown, so only its
// nixpkgs follows ours.
func TestFlakeInputFollows(t *testing.T) {
	s := exampleSpec(t, "seed")
	for _, c := range []struct {
		input string
		want  string
	}{
		{inNixUnit, "nixpkgs>nixpkgs treefmt-nix>treefmt-nix"},
		{inPkgsByName, ""},
		{inImportTree, ""},
		{inTerranix, "nixpkgs>nixpkgs flake-parts>flake-parts"},
		{inFlakeParts, "nixpkgs-lib>nixpkgs"},
		{inClanCore, "nixpkgs>nixpkgs flake-parts>flake-parts nix-darwin>nix-darwin disko>disko sops-nix>sops-nix treefmt-nix>treefmt-nix"},
		// A flake overlay's nixpkgs follows ours: nuenv's
		// writeShellApplication branch has one (its flake.nix).
		{"nuenv", "nixpkgs>nixpkgs"},
	} {
		var got []string
		for _, f := range inputFollows(model(s), c.input) {
			got = append(got, f[0]+">"+f[1])
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s follows %q, want %q", c.input, strings.Join(got, " "), c.want)
		}
	}
	// Only inputs flake.nix declares are followed: without Macs, clan-core's
	// nix-darwin is left alone.
	m := exampleSpec(t, "minimal")
	for _, f := range inputFollows(model(m), inClanCore) {
		if f[1] == inNixDarwin || f[1] == inSopsNix {
			t.Errorf("minimal: clan-core follows %s, which flake.nix lacks", f[1])
		}
	}
}
