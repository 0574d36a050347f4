package gen

// flakeInput is one fixed input of the generated flake.nix: where it comes
// from, the revision Fleetyard evaluated the generated modules against (if
// any), and the inputs its own flake.nix declares, so that flake.nix lists a
// follows only for an input that exists on both sides (a follows for an
// input the other flake lacks is a warning on every Nix command).
type flakeInput struct {
	// name is the input's name in flake.nix (the in* constants).
	name string
	// URL is the flake reference without a revision; the nixpkgs inputs
	// take their branch from the spec instead (inputURL).
	URL string
	// Rev, when set, pins the input to the revision whose option
	// interfaces the generator's output is checked against in CI (the
	// upstream snapshots of check-repo.sh; TestInputPinsMatchUpstream keeps
	// them equal). A pinned input stays put on `nix flake update` until its
	// ref is edited.
	Rev string
	// Tarball says the URL is an archive URL whose revision is written as
	// <URL-prefix>/archive/<rev>.tar.gz (clan-core's forge).
	Tarball bool
	// Inputs are the inputs its flake.nix declares, read from the upstream
	// flake.nix at Rev (or its head): each is followed when flake.nix
	// declares an input of the same name (nixpkgs-lib follows nixpkgs).
	Inputs []string
	// Comment says why the input is there, a line per "\n"; empty for the
	// always-present ones.
	Comment string
}

// inputTable is the single table of the fixed inputs. It is a slice
// searched by name (fixedInput), not a map: a map literal is built by init
// code (7 KB of the wasm module), a slice of structs is static data.
var inputTable = []flakeInput{
	{name: inNixpkgs, URL: "github:NixOS/nixpkgs"},
	{name: inLinuxStable, URL: "github:NixOS/nixpkgs", Comment: "`pkgs.stable` on Linux (overlay layer 1) and hotfixes."},
	{name: inDarwinStable, URL: "github:NixOS/nixpkgs", Comment: "`pkgs.stable` on macOS (overlay layer 1) and hotfixes."},
	// hercules-ci/flake-parts flake.nix: nixpkgs-lib.
	{name: inFlakeParts, URL: "github:hercules-ci/flake-parts", Rev: "427bf4bd9435fdf21321c8cc628c24efc14c0f7a", Inputs: []string{"nixpkgs-lib"}},
	// vic/import-tree has no inputs.
	{name: inImportTree, URL: "github:vic/import-tree", Rev: "c41e7d58045f9057880b0d85e1152d6a4430dbf1"},
	// clan-core flake.nix: nixpkgs, nix-darwin, flake-parts, disko,
	// sops-nix, systems, treefmt-nix, nix-select, data-mesher.
	{name: inClanCore, URL: "https://git.clan.lol/clan/clan-core", Tarball: true, Rev: "d7c35d9127af3f773b57d8e792818597a9aaa29c",
		Inputs: []string{"nixpkgs", "flake-parts", "nix-darwin", "disko", "sops-nix", "treefmt-nix"}},
	{name: inNixDarwin, URL: "github:nix-darwin/nix-darwin", Rev: "a1fa429e945becaf60468600daf649be4ba0350c", Inputs: []string{"nixpkgs"}, Comment: "darwin machines. Pinned on its " + develRelease + " development branch, which refuses a nixpkgs\nof an earlier release."},
	{name: inHomeManager, URL: "github:nix-community/home-manager", Rev: "ec1a8fdf74ed3f276148ee106299a2ba0e65d51f", Inputs: []string{"nixpkgs"}, Comment: "Users' home-manager configurations. Pinned on its " + develRelease + " development branch: once\nnixpkgs-unstable is past " + develRelease + ", each switch warns that the versions differ\n(home.enableNixpkgsReleaseCheck) until this pin moves to a matching revision."},
	{name: inSopsNix, URL: "github:Mic92/sops-nix", Rev: "56b24064fdcaedca53553b1a6d607fd23b613a24", Inputs: []string{"nixpkgs"}, Comment: "Users' secrets (home-manager sops-nix)."},
	// terranix flake.nix: flake-parts, nixpkgs, systems.
	{name: inTerranix, URL: "github:terranix/terranix", Inputs: []string{"nixpkgs", "flake-parts"}, Comment: "Hetzner Cloud servers (terranix toggle)."},
	{name: inDisko, URL: "github:nix-community/disko", Inputs: []string{"nixpkgs"}, Comment: "Disk layouts of the NixOS machines."},
	{name: inSrvos, URL: "github:nix-community/srvos", Inputs: []string{"nixpkgs"}, Comment: "Hetzner Cloud hardware profiles."},
	{name: inTreefmtNix, URL: "github:numtide/treefmt-nix", Inputs: []string{"nixpkgs"}},
	// nix-unit flake.nix: nixpkgs, treefmt-nix, nix-github-actions (no
	// flake-parts).
	{name: inNixUnit, URL: "github:nix-community/nix-unit", Inputs: []string{"nixpkgs", "treefmt-nix"}, Comment: "Evaluation tests (the nix-unit check)."},
	// drupol/pkgs-by-name-for-flake-parts declares no inputs.
	{name: inPkgsByName, URL: "github:drupol/pkgs-by-name-for-flake-parts", Comment: "Custom packages under pkgs/by-name (overlay layer 3)."},
}

