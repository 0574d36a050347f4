package gen

// Tests of the overlay-layers pattern (emit_overlays.go): the five layers,
// compose.nix and pkgs/by-name.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

func TestOverlayFiles(t *testing.T) {
	minimal := runEmitters(t, exampleSpec(t, "minimal"), featureEmitters)
	seed := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	for _, p := range []string{pathOverlayOption, pathChannels, pathHotfixes, pathOverrides, pathCompose, pathPerSystemPkgs} {
		if _, ok := minimal[p]; !ok {
			t.Errorf("minimal: %s missing (always emitted)", p)
		}
	}
	for _, p := range []string{pathFlakeInputs, pathPackagesMod} {
		if _, ok := minimal[p]; ok {
			t.Errorf("minimal: %s emitted without flake overlays/packages", p)
		}
		if _, ok := seed[p]; !ok {
			t.Errorf("seed: %s missing", p)
		}
	}
	// Only inputs flake.nix declares are referenced: minimal has no Mac.
	if strings.Contains(minimal[pathChannels], inDarwinStable) {
		t.Error("minimal: channels.nix references nixpkgs-darwin-stable, which flake.nix lacks")
	}
	if !strings.Contains(minimal[pathChannels], "stable = channel inputs.nixpkgs-linux-stable;") {
		t.Errorf("minimal: channels.nix does not take stable from linux-stable:\n%s", minimal[pathChannels])
	}
	if strings.Contains(minimal[pathCompose], "withSystem") {
		t.Error("minimal: compose.nix joins pkgs/by-name packages although there are none")
	}
	// The compose header shows the layers 1 -> 5 in order.
	compose := seed[pathCompose]
	last := -1
	for _, l := range []string{"1 channels", "2 hotfixes", "3 pkgs/by-name", "4 overrides", "5 flake inputs"} {
		i := strings.Index(compose, l)
		if i <= last {
			t.Errorf("compose.nix: %q missing or out of order", l)
		}
		last = i
	}
	if !strings.Contains(compose, "lib.composeManyExtensions config.nixpkgsOverlays final prev // byName") {
		t.Errorf("compose.nix does not compose the layers then add pkgs/by-name:\n%s", compose)
	}
	if !strings.Contains(seed[pathHotfixes], "# fmt 11 build failure on unstable (added 2025-11-20)\n") {
		t.Errorf("hotfixes.nix lacks the reason/date comment:\n%s", seed[pathHotfixes])
	}
	if got := seed["pkgs/by-name/ccstatusline/package.nix"]; !strings.Contains(got, `description = "status line for Claude Code";`) {
		t.Errorf("package.nix lacks meta.description:\n%s", got)
	}
}

