package gen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fleetyard/fleetyard/gen/nix"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// fixedTrees are the trees of the fixed files (fixed.go): the generator
// ships their printed text, and these trees, written with the same
// constants and helpers as the rest of the generator, are where that text
// comes from. Change a tree or a constant it reads, then rewrite the texts
// with go test ./gen -run TestFixedFilesArePrinted -update.
var fixedTrees = []struct {
	path string
	text []byte
	tree func() nix.File
}{
	{pathOverlayOption, fixedOverlayOption, overlayOptionFile},
	{pathPackagesMod, fixedPackagesModule, packagesModuleFile},
	{pathPerSystemPkgs, fixedPerSystemPkgs, perSystemPkgsFile},
	{"modules/checks/performance.nix", fixedChecksPerformance, checksPerformanceFile},
	{"modules/home/base-sops.nix", fixedBaseSops, func() nix.File { return baseSopsFile }},
	{"modules/terranix/base.nix", fixedTerranixBase, func() nix.File { return terranixBase }},
	{"modules/terranix/config.nix", fixedTerranixConfig, func() nix.File { return terranixConfig }},
}

// TestFixedFilesArePrinted: every fixed file is, byte for byte, what the
// printer makes of its tree, so a constant the generator shares with it
// (a secret's name, the wrapper's script) cannot drift from it; and the
// generator writes each at its path (TestGolden covers where and when).
func TestFixedFilesArePrinted(t *testing.T) {
	for _, f := range fixedTrees {
		want := nix.Print(f.tree())
		if updating() {
			dst := filepath.Join("fixed", filepath.FromSlash(f.path))
			if err := os.WriteFile(dst, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if string(f.text) != string(want) {
			t.Errorf("gen/fixed/%s is not what its tree prints (go test ./gen -run TestFixedFilesArePrinted -update):\n%s", f.path, tooltest.DiffExcerpt(f.text, want, 12))
		}
	}
}

func overlayOptionFile() nix.File {
	return nix.File{
		Header: []string{
			"Overlay layers (pattern 2): the option every overlay file contributes to.",
			"",
			"Each layer file adds its overlays under a key that starts with the layer",
			"number (\"1-channels\", \"2-hotfixes\", \"4-overrides\", \"5-flake-inputs\").",
			"nixpkgsOverlays is computed from those keys with attrValues, which returns",
			"values sorted by key, so the order is 1 -> 5 whatever order import-tree",
			"loads the files in (it goes alphabetically: a plain list merged from the",
			"files would put overlays/flake-inputs.nix before overlays/hotfixes.nix).",
			"Layer 3 (pkgs/by-name) is added in compose.nix. Both are options of this flake's",
			"modules, not flake outputs.",
		},
		Body: nix.Module([]string{"config", "lib"}, nix.Set(
			nix.Bind(nix.Call(ref("lib.mkOption"), nix.Set(
				nix.Bind(nix.Call(ref("lib.types.attrsOf"), nix.Call(ref("lib.types.listOf"), ref("lib.types.raw"))), "type"),
				nix.Bind(nix.Set(), "default"),
				nix.Bind(nix.Str("Overlays by layer. Keys sort in composition order: start each with its layer number."), "description"),
			)), "options", "nixpkgsOverlayLayers"),
			nix.Binding{
				Comment: []string{"Read-only so nothing can append to it directly and bypass the layer order."},
				Path:    []string{"options", "nixpkgsOverlays"},
				Value: nix.Call(ref("lib.mkOption"), nix.Set(
					nix.Bind(nix.Call(ref("lib.types.listOf"), ref("lib.types.raw")), "type"),
					nix.Bind(nix.Bool(true), "readOnly"),
					nix.Bind(nix.Call(ref("lib.concatLists"), nix.Call(ref("lib.attrValues"), ref("config.nixpkgsOverlayLayers"))), "default"),
					nix.Bind(nix.Str("All overlay layers, in layer order; composed by compose.nix."), "description"),
				)),
			},
		)),
	}
}

func packagesModuleFile() nix.File {
	return nix.File{
		Header: []string{
			"Overlay layer 3: the fleet's own packages, one directory each under",
			"pkgs/by-name/<name>/package.nix (called with callPackage). They are exposed as",
			"packages.<system>.<name> (nix build .#<name>) and legacyPackages.<system>.<name>,",
			"which compose.nix adds to the overlay: a new directory reaches every machine.",
			"A package here cannot take another one as an argument (its scope is nixpkgs and",
			"inputs): use inputs.self.packages.${stdenv.hostPlatform.system}.<name> instead.",
		},
		Body: nix.Module([]string{"inputs"}, nix.Set(
			nix.Bind(nix.List{ref("inputs.pkgs-by-name-for-flake-parts.flakeModule")}, "imports"),
			nix.Bind(nix.Path("../../pkgs/by-name"), "perSystem", "pkgsDirectory"),
		)),
	}
}

func perSystemPkgsFile() nix.File {
	return nix.File{
		Header: []string{
			"perSystem pkgs: nixpkgs with overlay layers 1, 2, 4 and 5 (layer 3 is built from",
			"this set, so it cannot also be part of it).",
		},
		Body: nix.Module([]string{"inputs", "config"}, nix.Set(
			nix.Bind(nix.Lambda{Formals: []nix.Formal{{Name: "system"}}, Ellipsis: true, Body: nix.Set(
				nix.Bind(nix.Call(nix.Ident("import"), ref("inputs.nixpkgs"), nix.Set(
					nix.Binding{Inherit: []string{"system"}},
					// Without it, nixpkgs' impure.nix reads the user's
					// ~/.config/nixpkgs/config.nix under --impure.
					nix.Bind(nix.Set(), "config"),
					nix.Bind(ref("config.nixpkgsOverlays"), "overlays"),
				)), "_module", "args", "pkgs"),
			)}, "perSystem"),
		)),
	}
}

func checksPerformanceFile() nix.File {
	return nix.File{
		Header: []string{
			"Performance: a PLACEHOLDER, not a measurement. Nix cannot time its own evaluation",
			"from inside a check, so nothing here enforces a budget. Measure from outside:",
			"  time nix flake check --no-build",
			"  nix eval --raw .#nixosConfigurations.<machine>.config.system.build.toplevel.drvPath",
			"and compare against your budget. --no-build evaluates every NixOS machine, so its time",
			"grows with the fleet.",
		},
		Body: nix.Set(nix.Bind(nix.Module([]string{"pkgs"}, nix.Set(
			nix.Bind(nix.Call(ref("pkgs.runCommand"), nix.Str("performance-placeholder"), nix.Set(), nix.Str(
				"echo 'performance checks are a placeholder: no budget is enforced' >&2\ntouch \"$out\"\n")),
				"checks", "performance-placeholder"),
		)), "perSystem")),
	}
}

var baseSopsFile = nix.File{
	Header: []string{"sops-nix for home-manager; each modules/home/users/<user>/secrets.nix imports it and", "sets sops.defaultSopsFile and sops.secrets."},
	Body: nix.Lambda{Formals: []nix.Formal{{Name: "inputs"}}, Ellipsis: true, Body: nix.Attrs{Binds: []nix.Binding{{
		Path: []string{"flake", "modules", "homeManager", "base-sops"},
		Value: nix.Lambda{Formals: []nix.Formal{{Name: "config"}, {Name: "lib"}, {Name: "pkgs"}}, Ellipsis: true, Body: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"imports"}, Value: nix.List{nix.Select{X: nix.Ident("inputs"), Attrs: []string{"sops-nix", "homeManagerModules", "sops"}}}},
			{
				Comment: []string{"The user's age key (ssh-to-age of their SSH key, or age-keygen)."},
				Path:    []string{"sops", "age", "keyFile"},
				Value:   nix.String{Parts: []nix.Part{{Expr: nix.Select{X: nix.Ident("config"), Attrs: []string{"xdg", "configHome"}}}, {Text: "/sops/age/keys.txt"}}},
			},
			{
				Comment: []string{
					"macOS: sops-nix decrypts from a launchd agent. home-manager starts agents in the",
					"gui domain, which exists only while the user is logged in graphically, and a",
					"failed start stops the switch (an account nobody has logged into yet has none).",
					"launchd's user domain exists without a login.",
				},
				Path:  []string{"launchd", "agents", "sops-nix", "domain"},
				Value: nix.Apply{Fn: hmMkIf, Args: []nix.Expr{hmIsDarwin, &nix.String{Parts: []nix.Part{{Text: "user"}}}}},
			},
			{
				Comment: []string{
					"sops-nix's own activation step restarts the agent in the gui domain, unordered, and",
					"its failed bootstrap stops the switch (Mic92/sops-nix#910): start it once",
					"home-manager has set it up instead, without failing the switch. Without -k: an agent",
					"home-manager has just loaded is running already (RunAtLoad), and killing it midway",
					"can leave its RAM disk attached.",
				},
				Path: []string{"home", "activation", "sops-nix"},
				Value: nix.Apply{Fn: hmMkIf, Args: []nix.Expr{hmIsDarwin, nix.Apply{
					Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mkForce"}},
					Args: []nix.Expr{nix.Apply{
						Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"hm", "dag", "entryAfter"}},
						Args: []nix.Expr{
							nix.List{&nix.String{Parts: []nix.Part{{Text: "setupLaunchAgents"}}}},
							&nix.String{Parts: []nix.Part{{Text: "run /bin/launchctl kickstart \"user/$(id -u)/org.nix-community.home.sops-nix\" || true\n"}}},
						},
					}},
				}}},
			},
		}}},
	}}}},
}

