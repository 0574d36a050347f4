package gen

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// emitSkeleton writes the files every generated repository has: flake.nix
// (inputs only, outputs delegated to import-tree), fleet.json, .gitignore and
// the flake-parts modules for module classes, systems, formatting and the
// dev shell.
func emitSkeleton(b *build) {
	s := b.spec
	b.addNix("flake.nix", flakeNix(s))
	b.add("fleet.json", b.fleetJSON())
	b.add(".gitignore", []byte(gitignore))

	b.addNix("modules/flake-parts.nix", nix.File{
		Header: []string{"Enables flake.modules.<class>.<name>: every other file contributes to it."},
		Body: nix.Module([]string{"inputs"}, nix.Set(
			nix.Bind(nix.List{ref("inputs.flake-parts.flakeModules.modules")}, "imports"),
		)),
	})

	sys := systems(s)
	b.addNix("modules/systems.nix", nix.File{
		Header: []string{"The systems the fleet's machines run; perSystem outputs exist for these only."},
		Body:   nix.Set(nix.Bind(nix.Strs(sys...), "systems")),
	})

	b.addNix("modules/formatting.nix", nix.File{
		Header: []string{"`nix fmt` formats every .nix file with nixfmt (treefmt-nix)."},
		Body: nix.Module([]string{"inputs"}, nix.Set(
			nix.Bind(nix.List{ref("inputs.treefmt-nix.flakeModule")}, "imports"),
			nix.Bind(nix.Module(nil, nix.Set(
				nix.Bind(nix.Str("flake.nix"), "treefmt", "projectRootFile"),
				nix.Bind(nix.Bool(true), "treefmt", "programs", "nixfmt", "enable"),
			)), "perSystem"),
		)),
	})

	b.addNix("modules/dev-shell.nix", nix.File{
		Header: []string{
			"`nix develop`: the tools the README's bootstrap steps use.",
			"clan-cli comes from clan-core so it matches the modules this flake evaluates.",
		},
		Body: nix.Set(
			nix.Bind(nix.Module([]string{"pkgs", "inputs'"}, nix.Set(
				nix.Bind(nix.Call(ref("pkgs.mkShell"), nix.Set(
					nix.Bind(nix.List{
						ref("inputs'.clan-core.packages.clan-cli"),
						ref("pkgs.sops"),
						ref("pkgs.ssh-to-age"),
						ref("pkgs.age"),
						ref("pkgs.nh"),
					}, "packages"),
					nix.Binding{
						Comment: []string{
							"One age key file on Linux and macOS: clan and sops read",
							"~/Library/Application Support/sops/age/keys.txt on macOS unless told",
							"otherwise, home-manager's sops-nix reads ~/.config/sops/age/keys.txt.",
						},
						Path:  []string{"shellHook"},
						Value: nix.Str(devShellHook),
					},
				)), "devShells", "default"),
			)), "perSystem"),
		),
	})
}

// devShellHook points clan and sops at the README's age key file. Without
// it clan looks in the platform's config directory, which on macOS is
// ~/Library/Application Support (clan_lib/dirs user_config_dir, unless
// XDG_CONFIG_HOME is set), while base-sops reads ~/.config on every
// platform. A key file the user chose (SOPS_AGE_KEY_FILE set) is kept.
const devShellHook = `export SOPS_AGE_KEY_FILE="${SOPS_AGE_KEY_FILE:-$HOME/.config/sops/age/keys.txt}"
`

// gitignore keeps build results, Terraform's working files and the deploy
// key out of git; the terraform lines are harmless when the fleet has no
// cloud servers. terraform/terraform.tfstate is not ignored: OpenTofu
// encrypts it (emit_terranix.go, enforced), and committing it is how
// several admins share one state.
const gitignore = `result
result-*
.direnv/
# Terraform: the state (terraform/terraform.tfstate) is encrypted and committed.
terraform/.terraform/
terraform/.terraform.lock.hcl
terraform/config.tf.json
.terraform-deploy-key
`

// fleetJSON re-encodes the defaulted spec: deterministic for a given spec
// and self-documenting (every default is spelled out), and Parse of it gives
// the same spec back, so the repository can be regenerated or reopened in
// the playground.
//
// It encodes compactly into the build's scratch buffer and indents from
// there into one buffer sized up front: the same bytes an indenting Encoder
// writes (it runs the same indenter), without its private indent buffer
// and a growing output buffer, each garbage once the file is copied out.
func (b *build) fleetJSON() []byte {
	compact := bytes.NewBuffer(b.scratch[:0])
	enc := json.NewEncoder(compact)
	enc.SetEscapeHTML(false) // keep descriptions with <, > and & readable
	if err := enc.Encode(b.spec); err != nil {
		// Spec holds only strings, ints, bools and slices of them: it
		// always encodes.
		panic("gen: encoding fleet.json: " + err.Error())
	}
	b.scratch = compact.Bytes()
	// json.Indent grows its destination to twice the input first, so
	// this capacity means no further allocation.
	out := bytes.NewBuffer(make([]byte, 0, 2*len(b.scratch)))
	if err := json.Indent(out, b.scratch, "", "  "); err != nil {
		panic("gen: indenting fleet.json: " + err.Error())
	}
	return out.Bytes()
}

func flakeNix(s *Spec) nix.File {
	var inputs []nix.Binding
	for _, name := range inputNames(s) {
		binds := []nix.Binding{nix.Bind(nix.Str(inputURL(s, name)), "url")}
		for _, f := range inputFollows(s, name) {
			binds = append(binds, nix.Bind(nix.Str(f[1]), "inputs", f[0], "follows"))
		}
		bind := nix.Bind(nix.Set(binds...), name)
		if len(binds) == 1 {
			bind = nix.Bind(binds[0].Value, name, "url")
		}
		if c := inputComment(s, name); c != "" {
			bind.Comment = []string{c}
		}
		inputs = append(inputs, bind)
	}
	desc := s.Description
	if desc == "" {
		desc = "Fleet " + s.Name + " (generated by Fleetyard)"
	}
	return nix.File{
		Header: []string{
			"Generated by Fleetyard from fleet.json. Inputs only: every output is",
			"defined by the flake-parts modules under ./modules (import-tree).",
			"Inputs with a revision in their URL are pinned to the revisions Fleetyard checked",
			"these modules against; `nix flake update` keeps them until you edit the ref.",
		},
		Body: nix.Set(
			nix.Bind(nix.Str(desc), "description"),
			nix.Bind(nix.Set(inputs...), "inputs"),
			nix.Bind(nix.Lambda{
				At:       "inputs",
				Formals:  []nix.Formal{{Name: "flake-parts"}},
				Ellipsis: true,
				Body: nix.Call(ref("flake-parts.lib.mkFlake"),
					nix.Set(nix.Binding{Inherit: []string{"inputs"}}),
					nix.Call(ref("inputs.import-tree"), nix.Path("./modules")),
				),
			}, "outputs"),
		),
	}
}

// ref turns a fixed dotted reference written by Fleetyard ("inputs.x.y")
// into a Select. Never pass user text: a user-named attribute goes through
// nix.Sel so the printer quotes it.
func ref(dotted string) nix.Expr {
	parts := strings.Split(dotted, ".")
	if len(parts) == 1 {
		return nix.Ident(parts[0])
	}
	return nix.Sel(nix.Ident(parts[0]), parts[1:]...)
}
