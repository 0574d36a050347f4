package gen

// Tests of the terranix pattern (emit_terranix.go, terraform.go): the
// terranix modules, the Terraform JSON and the wrapper behind nix run .#terraform.

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

var updateTerraform = flag.Bool("update-terraform", false, "rewrite testdata/terraform-*.json (TerraformJSON goldens)")

const (
	pathTfBase    = "modules/terranix/base.nix"
	pathTfHetzner = "modules/terranix/hetzner.nix"
	pathTfConfig  = "modules/terranix/config.nix"
)

// withHetzner returns a copy of spec s where machine m's hetzner.enabled
// is on.
func withHetzner(t *testing.T, s *Spec, m string, on bool) *Spec {
	t.Helper()
	c := *s
	c.Machines = append([]Machine(nil), s.Machines...)
	for i := range c.Machines {
		if c.Machines[i].Name == m {
			h := *c.Machines[i].Hetzner
			h.Enabled = &on
			c.Machines[i].Hetzner = &h
			return &c
		}
	}
	t.Fatalf("no machine %s", m)
	return nil
}

func TestTerranixAbsentWithoutHetzner(t *testing.T) {
	s := exampleSpec(t, "seed")
	for i := range s.Machines {
		s.Machines[i].Hetzner = nil
	}
	for name, spec := range map[string]*Spec{"minimal": exampleSpec(t, "minimal"), "seed without hetzner": s} {
		files := runEmitters(t, spec, featureEmitters)
		for p := range files {
			if strings.HasPrefix(p, "modules/terranix/") {
				t.Errorf("%s: emitted %s", name, p)
			}
		}
		if strings.Contains(files["README.md"], "terraform") {
			t.Errorf("%s: README mentions terraform", name)
		}
		if strings.Contains(files["modules/checks/nix-unit.nix"], "terranix") {
			t.Errorf("%s: nix-unit tests terranix modules", name)
		}
		if got := terraformJSON(model(spec)); got != nil {
			t.Errorf("%s: TerraformJSON = %s, want nil", name, got)
		}
	}
	if files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters); files[pathTfBase] == "" || files[pathTfHetzner] == "" || files[pathTfConfig] == "" {
		t.Error("seed: terranix files missing")
	}
}

