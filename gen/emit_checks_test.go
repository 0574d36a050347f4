package gen

// Tests of the test-harness pattern (emit_checks.go): nix-unit, VM tests,
// validation checks.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

const (
	pathNixUnit     = "modules/checks/nix-unit.nix"
	pathIntegration = "modules/checks/integration.nix"
	pathValidation  = "modules/checks/validation.nix"
	pathPerformance = "modules/checks/performance.nix"
)

func TestChecksToggles(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
		for p, want := range map[string]bool{pathNixUnit: true, pathIntegration: true, pathValidation: true, pathPerformance: false} {
			if _, ok := files[p]; ok != want {
				t.Errorf("%s emitted = %v, want %v", p, ok, want)
			}
		}
	})
	yes, no := true, false
	for _, c := range []struct {
		name string
		set  func(*Checks)
		path string
	}{
		{"nixUnit", func(c *Checks) { c.NixUnit = &no }, pathNixUnit},
		{"integration", func(c *Checks) { c.Integration = &no }, pathIntegration},
		{"validation", func(c *Checks) { c.Validation = &no }, pathValidation},
	} {
		t.Run(c.name+" off", func(t *testing.T) {
			s := exampleSpec(t, "seed")
			c.set(&s.Checks)
			if _, ok := runEmitters(t, s, featureEmitters)[c.path]; ok {
				t.Errorf("%s emitted with %s off", c.path, c.name)
			}
		})
	}
	t.Run("performance on", func(t *testing.T) {
		s := exampleSpec(t, "seed")
		s.Checks.Performance = &yes
		src := runEmitters(t, s, featureEmitters)[pathPerformance]
		if !strings.Contains(src, "PLACEHOLDER") {
			t.Errorf("performance.nix does not say it is a placeholder:\n%s", src)
		}
	})
	t.Run("no nixos machine, no VM tests", func(t *testing.T) {
		s := exampleSpec(t, "seed")
		var darwin []Machine
		for _, m := range s.Machines {
			if class(m.Class) == classDarwin {
				darwin = append(darwin, m)
			}
		}
		s.Machines = darwin
		if _, ok := runEmitters(t, s, featureEmitters)[pathIntegration]; ok {
			t.Error("integration.nix emitted for a darwin-only fleet")
		}
	})
}

// fakeSelf is a flake shaped the way the generated repository is for
// the seed example, with drop naming a module to leave out.
func fakeSelf(drop string) string {
	return `let
  set = names: builtins.listToAttrs (map (n: { name = n; value = { }; }) (builtins.filter (n: n != "` + drop + `") names));
in {
  clan.inventory.machines = set [ "cinnabar" "electrum" "blackphos" ];
  clan.specialArgs.inputs = { };
  modules.nixos = set [ "base" "machines/nixos/cinnabar" "machines/nixos/electrum" ];
  modules.darwin = set [ "base" "machines/darwin/blackphos" ];
  modules.homeManager = set [ "users/crs58" "users/raquel" "users/crs58/secrets" "users/raquel/secrets" "core" "shell" "development" "tools" "base-sops" ];
  modules.terranix = set [ "base" "hetzner" ];
  nixosConfigurations = set [ "cinnabar" "electrum" ];
  darwinConfigurations = builtins.mapAttrs (n: _: { config.system.build.toplevel.drvPath = "/nix/store/x-darwin-system-${n}.drv"; }) (set [ "blackphos" ]);
  homeConfigurations = set [ "crs58@aarch64-darwin" "crs58@x86_64-linux" "raquel@aarch64-darwin" ];
}`
}

