package gen

import _ "embed"

// Fixed files are generated files that read nothing of the spec. Each is
// kept as its text (gen/fixed/<its path in the repository>), as the base
// files are (gen/base/), not as calls that build its tree at every
// generation: in the size-budgeted wasm module those calls (and the
// terranix files' trees as static data) were about 27 KB, and the same text
// compresses to a fraction of it. Their trees are in fixed_test.go, written
// with the generator's constants: TestFixedFilesArePrinted requires each
// text to be what its tree prints (-update rewrites them), and
// TestNixfmtIdentical and the goldens check them with every other file.
var (
	// Flake-parts options of their own, not under flake: options under
	// flake become flake outputs, which `nix flake check` reports as
	// unknown (vanixiets keeps its overlay list the same way, as a
	// top-level option). Keys sort by layer number, and attrValues
	// returns values in key order, so the layers compose 1 -> 5 whatever
	// order import-tree loads the files in.
	//
	//go:embed fixed/modules/nixpkgs/overlays-option.nix
	fixedOverlayOption []byte

	// Layer 3, pkgs/by-name, through pkgs-by-name-for-flake-parts'
	// flakeModule (perSystem.pkgsDirectory); compose.nix adds
	// legacyPackages to the overlay.
	//
	//go:embed fixed/modules/nixpkgs/packages.nix
	fixedPackagesModule []byte

	// perSystem's pkgs from the layer list, not overlays.default:
	// overlays.default reads perSystem packages (layer 3), which are built
	// with this very pkgs, so using it would be infinite recursion.
	// `config = { }` keeps nixpkgs' impure.nix from reading the user's
	// ~/.config/nixpkgs/config.nix under --impure.
	//
	//go:embed fixed/modules/nixpkgs/per-system.nix
	fixedPerSystemPkgs []byte

	//go:embed fixed/modules/checks/performance.nix
	fixedChecksPerformance []byte

	// flake.modules.homeManager.base-sops. On macOS, home-manager's
	// setupLaunchAgents fails the activation when an agent does not start
	// (modules/launchd), and the gui domain it uses by default exists only
	// during a graphical login; its domain option's "user" is for agents
	// that run without one (the option's news entry), which decryption
	// does. sops-nix (modules/home-manager/sops.nix) adds an activation
	// step that boots the agent out of and back into gui/<uid>, unordered,
	// and under home-manager's set -e a failed bootstrap stops the switch
	// (Mic92/sops-nix#910: it can run before the plist exists, and without
	// a gui domain); the file replaces it by a kickstart after home-manager
	// has set the agent up, in its domain, that cannot fail the switch.
	//
	//go:embed fixed/modules/home/base-sops.nix
	fixedBaseSops []byte

	// The Hetzner provider, the token's data source and the state
	// passphrase's variable (base.nix); the terranix configuration and its
	// wrapper script, tfWrapperPrefix (config.nix).
	//
	//go:embed fixed/modules/terranix/base.nix
	fixedTerranixBase []byte
	//go:embed fixed/modules/terranix/config.nix
	fixedTerranixConfig []byte
)