// TestElectrumToggle: electrum's enabled flag is the only difference in
// hetzner.nix, and decides whether its server and install appear in the
// Terraform JSON.
func TestElectrumToggle(t *testing.T) {
	seed := exampleSpec(t, "seed")
	off, on := withHetzner(t, seed, "electrum", false), withHetzner(t, seed, "electrum", true)
	hOff, hOn := runEmitters(t, off, featureEmitters)[pathTfHetzner], runEmitters(t, on, featureEmitters)[pathTfHetzner]
	la, lb := strings.Split(hOff, "\n"), strings.Split(hOn, "\n")
	if len(la) != len(lb) {
		t.Fatalf("toggling electrum changed hetzner.nix's length")
	}
	var diffs []string
	for i := range la {
		if la[i] != lb[i] {
			diffs = append(diffs, strings.TrimSpace(la[i])+" -> "+strings.TrimSpace(lb[i]))
		}
	}
	if len(diffs) != 1 || diffs[0] != "enabled = false; -> enabled = true;" {
		t.Errorf("toggling electrum: hetzner.nix diff = %q, want only its enabled line", diffs)
	}
	for _, c := range []struct {
		spec *Spec
		want bool
	}{{off, false}, {on, true}} {
		var doc struct {
			Resource map[string]map[string]any `json:"resource"`
		}
		if err := json.Unmarshal(terraformJSON(model(c.spec)), &doc); err != nil {
			t.Fatal(err)
		}
		_, server := doc.Resource["hcloud_server"]["electrum"]
		_, install := doc.Resource["null_resource"]["install-electrum"]
		if server != c.want || install != c.want {
			t.Errorf("electrum enabled=%v: hcloud_server present=%v, install present=%v", c.want, server, install)
		}
		if _, ok := doc.Resource["hcloud_server"]["cinnabar"]; !ok {
			t.Errorf("electrum enabled=%v: cinnabar's server missing", c.want)
		}
	}
	// With every server off, the resource types disappear (terranix drops
	// empty sets) but the deploy key remains.
	none := withHetzner(t, off, "cinnabar", false)
	var doc map[string]map[string]any
	if err := json.Unmarshal(terraformJSON(model(none)), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["resource"]["hcloud_server"]; ok {
		t.Error("all disabled: hcloud_server still present")
	}
	if _, ok := doc["resource"]["tls_private_key"]; !ok {
		t.Error("all disabled: tls_private_key missing")
	}
}

// TestTerraformJSONMatchesModules evaluates the generated terranix modules
// with builtins-only stand-ins and checks that TerraformJSON is exactly the
// part of their output it documents (providers + resources, with empty
// resource types dropped as terranix does).
func TestTerraformJSONMatchesModules(t *testing.T) {
	seed := exampleSpec(t, "seed")
	for _, spec := range []*Spec{seed, withHetzner(t, seed, "electrum", true), withHetzner(t, withHetzner(t, seed, "electrum", false), "cinnabar", false)} {
		files := runEmitters(t, spec, featureEmitters)
		got := evalNix(t, `let
  lib = `+nixLib+`;
  pkgs = { writeShellApplication = a: a; jq = "jq"; };
  base = `+nixFile(t, files, pathTfBase)+`.flake.modules.terranix.base { inherit lib pkgs; };
  hetzner = `+nixFile(t, files, pathTfHetzner)+`.flake.modules.terranix.hetzner { inherit lib; };
in {
  terraform.required_providers = base.terraform.required_providers // hetzner.terraform.required_providers;
  resource = lib.filterAttrs (_: v: v != { }) hetzner.resource;
}`)
		var want any
		if err := json.Unmarshal(terraformJSON(model(spec)), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", "  ")
			t.Errorf("modules evaluate to\n%s\nTerraformJSON says\n%s", g, terraformJSON(model(spec)))
		}
	}
}

func TestTerranixBaseEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	got := evalNix(t, `let
  lib = `+nixLib+`;
  base = `+nixFile(t, files, pathTfBase)+`.flake.modules.terranix.base { inherit lib; pkgs = { writeShellApplication = a: a; jq = "jq"; }; };
in { inherit (base) provider; program = base.data.external.hetzner-api-token.program; }`)
	equalJSON(t, "base.nix", got, `{"provider": {"hcloud": {"token": "${data.external.hetzner-api-token.result.token}"}},
  "program": ["/bin/hetzner-api-token"]}`)
	tokenProgram(t, files)
	cfg := files[pathTfConfig]
	for _, want := range []string{`workdir = "terraform";`, "config.flake.modules.terranix.base", "config.flake.modules.terranix.hetzner", "p.hetznercloud_hcloud", "inputs'.clan-core.packages.clan-cli"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config.nix lacks %q", want)
		}
	}
}

// TestTerraformJSONGolden pins the exact bytes for the seed example.
func TestTerraformJSONGolden(t *testing.T) {
	got := terraformJSON(model(exampleSpec(t, "seed")))
	path := filepath.Join("testdata", "terraform-seed.json")
	if *updateTerraform {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./gen -run TestTerraformJSONGolden -update-terraform)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("terraformJSON(model(seed)) differs from %s (rerun with -update-terraform if intended):\n%s", path, got)
	}
	if !bytes.Equal(got, terraformJSON(model(exampleSpec(t, "seed")))) {
		t.Error("TerraformJSON is not deterministic")
	}
}

func BenchmarkTerraformJSON(b *testing.B) {
	s := exampleSpec(b, "large")
	for b.Loop() {
		terraformJSON(model(s))
	}
}