// TestNixUnitTestsEval evaluates every generated nix-unit test against a
// flake of the intended shape (all pass) and against one missing a machine
// module (that test fails and names it).
func TestNixUnitTestsEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	run := func(drop string) map[string]any {
		got := evalNix(t, `let
  self = `+fakeSelf(drop)+`;
  m = `+callModule(t, files, pathNixUnit, `{ inherit self; inputs.nix-unit.modules.flake.default = "nix-unit"; config.nixpkgsOverlayLayers = { "1-channels" = [ ]; "2-hotfixes" = [ ]; "4-overrides" = [ ]; "5-flake-inputs" = [ ]; }; }`)+`;
  ps = m.perSystem { pkgs.nix-unit = "nixpkgs-nix-unit"; };
  tests = ps.nix-unit.tests;
in {
  imports = m.imports;
  results = builtins.mapAttrs (_: x: { pass = x.expr == x.expected; inherit (x) expr; }) tests;
  inputsPassed = ps.nix-unit.inputs == { nix-unit.modules.flake.default = "nix-unit"; };
  allowNetwork = ps.nix-unit.allowNetwork;
  package = ps.nix-unit.package;
}`).(map[string]any)
		// nix-unit lib/modules.nix defaults nix-unit.package to the nix-unit
		// flake's own build, compiled from source on the first check;
		// nixpkgs' pkgs/by-name/ni/nix-unit is in the binary cache.
		if got["package"] != "nixpkgs-nix-unit" {
			t.Errorf("nix-unit.package = %v, want pkgs.nix-unit", got["package"])
		}
		if imp, _ := json.Marshal(got["imports"]); string(imp) != `["nix-unit"]` {
			t.Errorf("imports = %s", imp)
		}
		// nix-unit lib/modules/flake/system.nix overrides only the inputs
		// listed in nix-unit.inputs; the inputs' own inputs (clan-core's
		// systems, nix-select, data-mesher) would have to be fetched in a
		// sandbox without network unless allowNetwork makes the check a
		// fixed-output build.
		if got["inputsPassed"] != true || got["allowNetwork"] != true {
			t.Errorf("nix-unit.inputs passed: %v, allowNetwork: %v; want both", got["inputsPassed"], got["allowNetwork"])
		}
		return got["results"].(map[string]any)
	}
	results := run("")
	for _, name := range []string{"testInventoryMachines", "testSpecialArgsCarryInputs", "testNixosModulesExist", "testNixosConfigurationsExist",
		"testDarwinModulesExist", "testDarwinConfigurationsExist", "testHomeModulesExist", "testHomeConfigurations",
		"testTerranixModulesExist", "testOverlayLayersInOrder"} {
		r, ok := results[name].(map[string]any)
		if !ok {
			t.Errorf("nix-unit test %s missing", name)
			continue
		}
		if r["pass"] != true {
			t.Errorf("%s fails on a well-formed flake: expr = %v", name, r["expr"])
		}
	}
	r := run("machines/nixos/electrum")["testNixosModulesExist"].(map[string]any)
	if e, _ := json.Marshal(r); string(e) != `{"expr":["machines/nixos/electrum"],"pass":false}` {
		t.Errorf("missing module: testNixosModulesExist = %s", e)
	}
}

func TestIntegrationEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	expr := func(linux string) string {
		return `let
  lib = ` + nixLib + `;
  m = ` + callModule(t, files, pathIntegration, "{ inherit lib; }") + `;
in builtins.mapAttrs (_: x: { inherit (x) name nodes; script = x.testScript; })
  (m.perSystem { pkgs = { stdenv.hostPlatform.isLinux = ` + linux + `; testers.runNixOSTest = a: a; }; }).checks`
	}
	equalJSON(t, "darwin host", evalNix(t, expr("false")), `{}`)
	got := evalNix(t, expr("true")).(map[string]any)
	if len(got) != 2 {
		t.Fatalf("VM tests = %v, want one per NixOS machine (cinnabar, electrum)", got)
	}
	c := got["integration-cinnabar"].(map[string]any)
	if n, _ := json.Marshal(c["nodes"]); string(n) != `{"cinnabar":{"networking":{"hostName":"cinnabar"},"services":{"openssh":{"enable":true}}}}` {
		t.Errorf("nodes = %s", n)
	}
	if c["script"] != integrationScript {
		t.Errorf("testScript = %q", c["script"])
	}
}