// fixedInput returns the table entry of a fixed input, and false for other
// names (flake-overlay inputs).
func fixedInput(name string) (flakeInput, bool) {
	for i := range inputTable {
		if inputTable[i].name == name {
			return inputTable[i], true
		}
	}
	return flakeInput{}, false
}

// inputURL is the flake reference of an input of flake.nix: the nixpkgs
// branches come from the spec's channels, pinned inputs carry their
// revision, and flake-overlay inputs use the spec's URL as written.
func inputURL(s *fleet, name string) string {
	switch name {
	case inNixpkgs:
		return "github:NixOS/nixpkgs/" + s.Channels.Unstable
	case inLinuxStable:
		return "github:NixOS/nixpkgs/" + s.Channels.NixOS
	case inDarwinStable:
		return "github:NixOS/nixpkgs/" + s.Channels.Darwin
	}
	if in, ok := fixedInput(name); ok {
		switch {
		case in.Rev == "":
			return in.URL
		case in.Tarball:
			return in.URL + "/archive/" + in.Rev + ".tar.gz"
		default:
			return in.URL + "/" + in.Rev
		}
	}
	for _, f := range s.Overlays.FlakeOverlays {
		if f.Input == name {
			return f.URL
		}
	}
	return ""
}

// inputFollows lists, for an input, which of its own inputs follow which of
// ours (its input name -> our input name), so the lock file holds one
// nixpkgs and one copy of each shared dependency. Only inputs that exist on
// both sides are listed. A flake-overlay input's own inputs are unknown
// here; its nixpkgs follows ours, since its overlay is applied to this
// flake's packages and its own nixpkgs would only be one more download (Nix
// only warns about a follows for an input the flake does not have).
func inputFollows(s *fleet, name string) [][2]string {
	var out [][2]string
	in, fixed := fixedInput(name)
	if !fixed {
		return [][2]string{{inNixpkgs, inNixpkgs}}
	}
	for _, theirs := range in.Inputs {
		ours := theirs
		if theirs == "nixpkgs-lib" {
			ours = inNixpkgs
		}
		if inputNeeded(s, ours) {
			out = append(out, [2]string{theirs, ours})
		}
	}
	return out
}

// inputComment says why an optional input is present.
func inputComment(s *fleet, name string) string {
	if in, ok := fixedInput(name); ok {
		return in.Comment
	}
	return "Flake overlay (overlay layer 5). Its nixpkgs follows ours (drop the line if Nix warns it has none)."
}
