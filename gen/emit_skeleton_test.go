package gen

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// Tests for the skeleton, clan, machine, base, darwin multi-user and zerotier
// emitters. They run those emitters alone (not Generate) so that they test
// exactly these files, then check them with the real nix-instantiate:
// every file parses, and small pieces are evaluated against stub arguments
// to prove their structure.

var wireExamples = []string{"minimal", "seed", "large"}

// wireEmitters are the emitters under test, in Generate's order.
var wireEmitters = []func(*build){emitSkeleton, emitClan, emitMachines, emitBase, emitDarwin, emitZerotier}

func wireParse(t testing.TB, data []byte) *Spec {
	t.Helper()
	// Every valid fleet has an admin; the wiring tests are about other
	// fields, so a spec written without one gets the fixture admin.
	if !bytes.Contains(data, []byte(`"admins"`)) && !bytes.Contains(data, []byte(`"admin":true`)) {
		data = append([]byte(`{`+adm), bytes.TrimPrefix(bytes.TrimSpace(data), []byte("{"))...)
	}
	s, diags := Parse(data)
	if s == nil || HasErrors(diags) {
		t.Fatalf("spec does not parse: %+v", diags)
	}
	return s.Spec()
}

func wirePaths(files map[string]string) []string {
	var ps []string
	for p := range files {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// wireEval evaluates expr with nix-instantiate and decodes the JSON result.
func wireEval(t testing.TB, expr string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(nixtest.EvalJSON(t, expr), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// wireJSON decodes a JSON literal for comparisons with wireEval results.
func wireJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad expected JSON %s: %v", s, err)
	}
	return v
}

func wireEqual(t testing.TB, what string, got any, want string) {
	t.Helper()
	if w := wireJSON(t, want); !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("%s:\n got %s\nwant %s", what, g, want)
	}
}

// nixExpr wraps a generated file so it can be embedded in an expression.
func nixExpr(src string) string { return "(\n" + src + "\n)" }

// TestWireNixParses: every .nix file the emitters write, for every example,
// is accepted by `nix-instantiate --parse` (which also rejects unbound
// variables). All files of an example go through one process; on failure
// each is parsed alone to name the culprit.
func TestWireNixParses(t *testing.T) {
	for _, ex := range wireExamples {
		t.Run(ex, func(t *testing.T) {
			files := runEmitters(t, exampleSpec(t, ex), wireEmitters)
			var all strings.Builder
			all.WriteString("[\n")
			n := 0
			for _, p := range wirePaths(files) {
				if strings.HasSuffix(p, ".nix") {
					all.WriteString(nixExpr(files[p]) + "\n")
					n++
				}
			}
			all.WriteString("]\n")
			if n == 0 {
				t.Fatal("no .nix files emitted")
			}
			if msg := nixtest.ParseErr(t, []byte(all.String())); msg != nil {
				for _, p := range wirePaths(files) {
					if strings.HasSuffix(p, ".nix") {
						if m := nixtest.ParseErr(t, []byte(files[p])); m != nil {
							t.Errorf("%s does not parse: %s\n%s", p, m, files[p])
						}
					}
				}
			}
		})
	}
}

func TestWireDeterministic(t *testing.T) {
	for _, ex := range wireExamples {
		a := runEmitters(t, exampleSpec(t, ex), wireEmitters)
		b := runEmitters(t, exampleSpec(t, ex), wireEmitters)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs differ", ex)
		}
	}
}

// flakeInputs evaluates flake.nix's inputs to {name: {url, follows}}.
func flakeInputs(t *testing.T, files map[string]string) map[string]any {
	t.Helper()
	v := wireEval(t, `let f = `+nixExpr(files["flake.nix"])+`; in
builtins.mapAttrs (n: i: {
  url = i.url;
  follows = builtins.mapAttrs (_: x: x.follows) (i.inputs or { });
}) f.inputs`)
	return v.(map[string]any)
}