// TestOverlayCompositionEval evaluates the generated layer files, the
// option module and compose.nix with builtins-only stand-ins and applies
// the overlay to a fake package set, on Darwin and Linux. The files are
// merged in reverse alphabetical order on purpose: the result must not
// depend on the order import-tree loads them.
//
// The perSystem stand-in has what pkgs-by-name-for-flake-parts
// (flake-module.nix) defines: legacyPackages is the whole pkgsDirectory
// tree (lib.filesystem.packagesFromDirectoryRecursive), including a
// package the user added after generating (hello-later), and packages also
// holds other modules' packages (terraform, terranix's), which must not
// reach the overlay.
func TestOverlayCompositionEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	dir := t.TempDir()
	for name, label := range map[string]string{"unstable": "unstable", "linux": "linux-stable", "darwin": "darwin-stable"} {
		// A channel passes overlays = [ ]: without it nixpkgs'
		// pkgs/top-level/impure.nix reads the user's ~/.config/nixpkgs/overlays
		// under --impure, and pkgs.stable would differ between admins.
		src := `{ system, config, overlays }: assert overlays == [ ]; { name = "` + label + `"; inherit system; micromamba = "stable-micromamba"; }`
		if err := os.WriteFile(filepath.Join(dir, name+".nix"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := `{ inherit lib inputs config withSystem; "flake-parts-lib" = { mkSubmoduleOptions = o: o; }; }`
	expr := `let
  lib = ` + nixLib + `;
  inputs = {
    nixpkgs = ` + dir + `/unstable.nix;
    nixpkgs-linux-stable = ` + dir + `/linux.nix;
    nixpkgs-darwin-stable = ` + dir + `/darwin.nix;
    # Layer 5 records what it saw in prev: it must run after layers 1, 2 and 4.
    nuenv.overlays.nuenv = final: prev: {
      sawStable = prev ? stable;
      sawHotfix = prev.micromamba;
      sawOverride = prev.ripgrep ? overridden;
    };
  };
  withSystem = system: f: f {
    config.packages = { ccstatusline = "ccstatusline-" + system; hello-later = "hello-later-" + system; terraform = "not-layer-3"; };
    config.legacyPackages = { ccstatusline = "ccstatusline-" + system; hello-later = "hello-later-" + system; };
  };
  config = {
    systems = [ "aarch64-darwin" "x86_64-linux" ];
    nixpkgsOverlayLayers = layers;
    nixpkgsOverlays = (` + callModule(t, files, pathOverlayOption, args) + `).options.nixpkgsOverlays.default;
  };
  layers = builtins.foldl' (acc: m: acc // m.nixpkgsOverlayLayers) { } [
    ` + callModule(t, files, pathFlakeInputs, args) + `
    ` + callModule(t, files, pathOverrides, args) + `
    ` + callModule(t, files, pathHotfixes, args) + `
    ` + callModule(t, files, pathChannels, args) + `
  ];
  overlay = (` + callModule(t, files, pathCompose, args) + `).flake.overlays.default;
  pkgsFor = platform: let
    prev = {
      stdenv.hostPlatform = platform;
      config = { };
      micromamba = "unstable-micromamba";
      ripgrep.overrideAttrs = f: { overridden = f { }; };
    };
    final = prev // overlay final prev;
  in final;
  show = p: {
    stable = p.stable.name;
    stableSystem = p.stable.system;
    unstable = p.unstable.name;
    inherit (p) micromamba sawStable sawHotfix sawOverride ccstatusline hello-later;
    ripgrepDoCheck = p.ripgrep.overridden.doCheck;
    leaksOtherPackages = p ? terraform;
  };
in {
  layerKeys = builtins.attrNames layers;
  overlayCount = builtins.length config.nixpkgsOverlays;
  darwin = show (pkgsFor { system = "aarch64-darwin"; isDarwin = true; isLinux = false; });
  linux = show (pkgsFor { system = "x86_64-linux"; isDarwin = false; isLinux = true; });
}`
	got := evalNix(t, expr)
	equalJSON(t, "overlay composition", got, `{
  "layerKeys": ["1-channels", "2-hotfixes", "4-overrides", "5-flake-inputs"],
  "overlayCount": 4,
  "darwin": {"stable": "darwin-stable", "stableSystem": "aarch64-darwin", "unstable": "unstable",
    "micromamba": "stable-micromamba", "sawStable": true, "sawHotfix": "stable-micromamba", "sawOverride": true,
    "ccstatusline": "ccstatusline-aarch64-darwin", "hello-later": "hello-later-aarch64-darwin", "ripgrepDoCheck": false, "leaksOtherPackages": false},
  "linux": {"stable": "linux-stable", "stableSystem": "x86_64-linux", "unstable": "unstable",
    "micromamba": "unstable-micromamba", "sawStable": true, "sawHotfix": "unstable-micromamba", "sawOverride": true,
    "ccstatusline": "ccstatusline-x86_64-linux", "hello-later": "hello-later-x86_64-linux", "ripgrepDoCheck": false, "leaksOtherPackages": false}
}`)
	if want := overlayLayerKeys(model(exampleSpec(t, "seed"))); !reflect.DeepEqual(want, []string{layerChannels, layerHotfixes, layerOverrides, layerFlakeInputs}) {
		t.Errorf("overlayLayerKeys (used by the nix-unit test) = %v", want)
	}
}

// TestPackageEval evaluates a pkgs/by-name package with stand-ins for
// stdenvNoCC and writeShellScript.
func TestPackageEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	got := evalNix(t, `let
  drv = `+nixFile(t, files, "pkgs/by-name/ccstatusline/package.nix")+` {
    lib = `+nixLib+`;
    stdenvNoCC.mkDerivation = f: let a = f a; in a;
    writeShellScript = name: text: "/store/" + name + "<" + text + ">";
  };
in { inherit (drv) pname version installPhase; inherit (drv.meta) description mainProgram; }`)
	equalJSON(t, "package", got, `{"pname": "ccstatusline", "version": "0.1.0",
  "installPhase": "runHook preInstall\ninstall -Dm755 /store/placeholder<echo 'ccstatusline 0.1.0 (placeholder)'> \"$out/bin/\"'ccstatusline'\nrunHook postInstall\n",
  "description": "status line for Claude Code", "mainProgram": "ccstatusline"}`)
}

// TestOverlayHostileText: reasons and package names from the spec cannot
// escape their comment or attribute name.
func TestOverlayHostileText(t *testing.T) {
	s := exampleSpec(t, "seed")
	s.Overlays.Hotfixes = append(s.Overlays.Hotfixes, Hotfix{
		Package:   `x"; evil = builtins.abort "pwned"; y = "`,
		Platforms: []string{"darwin", "linux"},
		Reason:    "line one\n}; evil = true; #\r\nline three ${builtins.abort \"x\"}",
		Added:     "2025-01-01\nevil = 1;",
	})
	s.Overlays.Overrides = append(s.Overlays.Overrides, Override{Package: "a.b", Reason: "\u2028evil = true;"})
	files := runEmitters(t, s, featureEmitters)
	for _, p := range []string{pathHotfixes, pathOverrides} {
		nixtest.Parse(t, []byte(files[p]))
		for _, line := range strings.Split(files[p], "\n") {
			if strings.Contains(line, "evil") && !strings.HasPrefix(strings.TrimSpace(line), "#") && !strings.Contains(line, `"x\"; evil`) {
				t.Errorf("%s: hostile text outside a comment or string: %q", p, line)
			}
		}
	}
	got := evalNix(t, `let
  lib = `+nixLib+`;
  m = `+callModule(t, files, pathHotfixes, "{ inherit lib; }")+`;
  ov = builtins.head m.nixpkgsOverlayLayers."2-hotfixes";
in builtins.attrNames (ov { stable = { }; } { stdenv.hostPlatform = { isDarwin = true; isLinux = false; }; })`)
	equalJSON(t, "hotfix names", got, `["micromamba", "x\"; evil = builtins.abort \"pwned\"; y = \""]`)
}

// A package name that could not be a directory under pkgs/by-name is
// refused by Parse (the one validator), positioned on the field; the
// emitter does not check again.
func TestOverlayBadPackageName(t *testing.T) {
	for _, name := range []string{"../etc", "a/b", "", ".hidden", "-x", "a b", "_foo"} {
		q, _ := json.Marshal(name)
		_, diags := Parse([]byte(h + nm + `,"overlays":{"packages":[{"name":` + string(q) + `}]}}`))
		found := false
		for _, d := range diags {
			found = found || d.Path == "overlays.packages[0].name" && d.Severity == Error && d.Line > 0
		}
		if !found {
			t.Errorf("package name %q: diagnostics %v, want an error at overlays.packages[0].name", name, diags)
		}
	}
}

// TestComposeListsOnlyPresentLayers: compose.nix's comment names the layer
// files of this repository only.
func TestComposeListsOnlyPresentLayers(t *testing.T) {
	minimal := runEmitters(t, exampleSpec(t, "minimal"), plainEmitters)
	seed := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	for _, c := range []struct {
		files map[string]string
		line  string
		file  string
	}{
		{minimal, "3 pkgs/by-name", "pkgs/by-name/"},
		{minimal, "5 flake inputs", pathFlakeInputs},
		{seed, "3 pkgs/by-name", "pkgs/by-name/"},
		{seed, "5 flake inputs", pathFlakeInputs},
	} {
		listed := strings.Contains(c.files[pathCompose], c.line)
		exists := false
		for p := range c.files {
			exists = exists || strings.HasPrefix(p, c.file)
		}
		if listed != exists {
			t.Errorf("compose.nix lists %q: %v, but the repository has %s: %v", c.line, listed, c.file, exists)
		}
	}
}

// TestNoFlakeOutputsOutsideTheSchema: the overlay layers are options of the
// flake-parts modules, not of `flake` (which would make them flake outputs
// that `nix flake check` reports as unknown).
func TestNoFlakeOutputsOutsideTheSchema(t *testing.T) {
	for _, ex := range []string{"seed", "large", "minimal"} {
		for p, src := range runEmitters(t, exampleSpec(t, ex), plainEmitters) {
			if strings.Contains(src, "flake.nixpkgsOverlay") || strings.Contains(src, "options.flake") {
				t.Errorf("%s: %s defines flake outputs outside the flake schema", ex, p)
			}
		}
	}
}

// TestOverlayCommentsNameThePresentLayers: the comments about composition
// name the layers the repository has. compose.nix's "Layers … are composed"
// line lists exactly the nixpkgsOverlayLayers keys (minus layer 3, which is
// joined separately), and a machine module does not speak of "five" layers
// in a fleet that has fewer (minimal has no pkgs/by-name and no flake
// overlays).
func TestOverlayCommentsNameThePresentLayers(t *testing.T) {
	for _, ex := range []string{"minimal", "seed", "large"} {
		t.Run(ex, func(t *testing.T) {
			s := exampleSpec(t, ex)
			files := runEmitters(t, s, plainEmitters)
			var nums []string
			for _, k := range overlayLayerKeys(model(s)) {
				nums = append(nums, k[:1])
			}
			want := "Layers " + strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1] + " are composed in that order"
			if !strings.Contains(files[pathCompose], want) {
				t.Errorf("compose.nix lacks %q:\n%s", want, files[pathCompose])
			}
			layers := len(nums)
			if len(s.Overlays.Packages) > 0 {
				layers++
			}
			for p, src := range files {
				if strings.HasPrefix(p, "modules/machines/") && strings.Contains(src, "All five overlay layers") && layers != 5 {
					t.Errorf("%s speaks of five overlay layers; the fleet has %d", p, layers)
				}
			}
		})
	}
}

// TestPerSystemPkgsArgs evaluates per-system.nix with nixpkgs standing in
// as a function that returns what it was called with. config must be given:
// an import without it has nixpkgs' pkgs/top-level/impure.nix read the
// user's ~/.config/nixpkgs/config.nix under --impure, so perSystem pkgs
// (packages, checks, dev shells) would differ from the machines', whose
// NixOS and nix-darwin nixpkgs modules always pass one.
func TestPerSystemPkgsArgs(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	stub := filepath.Join(t.TempDir(), "nixpkgs.nix")
	if err := os.WriteFile(stub, []byte("args: args\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := evalNix(t, `let
  m = `+callModule(t, files, pathPerSystemPkgs, `{ inputs.nixpkgs = `+stub+`; config.nixpkgsOverlays = [ "layers" ]; }`)+`;
in (m.perSystem { system = "x86_64-linux"; })._module.args.pkgs`)
	equalJSON(t, "per-system pkgs arguments", got, `{"system": "x86_64-linux", "config": {}, "overlays": ["layers"]}`)
}