// TestValidationEval runs the naming and home checks' Nix side with a
// stand-in runCommand: a bad machine name or a missing home configuration
// gives a failing script that names it; a good flake passes.
func TestValidationEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	eval := func(self string) map[string]any {
		return evalNix(t, `let
  lib = `+nixLib+`;
  m = `+callModule(t, files, pathValidation, "{ self = "+self+"; }")+`;
  checks = (m.perSystem { inherit lib; pkgs = { runCommand = name: env: script: { inherit name script; }; jq = "jq"; }; }).checks;
in builtins.mapAttrs (_: c: c.script) (removeAttrs checks [ "validation-sops-keys" ])`).(map[string]any)
	}
	good := eval(fakeSelf(""))
	for name, script := range good {
		if script != "touch $out" {
			t.Errorf("%s fails on a well-formed flake: %q", name, script)
		}
	}
	if len(good) != 3 {
		t.Errorf("checks = %v, want validation-naming, validation-home-configurations and validation-darwin", good)
	}
	// validation-darwin forces each Mac's toplevel: a configuration that
	// fails to evaluate (here a throw, as a failed nix-darwin assertion
	// does) fails the check's evaluation.
	broken := evalNix(t, `let
  lib = `+nixLib+`;
  self = (`+fakeSelf("")+`) // { darwinConfigurations.blackphos.config.system.build.toplevel.drvPath = throw "blackphos does not evaluate"; };
  m = `+callModule(t, files, pathValidation, "{ inherit self; }")+`;
  checks = (m.perSystem { inherit lib; pkgs = { runCommand = name: env: script: { inherit name script; }; jq = "jq"; }; }).checks;
in (builtins.tryEval checks.validation-darwin.script).success`)
	if broken != false {
		t.Error("validation-darwin passes although a Mac's configuration throws")
	}
	bad := eval(`(` + fakeSelf("crs58@x86_64-linux") + `) // { clan.inventory.machines = { "Bad_Name" = { }; ok = { }; }; }`)
	if s := bad["validation-naming"].(string); !strings.Contains(s, "machine name 'Bad_Name' does not match") || !strings.Contains(s, "exit 1") || strings.Contains(s, "'ok'") {
		t.Errorf("bad name not reported: %q", s)
	}
	if s := bad["validation-home-configurations"].(string); !strings.Contains(s, `homeConfigurations."crs58@x86_64-linux" is missing`) || !strings.Contains(s, "exit 1") {
		t.Errorf("missing home configuration not reported: %q", s)
	}
	if !strings.Contains(files[pathValidation], "sops/users") {
		t.Error("validation.nix lacks the keyring check")
	}
}

