package gen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// Tests for patterns 2, 3, 7, 8 and the README run those emitters alone
// (helpers prefixed "pat"), so they do not depend on the other patterns'
// state. Generated Nix is checked with the real nix-instantiate: parsed,
// and where it can be done without nixpkgs (not available offline),
// evaluated with small builtins-only stand-ins for lib, pkgs and inputs.

// patEmitters are the emitters under test, in Generate's order.
var patEmitters = []func(*build){emitOverlays, emitHome, emitTerranix, emitChecks, emitReadme}

// patPrefixes are the paths those emitters own.
var patPrefixes = []string{"modules/nixpkgs/", "pkgs/by-name/", "modules/home/", "modules/terranix/", "modules/checks/", "README.md"}

// patEval evaluates expr strictly and decodes the JSON result.
func patEval(t testing.TB, expr string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(nixtest.EvalJSON(t, expr), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// patEqual compares a decoded JSON value with a JSON literal.
func patEqual(t testing.TB, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("%s:\n got %s\nwant %s", what, g, want)
	}
}

// patFile returns a generated file wrapped in parentheses for embedding in
// an expression, failing when it was not generated.
func patFile(t testing.TB, files map[string]string, path string) string {
	t.Helper()
	src, ok := files[path]
	if !ok {
		t.Fatalf("%s was not generated", path)
	}
	return "(\n" + src + "\n)"
}

// patCall applies a flake-parts module file to args, or returns it when it
// is a plain attribute set.
func patCall(t testing.TB, files map[string]string, path, args string) string {
	t.Helper()
	return "(let m = " + patFile(t, files, path) + "; in if builtins.isFunction m then m " + args + " else m)"
}

// patLib is a builtins-only stand-in for the parts of nixpkgs' lib the
// generated modules use, with the same semantics.
const patLib = `rec {
  mkOption = o: o;
  mkDefault = x: x;
  types = { attrsOf = t: t; listOf = t: t; raw = "raw"; };
  concatLists = builtins.concatLists;
  attrValues = builtins.attrValues;
  elem = builtins.elem;
  optionalAttrs = c: s: if c then s else { };
  getAttrs = names: set: builtins.listToAttrs (map (n: { name = n; value = set.${n}; }) names);
  filterAttrs = pred: set: builtins.listToAttrs (map (n: { name = n; value = set.${n}; })
    (builtins.filter (n: pred n set.${n}) (builtins.attrNames set)));
  mapAttrs = builtins.mapAttrs;
  mapAttrs' = f: set: builtins.listToAttrs (map (n: f n set.${n}) (builtins.attrNames set));
  nameValuePair = name: value: { inherit name value; };
  escapeShellArg = s: "'" + s + "'";
  escapeShellArgs = l: builtins.concatStringsSep " " (map escapeShellArg l);
  getExe = d: "/bin/" + d.name;
  platforms.all = [ "all" ];
  composeExtensions = f: g: final: prev: let fp = f final prev; in fp // g final (prev // fp);
  composeManyExtensions = builtins.foldl' composeExtensions (final: prev: { });
}`

// TestPatNixParses: every file these emitters write parses with the real
// nix-instantiate (which also rejects unbound variables).
func TestPatNixParses(t *testing.T) {
	for _, ex := range []string{"minimal", "seed", "large"} {
		t.Run(ex, func(t *testing.T) {
			files := runEmitters(t, exampleSpec(t, ex), patEmitters)
			var paths []string
			for p := range files {
				if strings.HasSuffix(p, ".nix") {
					paths = append(paths, p)
				}
			}
			sort.Strings(paths)
			if len(paths) == 0 {
				t.Fatal("no .nix files")
			}
			// One process for all files of the example (a list of them).
			var all strings.Builder
			all.WriteString("[\n")
			for _, p := range paths {
				all.WriteString("(\n" + files[p] + "\n)\n")
			}
			all.WriteString("]\n")
			if nixtest.ParseErr(t, []byte(all.String())) != nil {
				for _, p := range paths {
					t.Run(p, func(t *testing.T) { nixtest.Parse(t, []byte(files[p])) })
				}
			}
			for p := range files {
				owned := false
				for _, pre := range patPrefixes {
					owned = owned || strings.HasPrefix(p, pre)
				}
				if !owned {
					t.Errorf("emitted %s outside the paths these emitters own", p)
				}
			}
		})
	}
}

func TestOverlayFiles(t *testing.T) {
	minimal := runEmitters(t, exampleSpec(t, "minimal"), patEmitters)
	seed := runEmitters(t, exampleSpec(t, "seed"), patEmitters)
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
func TestOverlayCompositionEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), patEmitters)
	dir := t.TempDir()
	for name, label := range map[string]string{"unstable": "unstable", "linux": "linux-stable", "darwin": "darwin-stable"} {
		src := `{ system, config }: { name = "` + label + `"; inherit system; micromamba = "stable-micromamba"; }`
		if err := os.WriteFile(filepath.Join(dir, name+".nix"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := `{ inherit lib inputs config withSystem; "flake-parts-lib" = { mkSubmoduleOptions = o: o; }; }`
	expr := `let
  lib = ` + patLib + `;
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
  withSystem = system: f: f { config.packages = { ccstatusline = "ccstatusline-" + system; terraform = "not-layer-3"; }; };
  config = {
    systems = [ "aarch64-darwin" "x86_64-linux" ];
    nixpkgsOverlayLayers = layers;
    nixpkgsOverlays = (` + patCall(t, files, pathOverlayOption, args) + `).options.nixpkgsOverlays.default;
  };
  layers = builtins.foldl' (acc: m: acc // m.nixpkgsOverlayLayers) { } [
    ` + patCall(t, files, pathFlakeInputs, args) + `
    ` + patCall(t, files, pathOverrides, args) + `
    ` + patCall(t, files, pathHotfixes, args) + `
    ` + patCall(t, files, pathChannels, args) + `
  ];
  overlay = (` + patCall(t, files, pathCompose, args) + `).flake.overlays.default;
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
    inherit (p) micromamba sawStable sawHotfix sawOverride ccstatusline;
    ripgrepDoCheck = p.ripgrep.overridden.doCheck;
    leaksOtherPackages = p ? terraform;
  };
in {
  layerKeys = builtins.attrNames layers;
  overlayCount = builtins.length config.nixpkgsOverlays;
  darwin = show (pkgsFor { system = "aarch64-darwin"; isDarwin = true; isLinux = false; });
  linux = show (pkgsFor { system = "x86_64-linux"; isDarwin = false; isLinux = true; });
}`
	got := patEval(t, expr)
	patEqual(t, "overlay composition", got, `{
  "layerKeys": ["1-channels", "2-hotfixes", "4-overrides", "5-flake-inputs"],
  "overlayCount": 4,
  "darwin": {"stable": "darwin-stable", "stableSystem": "aarch64-darwin", "unstable": "unstable",
    "micromamba": "stable-micromamba", "sawStable": true, "sawHotfix": "stable-micromamba", "sawOverride": true,
    "ccstatusline": "ccstatusline-aarch64-darwin", "ripgrepDoCheck": false, "leaksOtherPackages": false},
  "linux": {"stable": "linux-stable", "stableSystem": "x86_64-linux", "unstable": "unstable",
    "micromamba": "unstable-micromamba", "sawStable": true, "sawHotfix": "unstable-micromamba", "sawOverride": true,
    "ccstatusline": "ccstatusline-x86_64-linux", "ripgrepDoCheck": false, "leaksOtherPackages": false}
}`)
	if want := overlayLayerKeys(model(exampleSpec(t, "seed"))); !reflect.DeepEqual(want, []string{layerChannels, layerHotfixes, layerOverrides, layerFlakeInputs}) {
		t.Errorf("overlayLayerKeys (used by the nix-unit test) = %v", want)
	}
}

// TestPackageEval evaluates a pkgs/by-name package with stand-ins for
// stdenvNoCC and writeShellScript.
func TestPackageEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), patEmitters)
	got := patEval(t, `let
  drv = `+patFile(t, files, "pkgs/by-name/ccstatusline/package.nix")+` {
    lib = `+patLib+`;
    stdenvNoCC.mkDerivation = f: let a = f a; in a;
    writeShellScript = name: text: "/store/" + name + "<" + text + ">";
  };
in { inherit (drv) pname version installPhase; inherit (drv.meta) description mainProgram; }`)
	patEqual(t, "package", got, `{"pname": "ccstatusline", "version": "0.1.0",
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
	files := runEmitters(t, s, patEmitters)
	for _, p := range []string{pathHotfixes, pathOverrides} {
		nixtest.Parse(t, []byte(files[p]))
		for _, line := range strings.Split(files[p], "\n") {
			if strings.Contains(line, "evil") && !strings.HasPrefix(strings.TrimSpace(line), "#") && !strings.Contains(line, `"x\"; evil`) {
				t.Errorf("%s: hostile text outside a comment or string: %q", p, line)
			}
		}
	}
	got := patEval(t, `let
  lib = `+patLib+`;
  m = `+patCall(t, files, pathHotfixes, "{ inherit lib; }")+`;
  ov = builtins.head m.nixpkgsOverlayLayers."2-hotfixes";
in builtins.attrNames (ov { stable = { }; } { stdenv.hostPlatform = { isDarwin = true; isLinux = false; }; })`)
	patEqual(t, "hotfix names", got, `["micromamba", "x\"; evil = builtins.abort \"pwned\"; y = \""]`)
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