// TestTerraformStateEncrypted: the wrapper behind `nix run .#terraform`
// reads the passphrase from clan and gives OpenTofu an enforced state and
// plan encryption (OpenTofu's TF_ENCRYPTION; the state would otherwise hold
// the Hetzner token and the deploy key in plain text), and it fails before
// tofu runs when the passphrase cannot be read.
func TestTerraformStateEncrypted(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	prefix := evalNix(t, `(`+callModule(t, files, pathTfConfig, `{ config.flake.modules.terranix = { base = "b"; hetzner = "h"; }; }`)+`).perSystem {
  pkgs.opentofu.withPlugins = f: "tofu";
  "inputs'".clan-core.packages.clan-cli = "clan";
}`).(map[string]any)["terranix"].(map[string]any)["terranixConfigurations"].(map[string]any)["terraform"].(map[string]any)["terraformWrapper"].(map[string]any)["prefixText"].(string)

	dir := t.TempDir()
	// clan reads the key from the file the development shell names, in or
	// outside it: on macOS it would otherwise look in ~/Library/Application
	// Support (clan_lib/dirs user_config_dir) and find no key.
	writeExe(t, filepath.Join(dir, "clan"), `[ "$SOPS_AGE_KEY_FILE" = "$HOME/.config/sops/age/keys.txt" ] || { echo "clan: no age key" >&2; exit 1; }
[ "$*" = "secrets get terraform-state-passphrase" ] && echo s3cret-passphrase-0123456789 && exit 0
echo "clan: no such secret" >&2; exit 1
`)
	out, err := runBash(t, dir, prefix+`
echo "PASS=$TF_VAR_state_passphrase"
echo "APPLY=$TF_CLI_ARGS_apply"
echo "INIT=$TF_CLI_ARGS_init"
printf '%s\n' "$TF_ENCRYPTION"`)
	if err != nil {
		t.Fatalf("prefix failed: %v\n%s", err, out)
	}
	for _, want := range []string{
		"PASS=s3cret-passphrase-0123456789",
		// One resource at a time (OpenTofu adds TF_CLI_ARGS_apply to every
		// apply, cmd/tofu/command_main.go): each install runs clan in the
		// checkout, and nixos-anywhere's `git add` (src/nixos-anywhere.sh)
		// fails on another install's index.lock; clan_lib's InventoryStore
		// writes inventory.json without a lock.
		"APPLY=-parallelism=1",
		// Every init upgrades: terranix's scripts run a plain `tofu init`
		// first (flake-module.nix mkTfScript), the providers come only
		// from the Nix plugin directory, and a provider locked in
		// .terraform.lock.hcl may only take that version (opentofu
		// internal/providercache/installer.go), so after a flake update
		// that moved one, every command would stop at init.
		"INIT=-upgrade",
		`key_provider "pbkdf2" "fleet" {`,
		"passphrase = var.state_passphrase",
		"state {\n  method   = method.aes_gcm.fleet\n  enforced = true\n}",
		"plan {\n  method   = method.aes_gcm.fleet\n  enforced = true\n}",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("wrapper environment lacks %q:\n%s", want, out)
		}
	}
	// A key file the admin chose stays theirs.
	if out, err := runBash(t, dir, prefix+`
echo "KEYFILE=$SOPS_AGE_KEY_FILE"`, "SOPS_AGE_KEY_FILE=/elsewhere/keys.txt"); !strings.Contains(out, "clan: no age key") {
		t.Errorf("the wrapper replaced a SOPS_AGE_KEY_FILE already set (the fake clan should have seen /elsewhere): %v\n%s", err, out)
	}
	writeExe(t, filepath.Join(dir, "clan"), "exit 1\n")
	if out, err := runBash(t, dir, prefix+"\necho TOFU-RAN"); err == nil || strings.Contains(out, "TOFU-RAN") {
		t.Errorf("the wrapper went on without a passphrase: %v\n%s", err, out)
	}
	// The variable the key provider reads is declared, sensitive.
	base := evalNix(t, `(`+callModule(t, files, pathTfBase, `{ }`)+`).flake.modules.terranix.base { pkgs.writeShellApplication = a: a; pkgs.jq = "jq"; lib.getExe = x: "exe"; }`).(map[string]any)
	if v, _ := base["variable"].(map[string]any)["state_passphrase"].(map[string]any); v["sensitive"] != true {
		t.Errorf("variable.state_passphrase = %v, want sensitive", base["variable"])
	}
}