var terranixBase = nix.File{
	Header: []string{
		"Terraform base for terranix: the Hetzner Cloud provider. Its API token is a clan",
		"secret, read at plan/apply time (set it once with: clan secrets set --group admins " + tfTokenSecret + ").",
	},
	Body: nix.Attrs{Binds: []nix.Binding{{
		Path: []string{"flake", "modules", "terranix", "base"},
		Value: nix.Lambda{Formals: []nix.Formal{{Name: "pkgs"}, {Name: "lib"}}, Ellipsis: true, Body: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"terraform", "required_providers"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"hcloud", "source"}, Value: &nix.String{Parts: []nix.Part{{Text: tfHcloudSrc}}}},
				{Path: []string{"external", "source"}, Value: &nix.String{Parts: []nix.Part{{Text: tfExternalSrc}}}},
			}}},
			{
				Comment: []string{
					"An external data source runs a program that prints JSON; this one asks clan",
					"for the token so it never lands in the Nix store or in config.tf.json. It reaches",
					"jq on a pipe: a command line is readable by every local user (ps).",
				},
				Path: []string{"data", "external", tfTokenData, "program"},
				Value: nix.List{nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"getExe"}}, Args: []nix.Expr{
					nix.Apply{Fn: nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"writeShellApplication"}}, Args: []nix.Expr{nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"name"}, Value: &nix.String{Parts: []nix.Part{{Text: tfTokenData}}}},
						{Path: []string{"runtimeInputs"}, Value: nix.List{nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"jq"}}}},
						{Path: []string{"text"}, Value: &nix.String{Parts: []nix.Part{{Text: `clan secrets get ` + tfTokenSecret + ` | jq -Rn '{token: input}'` + "\n"}}}},
					}}}},
				}}},
			},
			{Path: []string{"provider", "hcloud", "token"}, Value: &nix.String{Parts: []nix.Part{{Text: tfTokenRef}}}},
			{
				Comment: []string{
					"The state encryption passphrase (see config.nix): set from the clan secret",
					tfStateSecret + " by the wrapper, never written to config.tf.json.",
				},
				Path:  []string{"variable", tfStateVar},
				Value: nix.Attrs{Binds: []nix.Binding{{Path: []string{"sensitive"}, Value: nix.Bool(true)}}},
			},
		}}},
	}}},
}

