package gen

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var updateTerraform = flag.Bool("update-terraform", false, "rewrite testdata/terraform-*.json (TerraformJSON goldens)")

const (
	pathTfBase    = "modules/terranix/base.nix"
	pathTfHetzner = "modules/terranix/hetzner.nix"
	pathTfConfig  = "modules/terranix/config.nix"
)

// patSetHetzner returns a copy of spec s where machine m's hetzner.enabled
// is on.
func patSetHetzner(t *testing.T, s *Spec, m string, on bool) *Spec {
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
		files := runEmitters(t, spec, patEmitters)
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
	if files := runEmitters(t, exampleSpec(t, "seed"), patEmitters); files[pathTfBase] == "" || files[pathTfHetzner] == "" || files[pathTfConfig] == "" {
		t.Error("seed: terranix files missing")
	}
}

// TestElectrumToggle: electrum's enabled flag is the only difference in
// hetzner.nix, and decides whether its server and install appear in the
// Terraform JSON.
func TestElectrumToggle(t *testing.T) {
	seed := exampleSpec(t, "seed")
	off, on := patSetHetzner(t, seed, "electrum", false), patSetHetzner(t, seed, "electrum", true)
	hOff, hOn := runEmitters(t, off, patEmitters)[pathTfHetzner], runEmitters(t, on, patEmitters)[pathTfHetzner]
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
	none := patSetHetzner(t, off, "cinnabar", false)
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
	for _, spec := range []*Spec{seed, patSetHetzner(t, seed, "electrum", true), patSetHetzner(t, patSetHetzner(t, seed, "electrum", false), "cinnabar", false)} {
		files := runEmitters(t, spec, patEmitters)
		got := patEval(t, `let
  lib = `+patLib+`;
  pkgs = { writeShellApplication = a: a; jq = "jq"; };
  base = `+patFile(t, files, pathTfBase)+`.flake.modules.terranix.base { inherit lib pkgs; };
  hetzner = `+patFile(t, files, pathTfHetzner)+`.flake.modules.terranix.hetzner { inherit lib; };
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
	files := runEmitters(t, exampleSpec(t, "seed"), patEmitters)
	got := patEval(t, `let
  lib = `+patLib+`;
  base = `+patFile(t, files, pathTfBase)+`.flake.modules.terranix.base { inherit lib; pkgs = { writeShellApplication = a: a; jq = "jq"; }; };
in { inherit (base) provider; program = base.data.external.hetzner-api-token.program; }`)
	patEqual(t, "base.nix", got, `{"provider": {"hcloud": {"token": "${data.external.hetzner-api-token.result.token}"}},
  "program": ["/bin/hetzner-api-token"]}`)
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