// TestTerranixReadmeAllDisabled: with every Hetzner server disabled,
// `nix run .#terraform` still creates the resources hetzner.nix declares
// outside the per-machine maps (the deploy key, its file and its Hetzner
// SSH key entry), so the README's cloud step must not say it creates
// nothing.
func TestTerranixReadmeAllDisabled(t *testing.T) {
	none := withHetzner(t, withHetzner(t, exampleSpec(t, "seed"), "electrum", false), "cinnabar", false)
	var doc struct {
		Resource map[string]any `json:"resource"`
	}
	if err := json.Unmarshal(terraformJSON(model(none)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Resource) == 0 {
		t.Fatal("all disabled: no resources at all; this test's premise is gone")
	}
	step, ok := readmeStepText(runEmitters(t, none, plainEmitters)["README.md"], "Create the cloud servers and install them")
	if !ok {
		t.Fatal("README has no cloud step")
	}
	step = strings.Join(strings.Fields(step), " ")
	if strings.Contains(step, "creates nothing") {
		t.Errorf("README says the run creates nothing, but the configuration has %d resource types:\n%s", len(doc.Resource), step)
	}
	if _, key := doc.Resource["tls_private_key"]; key && !strings.Contains(step, "deploy key") {
		t.Errorf("README does not say the run creates the deploy key:\n%s", step)
	}
}

// TestHetznerMachinesRefuseMetadataKeys: srvos's Hetzner hardware modules
// import its cloud-init mixin (srvos nixos/mixins/cloud-init.nix:
// services.cloud-init.enable), nixpkgs' cloud-init module defaults to
// users = [ "root" ], disable_root = false and runs the ssh module, and
// cloud-init's cc_ssh writes the instance's metadata SSH keys (here the
// Terraform deploy key, hcloud_ssh_key.deploy) into root's
// authorized_keys unless allow_public_ssh_keys is false. So every machine
// module that imports srvos's Hetzner hardware sets it false, the others
// leave cloud-init alone, and root still gets the admins' keys from NixOS.
func TestHetznerMachinesRefuseMetadataKeys(t *testing.T) {
	const setting = "services.cloud-init.settings.allow_public_ssh_keys = false;"
	for _, ex := range []string{"seed", "large"} {
		t.Run(ex, func(t *testing.T) {
			s := exampleSpec(t, ex)
			files := runEmitters(t, s, plainEmitters)
			n := 0
			for _, m := range s.Machines {
				src := files["modules/machines/"+m.Class+"/"+m.Name+"/default.nix"]
				if src == "" {
					t.Fatalf("no module for %s", m.Name)
				}
				hetzner := strings.Contains(src, "inputs.srvos.nixosModules.hardware-hetzner-cloud")
				if hetzner != (m.Hetzner != nil && m.Class == "nixos") {
					t.Errorf("%s: imports srvos's Hetzner hardware: %v, has a hetzner block: %v", m.Name, hetzner, m.Hetzner != nil)
				}
				if got := strings.Contains(src, setting); got != hetzner {
					t.Errorf("%s: %s present: %v, want %v (with srvos's Hetzner hardware only)", m.Name, setting, got, hetzner)
				}
				if hetzner {
					n++
				}
			}
			if n == 0 {
				t.Fatal("no Hetzner machine: the test looks at nothing")
			}
			if !strings.Contains(files["modules/system/ssh.nix"], "users.users.root.openssh.authorizedKeys.keys") {
				t.Error("root gets no authorized keys from NixOS: with the metadata keys refused, no one could log in")
			}
		})
	}
}

// TestHetznerServersSurviveADeployKeyChange pins two lines of hetzner.nix
// against terraform-provider-hcloud:
//   - hcloud_ssh_key.public_key is RequiresReplace and stored as the API
//     returns it (internal/sshkey/resource.go, common.go); the API trims
//     the newline tls_private_key's public_key_openssh ends with (provider
//     issue #1389), and OpenTofu stops the apply on the difference, so the
//     key is trimmed before it is sent.
//   - a server's ssh_keys is ForceNew (internal/server/resource.go); the
//     provider's docs (docs/resources/server.md) advise ignore_changes, or
//     a new deploy key id replaces every server, and each replacement
//     triggers a disk-wiping install.
func TestHetznerServersSurviveADeployKeyChange(t *testing.T) {
	var doc struct {
		Resource struct {
			SSHKey map[string]struct {
				PublicKey string `json:"public_key"`
			} `json:"hcloud_ssh_key"`
			Server map[string]struct {
				Lifecycle struct {
					IgnoreChanges []string `json:"ignore_changes"`
				} `json:"lifecycle"`
			} `json:"hcloud_server"`
		} `json:"resource"`
	}
	if err := json.Unmarshal(terraformJSON(model(withHetzner(t, exampleSpec(t, "seed"), "electrum", true))), &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Resource.SSHKey[tfSSHKey].PublicKey; !strings.HasPrefix(got, "${trimspace(") {
		t.Errorf("hcloud_ssh_key.%s.public_key = %q, want it trimmed", tfSSHKey, got)
	}
	if len(doc.Resource.Server) != 2 {
		t.Fatalf("%d servers, want cinnabar and electrum", len(doc.Resource.Server))
	}
	for name, s := range doc.Resource.Server {
		if !slices.Equal(s.Lifecycle.IgnoreChanges, []string{"ssh_keys"}) {
			t.Errorf("hcloud_server.%s.lifecycle.ignore_changes = %q, want [ssh_keys]", name, s.Lifecycle.IgnoreChanges)
		}
	}
}

// TestHetznerOutputsTheServersAddresses: the servers Terraform creates have
// no targetHost, so hetzner.nix outputs each enabled server's IPv4 address
// (the one the install provisioner logs in to), which the README reads with
// the wrapped tofu of terranix's dev shell (terranix flake-module.nix:
// result.devShell holds result.terraformWrapper, exported as
// devShells.<configuration>).
func TestHetznerOutputsTheServersAddresses(t *testing.T) {
	seed := exampleSpec(t, "seed")
	for _, spec := range []*Spec{seed, withHetzner(t, seed, "electrum", true), withHetzner(t, seed, "cinnabar", false)} {
		files := runEmitters(t, spec, featureEmitters)
		got := evalNix(t, `let
  lib = `+nixLib+`;
in (`+nixFile(t, files, pathTfHetzner)+`.flake.modules.terranix.hetzner { inherit lib; }).output`)
		want := map[string]any{}
		for _, m := range model(spec).Machines {
			if m.Hetzner != nil && m.Hetzner.Enabled {
				want[m.Name] = "${hcloud_server." + m.Name + ".ipv4_address}"
			}
		}
		if !reflect.DeepEqual(got, map[string]any{"addresses": map[string]any{"value": want}}) {
			t.Errorf("output evaluates to %v, want the addresses of %v", got, want)
		}
		readme := runEmitters(t, spec, featureEmitters)["README.md"]
		if says := strings.Contains(readme, "nix develop .#terraform -c tofu output addresses"); says != (len(want) > 0) {
			t.Errorf("README names the addresses output: %v, with %d servers", says, len(want))
		}
		// terranix's flake-module.nix: the dev shell's tofu wrapper only
		// changes into terraform/; its scripts link config.tf.json there
		// (a link into the Nix store, which a garbage collection can
		// break), and that file declares the variable the state's
		// encryption reads. On a fresh clone, or after a collection, the
		// output is readable only after one of them ran.
		if len(want) > 0 && !strings.Contains(readme, "nix run .#terraform.init   # on a new checkout, or after a garbage collection\nnix develop .#terraform -c tofu output addresses") {
			t.Errorf("README reads the addresses without linking the configuration first:\n%s", readme)
		}
	}
}

// tokenProgram runs the external data source's program of base.nix as
// writeShellApplication would (bash, errexit, nounset, pipefail), with a
// stand-in clan that prints a token and the real jq behind a stand-in that
// refuses the token on its command line: terraform's external provider
// needs {"token": ...} on stdout, and a command line is every local user's
// to read.
func tokenProgram(t *testing.T, files map[string]string) {
	t.Helper()
	realJq := tooltest.Require(t, "jq", tooltest.InstallJq)
	text := evalNix(t, `let
  lib = `+nixLib+` // { getExe = x: x; };
  base = `+nixFile(t, files, pathTfBase)+`.flake.modules.terranix.base { inherit lib; pkgs = { writeShellApplication = a: a.text; jq = "jq"; }; };
in builtins.head base.data.external.hetzner-api-token.program`).(string)
	dir := t.TempDir()
	const token = `t0k"en\$x`
	writeExe(t, filepath.Join(dir, "clan"), `[ "$*" = "secrets get `+tfTokenSecret+`" ] || exit 3; printf '%s\n' '`+token+`'`)
	writeExe(t, filepath.Join(dir, "jq"), `case "$*" in *t0k*) echo "the token is on jq's command line" >&2; exit 4;; esac; exec `+realJq+` "$@"`)
	out, err := runBash(t, dir, text)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, text, out)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got["token"] != token {
		t.Fatalf("the program printed %q (%v), want {\"token\": %q}", out, err, token)
	}
}