// TestValidationSopsKeysScript runs the generated keyring check with the
// real bash and jq on the whole generated seed repository (all emitters),
// then on copies where the keyring and .sops.yaml disagree.
func TestValidationSopsKeysScript(t *testing.T) {
	bash := tooltest.Require(t, "bash", tooltest.InstallBash)
	tooltest.Require(t, "jq", tooltest.InstallJq)
	repoOf := func(s *Spec) map[string]string {
		entropy := make([]byte, 32)
		all, err := Generate(fleetOf(s), Options{Entropy: entropy, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, f := range all {
			files[f.Path] = string(f.Data)
		}
		if _, ok := files[".sops.yaml"]; !ok {
			t.Fatal("no .sops.yaml")
		}
		return files
	}
	// Several keys per keyring member: anchorsFor names the second &admin-2
	// and a user's second &crs58-user-2 (the admin's own ageKeys entry and
	// an admin user's ageKeys entry).
	several := exampleSpec(t, "seed")
	fx := fixtureKeys(t)
	several.Admins[0].SSHKeys = append(several.Admins[0].SSHKeys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL8Gz7JgctzariPvQR31SEpAkYAuS70vuNPkKD8U9S8+ carol@fixture")
	several.Admins[0].AgeKeys = []string{"age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"}
	several.Users[0].AgeKeys = []string{fx["carol"].Recipient}
	for _, f := range []string{"&admin-2 ", "&admin-3 ", "&crs58-user-2 "} {
		if !strings.Contains(repoOf(several)[".sops.yaml"], f) {
			t.Fatalf("the spec with several keys has no anchor %s", f)
		}
	}
	files := repoOf(several)
	run := func(name string, edit func(repo string)) (string, error) {
		repo := filepath.Join(t.TempDir(), "repo")
		for p, data := range files {
			writeFile(t, filepath.Join(repo, filepath.FromSlash(p)), data)
		}
		edit(repo)
		script := evalNix(t, `let
  m = `+callModule(t, files, pathValidation, `{ self = "`+repo+`"; }`)+`;
  checks = (m.perSystem { lib = `+nixLib+`; pkgs = { runCommand = name: env: script: { inherit script; }; jq = "jq"; }; }).checks;
in checks.validation-sops-keys.script`).(string)
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command(bash, "-euo", "pipefail", "-c", script)
		cmd.Env = append(os.Environ(), "out="+out)
		msg, err := cmd.CombinedOutput()
		if err == nil {
			if _, serr := os.Stat(out); serr != nil {
				t.Errorf("%s: passed without creating $out", name)
			}
		}
		return string(msg), err
	}
	if msg, err := run("several keys each", func(string) {}); err != nil {
		t.Fatalf("keyring check fails on the generated repository whose admin and admin user have several keys: %v\n%s", err, msg)
	}
	msg, err := run("a second key dropped from key.json", func(repo string) {
		p := filepath.Join(repo, "sops/users/crs58/key.json")
		var keyring []map[string]string
		data, _ := os.ReadFile(p)
		json.Unmarshal(data, &keyring)
		out, _ := json.Marshal(keyring[:1])
		os.WriteFile(p, out, 0o644)
	})
	if err == nil || !strings.Contains(msg, "anchor &crs58-user is "+fx["carol"].Recipient) {
		t.Errorf("a second key missing from key.json: err = %v, output:\n%s", err, msg)
	}
	files = repoOf(exampleSpec(t, "seed"))
	if msg, err := run("as generated", func(string) {}); err != nil {
		t.Fatalf("keyring check fails on the generated repository: %v\n%s", err, msg)
	}
	other := "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"
	msg, err = run("key.json changed", func(repo string) {
		os.WriteFile(filepath.Join(repo, "sops/users/crs58/key.json"), []byte(`[{"publickey": "`+other+`", "type": "age"}]`), 0o644)
	})
	if err == nil || !strings.Contains(msg, "sops/users/crs58/key.json has "+other) || !strings.Contains(msg, "anchor &crs58-user is") {
		t.Errorf("changed key.json: err = %v, output:\n%s", err, msg)
	}
	msg, err = run(".sops.yaml anchor changed", func(repo string) {
		p := filepath.Join(repo, ".sops.yaml")
		data, _ := os.ReadFile(p)
		var keyring []struct{ Publickey string }
		json.Unmarshal([]byte(files["sops/users/crs58/key.json"]), &keyring)
		if len(keyring) == 0 || !strings.Contains(string(data), keyring[0].Publickey) {
			t.Fatalf(".sops.yaml does not contain crs58's keyring key")
		}
		os.WriteFile(p, []byte(strings.ReplaceAll(string(data), keyring[0].Publickey, other)), 0o644)
	})
	if err == nil || !strings.Contains(msg, ".sops.yaml anchor &crs58-user is "+other+", but sops/users/crs58/key.json does not list it") {
		t.Errorf("changed anchor: err = %v, output:\n%s", err, msg)
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