var terranixConfig = nix.File{
	Header: []string{
		"The terranix configuration behind `nix run .#terraform` (apply) and",
		"`nix run .#terraform.plan` / `.destroy`. It links terraform/config.tf.json (gitignored)",
		"to the configuration in the Nix store and runs OpenTofu there, with clan on PATH for",
		"the token, the state passphrase and the installs.",
	},
	Body: nix.Lambda{Formals: []nix.Formal{{Name: "config"}}, Ellipsis: true, Body: nix.Attrs{Binds: []nix.Binding{{
		Path: []string{"perSystem"},
		Value: nix.Lambda{Formals: []nix.Formal{{Name: "pkgs"}, {Name: "inputs'"}}, Ellipsis: true, Body: nix.Attrs{Binds: []nix.Binding{{
			Path: []string{"terranix", "terranixConfigurations", "terraform"},
			Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"workdir"}, Value: &nix.String{Parts: []nix.Part{{Text: tfWorkdir}}}},
				{Path: []string{"modules"}, Value: nix.List{
					nix.Select{X: nix.Ident("config"), Attrs: []string{"flake", "modules", "terranix", "base"}},
					nix.Select{X: nix.Ident("config"), Attrs: []string{"flake", "modules", "terranix", "hetzner"}},
				}},
				{Path: []string{"terraformWrapper"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"package"}, Value: nix.Apply{Fn: nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"opentofu", "withPlugins"}}, Args: []nix.Expr{
						nix.Lambda{Param: "p", Body: nix.List{
							nix.Select{X: nix.Ident("p"), Attrs: []string{"hashicorp_external"}},
							nix.Select{X: nix.Ident("p"), Attrs: []string{"hashicorp_local"}},
							nix.Select{X: nix.Ident("p"), Attrs: []string{"hashicorp_null"}},
							nix.Select{X: nix.Ident("p"), Attrs: []string{"hashicorp_tls"}},
							nix.Select{X: nix.Ident("p"), Attrs: []string{"hetznercloud_hcloud"}},
						}},
					}}},
					{Path: []string{"extraRuntimeInputs"}, Value: nix.List{nix.Select{X: nix.Ident("inputs'"), Attrs: []string{"clan-core", "packages", "clan-cli"}}}},
					{
						Comment: []string{
							"Encrypted state and plans (OpenTofu state encryption): the state holds the",
							"Hetzner token and the deploy key. The passphrase is the clan secret",
							tfStateSecret + "; the encrypted terraform/terraform.tfstate is safe to commit.",
							"Applies run one resource at a time: every install runs clan in this checkout,",
							"and concurrent ones would collide on git's index lock and on inventory.json.",
							"Every init takes the providers this flake's nixpkgs has (-upgrade): the lock file",
							"tofu keeps here would refuse the versions a `nix flake update` brings.",
							"clan reads your age key from the file `nix develop` names, in or outside it.",
						},
						Path:  []string{"prefixText"},
						Value: &nix.String{Parts: []nix.Part{{Text: tfWrapperPrefix}}},
					},
				}}},
			}},
		}}}},
	}}}},
}

var (
	hmMkIf     = nix.Select{X: nix.Ident("lib"), Attrs: []string{"mkIf"}}
	hmIsDarwin = nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"stdenv", "hostPlatform", "isDarwin"}}
)