func TestWireFlakeInputs(t *testing.T) {
	cases := []struct {
		example string
		want    []string
	}{
		{"minimal", []string{"clan-core", "disko", "flake-parts", "import-tree", "nix-unit", "nixpkgs", "nixpkgs-linux-stable", "treefmt-nix"}},
		{"seed", []string{"clan-core", "disko", "flake-parts", "home-manager", "import-tree", "nix-darwin", "nix-unit",
			"nixpkgs", "nixpkgs-darwin-stable", "nixpkgs-linux-stable", "nuenv", "pkgs-by-name-for-flake-parts",
			"sops-nix", "srvos", "terranix", "treefmt-nix"}},
	}
	for _, c := range cases {
		t.Run(c.example, func(t *testing.T) {
			s := exampleSpec(t, c.example)
			files := runEmitters(t, s, wireEmitters)
			in := flakeInputs(t, files)
			var got []string
			for n := range in {
				got = append(got, n)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("inputs\n got %v\nwant %v", got, c.want)
			}
			for _, n := range got {
				if !inputNeeded(model(s), n) {
					t.Errorf("flake.nix has input %s but inputNeeded says no", n)
				}
				// Every follows target is an input of this flake.
				for _, target := range in[n].(map[string]any)["follows"].(map[string]any) {
					if _, ok := in[target.(string)]; !ok {
						t.Errorf("%s follows missing input %v", n, target)
					}
				}
			}
			url := func(n string) string { return in[n].(map[string]any)["url"].(string) }
			if got := url("nixpkgs"); got != "github:NixOS/nixpkgs/"+s.Channels.Unstable {
				t.Errorf("nixpkgs url %q", got)
			}
			if got := url("nixpkgs-linux-stable"); got != "github:NixOS/nixpkgs/"+s.Channels.NixOS {
				t.Errorf("linux stable url %q", got)
			}
			wireEqual(t, "flake-parts follows", in["flake-parts"].(map[string]any)["follows"], `{"nixpkgs-lib":"nixpkgs"}`)
			if c.example == "seed" {
				if got := url("nuenv"); got != "github:hallettj/nuenv/writeShellApplication" {
					t.Errorf("nuenv url %q", got)
				}
				wireEqual(t, "clan-core follows", in["clan-core"].(map[string]any)["follows"],
					`{"disko":"disko","flake-parts":"flake-parts","nix-darwin":"nix-darwin","nixpkgs":"nixpkgs","sops-nix":"sops-nix","treefmt-nix":"treefmt-nix"}`)
			}
		})
	}
}

// The outputs line is exactly the import-tree delegation.
func TestWireFlakeOutputs(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "minimal"), wireEmitters)
	flat := strings.Join(strings.Fields(files["flake.nix"]), " ")
	want := "outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules);"
	if !strings.Contains(flat, want) {
		t.Errorf("flake.nix lacks %q:\n%s", want, files["flake.nix"])
	}
	// Evaluate the outputs function with stubs: it must call mkFlake with
	// the inputs and import-tree applied to ./modules.
	v := wireEval(t, `let f = `+nixExpr(files["flake.nix"])+`;
  out = f.outputs {
    flake-parts.lib.mkFlake = args: mod: { inherit (args) inputs; inherit mod; };
    import-tree = p: "tree:" + baseNameOf p;
  };
in { hasInputs = out.inputs ? import-tree; mod = out.mod; }`)
	wireEqual(t, "outputs", v, `{"hasInputs":true,"mod":"tree:modules"}`)
}

func TestWireFleetJSONRoundTrip(t *testing.T) {
	for _, ex := range wireExamples {
		s := exampleSpec(t, ex)
		files := runEmitters(t, s, wireEmitters)
		data := files["fleet.json"]
		if !strings.HasSuffix(data, "}\n") || strings.Contains(data, "\t") {
			t.Errorf("%s: fleet.json is not 2-space indented with a final newline", ex)
		}
		again := wireParse(t, []byte(data))
		if !reflect.DeepEqual(s, again) {
			t.Errorf("%s: Parse(fleet.json) differs from the spec", ex)
		}
		if files2 := runEmitters(t, again, wireEmitters); files2["fleet.json"] != data {
			t.Errorf("%s: fleet.json is not a fixed point", ex)
		}
	}
}

