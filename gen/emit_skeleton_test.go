package gen

// Tests of the skeleton pattern (emit_skeleton.go): flake.nix, the
// flake-parts modules, the dev shell and fleet.json.

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// flakeInputs evaluates flake.nix's inputs to {name: {url, follows}}.
func flakeInputs(t *testing.T, files map[string]string) map[string]any {
	t.Helper()
	v := evalNix(t, `let f = `+nixExpr(files["flake.nix"])+`; in
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
			files := runEmitters(t, s, wiringEmitters)
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
			equalJSON(t, "flake-parts follows", in["flake-parts"].(map[string]any)["follows"], `{"nixpkgs-lib":"nixpkgs"}`)
			if c.example == "seed" {
				if got := url("nuenv"); got != "github:hallettj/nuenv/writeShellApplication" {
					t.Errorf("nuenv url %q", got)
				}
				equalJSON(t, "clan-core follows", in["clan-core"].(map[string]any)["follows"],
					`{"disko":"disko","flake-parts":"flake-parts","nix-darwin":"nix-darwin","nixpkgs":"nixpkgs","sops-nix":"sops-nix","treefmt-nix":"treefmt-nix"}`)
			}
		})
	}
}

// The outputs line is exactly the import-tree delegation.
func TestWireFlakeOutputs(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "minimal"), wiringEmitters)
	flat := strings.Join(strings.Fields(files["flake.nix"]), " ")
	want := "outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules);"
	if !strings.Contains(flat, want) {
		t.Errorf("flake.nix lacks %q:\n%s", want, files["flake.nix"])
	}
	// Evaluate the outputs function with stubs: it must call mkFlake with
	// the inputs and import-tree applied to ./modules.
	v := evalNix(t, `let f = `+nixExpr(files["flake.nix"])+`;
  out = f.outputs {
    flake-parts.lib.mkFlake = args: mod: { inherit (args) inputs; inherit mod; };
    import-tree = p: "tree:" + baseNameOf p;
  };
in { hasInputs = out.inputs ? import-tree; mod = out.mod; }`)
	equalJSON(t, "outputs", v, `{"hasInputs":true,"mod":"tree:modules"}`)
}

func TestWireFleetJSONRoundTrip(t *testing.T) {
	for _, ex := range exampleNames {
		s := exampleSpec(t, ex)
		files := runEmitters(t, s, wiringEmitters)
		data := files["fleet.json"]
		if !strings.HasSuffix(data, "}\n") || strings.Contains(data, "\t") {
			t.Errorf("%s: fleet.json is not 2-space indented with a final newline", ex)
		}
		again := parseSpec(t, []byte(data))
		if !reflect.DeepEqual(s, again) {
			t.Errorf("%s: Parse(fleet.json) differs from the spec", ex)
		}
		if files2 := runEmitters(t, again, wiringEmitters); files2["fleet.json"] != data {
			t.Errorf("%s: fleet.json is not a fixed point", ex)
		}
	}
}

func TestWireSkeletonFiles(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
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
	v := evalNix(t, `let
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
	equalJSON(t, "skeleton", v, `{
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
	files := runEmitters(t, &s, wiringEmitters)
	v := evalNix(t, `let
  flake = `+nixExpr(files["flake.nix"])+`;
  inv = `+nixExpr(files["modules/clan/inventory/machines.nix"])+`;
  user = (`+nixExpr(files["modules/system/users/eve.nix"])+`.flake.modules.nixos."users/eve" { pkgs.zsh = "zsh"; }).users.users.eve;
in [ flake.description inv.clan.inventory.machines.box.description inv.clan.inventory.machines.box.deploy.targetHost
     user.description (builtins.head user.openssh.authorizedKeys.keys) ]`)
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT " + evil
	want, _ := json.Marshal([]string{evil, evil, evil, evil, key})
	equalJSON(t, "hostile strings", v, string(want))
}

// TestDevShellAgeKeyFile: clan looks for the age key in
// ~/Library/Application Support/sops/age/keys.txt on macOS unless
// XDG_CONFIG_HOME or SOPS_AGE_KEY_FILE is set (clan_lib/dirs
// user_config_dir; clan_cli/secrets/sops.py), while base-sops and the
// README use ~/.config/sops/age/keys.txt: the dev shell points both at the
// README's file, and keeps a key file the user chose.
func TestDevShellAgeKeyFile(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	hook := evalNix(t, `((`+callModule(t, files, "modules/dev-shell.nix", `{ }`)+`).perSystem {
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

// TestReadmeNamesTheDevShellSystems: flake-parts makes perSystem outputs
// (devShells.default, packages.terraform) for the systems in
// modules/systems.nix only, which are the machines' systems. The dev shell
// step names that list, so an admin on another workstation system knows
// why `nix develop` finds no shell.
func TestReadmeNamesTheDevShellSystems(t *testing.T) {
	for _, ex := range []string{"seed", "large", "minimal"} {
		t.Run(ex, func(t *testing.T) {
			files := runEmitters(t, exampleSpec(t, ex), plainEmitters)
			var listed []string
			for _, v := range evalNix(t, nixExpr(files["modules/systems.nix"])+".systems").([]any) {
				listed = append(listed, "`"+v.(string)+"`")
			}
			if len(listed) == 0 {
				t.Fatal("modules/systems.nix lists no system")
			}
			_, para, ok := strings.Cut(files["README.md"], "The shell exists for the systems in `modules/systems.nix`: ")
			para, _, _ = strings.Cut(para, ".\n")
			if !ok {
				t.Fatal("the dev shell step does not name the systems")
			}
			got := strings.FieldsFunc(strings.ReplaceAll(para, " and ", ","), func(r rune) bool { return r == ',' || r == ' ' })
			if strings.Join(got, " ") != strings.Join(listed, " ") {
				t.Errorf("the README names %v, modules/systems.nix has %v", got, listed)
			}
		})
	}
}
