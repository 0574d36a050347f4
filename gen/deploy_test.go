package gen

// Tests for what an exported repository does on its first real deploy,
// each pinned to the upstream behaviour it depends on (named in comments).

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// runBash runs script with bash -euo pipefail, PATH set to dir then the
// system's, and env added; it returns stdout+stderr and the error.
func runBash(t *testing.T, dir, script string, env ...string) (string, error) {
	t.Helper()
	bash := tooltest.Require(t, "bash", "apt-get install -y bash")
	cmd := exec.Command(bash, "-euo", "pipefail", "-c", script)
	cmd.Env = append([]string{"PATH=" + dir + ":/usr/bin:/bin", "HOME=" + dir}, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// plainEmitters are every emitter but emitSecrets (which needs Options'
// entropy for its stubs).
var plainEmitters = append(append([]func(*build){}, wireEmitters...), patEmitters...)

func writeExe(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestTerraformStateEncrypted: the wrapper behind `nix run .#terraform`
// reads the passphrase from clan and gives OpenTofu an enforced state and
// plan encryption (OpenTofu's TF_ENCRYPTION; the state would otherwise hold
// the Hetzner token and the deploy key in plain text), and it fails before
// tofu runs when the passphrase cannot be read.
func TestTerraformStateEncrypted(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	prefix := patEval(t, `(`+patCall(t, files, pathTfConfig, `{ config.flake.modules.terranix = { base = "b"; hetzner = "h"; }; }`)+`).perSystem {
  pkgs.opentofu.withPlugins = f: "tofu";
  "inputs'".clan-core.packages.clan-cli = "clan";
}`).(map[string]any)["terranix"].(map[string]any)["terranixConfigurations"].(map[string]any)["terraform"].(map[string]any)["terraformWrapper"].(map[string]any)["prefixText"].(string)

	dir := t.TempDir()
	writeExe(t, filepath.Join(dir, "clan"), `[ "$*" = "secrets get terraform-state-passphrase" ] && echo s3cret-passphrase-0123456789 && exit 0
echo "clan: no such secret" >&2; exit 1
`)
	out, err := runBash(t, dir, prefix+`
echo "PASS=$TF_VAR_state_passphrase"
printf '%s\n' "$TF_ENCRYPTION"`)
	if err != nil {
		t.Fatalf("prefix failed: %v\n%s", err, out)
	}
	for _, want := range []string{
		"PASS=s3cret-passphrase-0123456789",
		`key_provider "pbkdf2" "fleet" {`,
		"passphrase = var.state_passphrase",
		"state {\n  method   = method.aes_gcm.fleet\n  enforced = true\n}",
		"plan {\n  method   = method.aes_gcm.fleet\n  enforced = true\n}",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("wrapper environment lacks %q:\n%s", want, out)
		}
	}
	writeExe(t, filepath.Join(dir, "clan"), "exit 1\n")
	if out, err := runBash(t, dir, prefix+"\necho TOFU-RAN"); err == nil || strings.Contains(out, "TOFU-RAN") {
		t.Errorf("the wrapper went on without a passphrase: %v\n%s", err, out)
	}
	// The variable the key provider reads is declared, sensitive.
	base := patEval(t, `(`+patCall(t, files, pathTfBase, `{ }`)+`).flake.modules.terranix.base { pkgs.writeShellApplication = a: a; pkgs.jq = "jq"; lib.getExe = x: "exe"; }`).(map[string]any)
	if v, _ := base["variable"].(map[string]any)["state_passphrase"].(map[string]any); v["sensitive"] != true {
		t.Errorf("variable.state_passphrase = %v, want sensitive", base["variable"])
	}
}

// TestDevShellAgeKeyFile: clan looks for the age key in
// ~/Library/Application Support/sops/age/keys.txt on macOS unless
// XDG_CONFIG_HOME or SOPS_AGE_KEY_FILE is set (clan_lib/dirs
// user_config_dir; clan_cli/secrets/sops.py), while base-sops and the
// README use ~/.config/sops/age/keys.txt: the dev shell points both at the
// README's file, and keeps a key file the user chose.
func TestDevShellAgeKeyFile(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	hook := patEval(t, `((`+patCall(t, files, "modules/dev-shell.nix", `{ }`)+`).perSystem {
  pkgs = { mkShell = a: a; sops = 1; ssh-to-age = 2; age = 3; nh = 4; };
  "inputs'".clan-core.packages.clan-cli = 0;
}).devShells.default.shellHook`).(string)
	dir := t.TempDir()
	out, err := runBash(t, dir, hook+`echo "$SOPS_AGE_KEY_FILE"`)
	if err != nil || strings.TrimSpace(out) != dir+"/.config/sops/age/keys.txt" {
		t.Errorf("SOPS_AGE_KEY_FILE = %q (%v), want %s/.config/sops/age/keys.txt", out, err, dir)
	}
	out, _ = runBash(t, dir, hook+`echo "$SOPS_AGE_KEY_FILE"`, "SOPS_AGE_KEY_FILE=/mine/keys.txt")
	if strings.TrimSpace(out) != "/mine/keys.txt" {
		t.Errorf("a key file the user set was replaced: %q", out)
	}
	if !strings.Contains(files["README.md"], "SOPS_AGE_KEY_FILE") {
		t.Error("the README does not explain the key file on macOS")
	}
}

// TestFlakeInputFollows: a follows for an input the other flake does not
// declare is a warning on every Nix command. The expectations come from
// the upstream flake.nix files: nix-unit declares nixpkgs, treefmt-nix and
// nix-github-actions (no flake-parts); pkgs-by-name-for-flake-parts and
// import-tree declare none; terranix declares flake-parts, nixpkgs and
// systems; a spec's overlay flake's inputs are unknown.
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
		{"nuenv", ""},
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

// TestNixUnitClaims: nix-unit's tests run inside the checks.<system>.nix-unit
// build, so `nix flake check --no-build` runs none of them; nothing the
// repository says may claim otherwise.
func TestNixUnitClaims(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	for p, src := range files {
		for _, line := range strings.Split(src, "\n") {
			l := strings.ToLower(line)
			if strings.Contains(l, "--no-build") && (strings.Contains(l, "run by") || strings.Contains(l, "evaluates everything") || strings.Contains(l, "nix-unit tests,")) {
				t.Errorf("%s claims --no-build runs the tests: %q", p, line)
			}
		}
	}
	if !strings.Contains(files["modules/checks/nix-unit.nix"], "it runs no test") {
		t.Error("nix-unit.nix does not say that --no-build runs no test")
	}
}