func TestWireSkeletonFiles(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wireEmitters)
	for _, p := range []string{".gitignore", "modules/flake-parts.nix", "modules/systems.nix",
		"modules/formatting.nix", "modules/dev-shell.nix"} {
		if _, ok := files[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	for _, line := range []string{"result", ".direnv/", "terraform/.terraform/", "terraform/.terraform.lock.hcl",
		"terraform/config.tf.json", ".terraform-deploy-key"} {
		if !strings.Contains("\n"+files[".gitignore"], "\n"+line+"\n") {
			t.Errorf(".gitignore lacks %s", line)
		}
	}
	v := wireEval(t, `let
  systems = `+nixExpr(files["modules/systems.nix"])+`;
  fp = `+nixExpr(files["modules/flake-parts.nix"])+` { inputs.flake-parts.flakeModules.modules = "MODULES"; };
  fmt = `+nixExpr(files["modules/formatting.nix"])+` { inputs.treefmt-nix.flakeModule = "TREEFMT"; };
  shell = (`+nixExpr(files["modules/dev-shell.nix"])+`.perSystem {
    pkgs = { mkShell = a: a.packages; sops = "sops"; ssh-to-age = "ssh-to-age"; age = "age"; nh = "nh"; };
    "inputs'".clan-core.packages.clan-cli = "clan-cli";
  }).devShells.default;
in {
  inherit (systems) systems;
  fp = fp.imports;
  fmt = fmt.imports;
  treefmt = (fmt.perSystem { }).treefmt;
  inherit shell;
}`)
	wireEqual(t, "skeleton", v, `{
  "systems": ["aarch64-darwin", "x86_64-linux"],
  "fp": ["MODULES"],
  "fmt": ["TREEFMT"],
  "treefmt": {"projectRootFile": "flake.nix", "programs": {"nixfmt": {"enable": true}}},
  "shell": ["clan-cli", "sops", "ssh-to-age", "age", "nh"]
}`)
}

// User text that would break out of a Nix string comes out inert.
func TestWireHostileText(t *testing.T) {
	evil := "x\"; ${builtins.abort \"pwned\"} '' ${x} \\ \n# not a comment"
	spec := map[string]any{
		"version":     1,
		"name":        "evil",
		"description": evil,
		"machines": []any{map[string]any{
			"name": "box", "class": "nixos", "description": evil, "targetHost": evil,
		}},
		"users": []any{map[string]any{
			"name": "eve", "fullName": evil, "machines": []any{"box"},
			"sshKeys": []any{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT " + evil},
		}},
	}
	data, _ := json.Marshal(spec)
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		t.Fatal(err)
	}
	applyDefaults(&s) // straight to the emitters: validation is not what is tested
	files := runEmitters(t, &s, wireEmitters)
	v := wireEval(t, `let
  flake = `+nixExpr(files["flake.nix"])+`;
  inv = `+nixExpr(files["modules/clan/inventory/machines.nix"])+`;
  user = (`+nixExpr(files["modules/system/users/eve.nix"])+`.flake.modules.nixos."users/eve" { pkgs.zsh = "zsh"; }).users.users.eve;
in [ flake.description inv.clan.inventory.machines.box.description inv.clan.inventory.machines.box.deploy.targetHost
     user.description (builtins.head user.openssh.authorizedKeys.keys) ]`)
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT " + evil
	want, _ := json.Marshal([]string{evil, evil, evil, evil, key})
	wireEqual(t, "hostile strings", v, string(want))
}

// BenchmarkWireEmitters measures the emitters under test on the large
// example (100 machines, 50 users), printing included.
func BenchmarkWireEmitters(b *testing.B) {
	m := model(exampleSpec(b, "large"))
	b.ReportAllocs()
	for b.Loop() {
		bld := &build{spec: m, files: map[string]File{}}
		for _, e := range wireEmitters {
			e(bld)
		}
	}
}
