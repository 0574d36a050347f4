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
				)), "devShells", "default"),
			)), "perSystem"),
		),
	})
}

// gitignore keeps build results and Terraform's local state/secrets out of
// git; the terraform lines are harmless when the fleet has no cloud servers.
const gitignore = `result
result-*
.direnv/
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

// inputURL is the flake reference of each fixed input; the nixpkgs branches
// come from the spec's channels.
func inputURL(s *Spec, name string) string {
	switch name {
	case inNixpkgs:
		return "github:NixOS/nixpkgs/" + s.Channels.Unstable
	case inLinuxStable:
		return "github:NixOS/nixpkgs/" + s.Channels.NixOS
	case inDarwinStable:
		return "github:NixOS/nixpkgs/" + s.Channels.Darwin
	case inFlakeParts:
		return "github:hercules-ci/flake-parts"
	case inImportTree:
		return "github:vic/import-tree"
	case inClanCore:
		return "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"
	case inNixDarwin:
		return "github:nix-darwin/nix-darwin"
	case inHomeManager:
		return "github:nix-community/home-manager"
	case inSopsNix:
		return "github:Mic92/sops-nix"
	case inTerranix:
		return "github:terranix/terranix"
	case inDisko:
		return "github:nix-community/disko"
	case inSrvos:
		return "github:nix-community/srvos"
	case inTreefmtNix:
		return "github:numtide/treefmt-nix"
	case inNixUnit:
		return "github:nix-community/nix-unit"
	case inPkgsByName:
		return "github:drupol/pkgs-by-name-for-flake-parts"
	}
	for _, f := range s.Overlays.FlakeOverlays {
		if f.Input == name {
			return f.URL
		}
	}
	return ""
}

// inputFollows lists, for an input, which of its own inputs follow which of
// ours (its input name -> our input name), so the lock file holds one
// nixpkgs and one copy of each shared dependency. Only inputs that exist on
// both sides are listed: a follows for a missing input is a Nix warning.
func inputFollows(s *Spec, name string) [][2]string {
	var out [][2]string
	follow := func(theirs, ours string) {
		if inputNeeded(s, ours) {
			out = append(out, [2]string{theirs, ours})
		}
	}
	switch name {
	case inNixpkgs, inLinuxStable, inDarwinStable, inImportTree:
	case inFlakeParts:
		follow("nixpkgs-lib", inNixpkgs)
	case inClanCore:
		follow("nixpkgs", inNixpkgs)
		follow("flake-parts", inFlakeParts)
		follow("nix-darwin", inNixDarwin)
		follow("disko", inDisko)
		follow("sops-nix", inSopsNix)
		follow("treefmt-nix", inTreefmtNix)
	case inTerranix:
		follow("nixpkgs", inNixpkgs)
		follow("flake-parts", inFlakeParts)
	case inNixUnit:
		follow("nixpkgs", inNixpkgs)
		follow("flake-parts", inFlakeParts)
		follow("treefmt-nix", inTreefmtNix)
	case inPkgsByName:
		follow("flake-parts", inFlakeParts)
	default:
		// nix-darwin, home-manager, sops-nix, disko, srvos, treefmt-nix and
		// (by convention) overlay flakes all take a nixpkgs input.
		follow("nixpkgs", inNixpkgs)
	}
	return out
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

// inputComment says why an optional input is present.
func inputComment(s *Spec, name string) string {
	switch name {
	case inLinuxStable:
		return "`pkgs.stable` on Linux (overlay layer 1) and hotfixes."
	case inDarwinStable:
		return "`pkgs.stable` on macOS (overlay layer 1) and hotfixes."
	case inNixDarwin:
		return "darwin machines."
	case inHomeManager:
		return "Users' home-manager configurations."
	case inSopsNix:
		return "Users' secrets (home-manager sops-nix)."
	case inTerranix:
		return "Hetzner Cloud servers (terranix toggle)."
	case inDisko:
		return "Disk layouts of the NixOS machines."
	case inSrvos:
		return "Hetzner Cloud hardware profiles."
	case inNixUnit:
		return "Evaluation tests (`nix flake check`)."
	case inPkgsByName:
		return "Custom packages under pkgs/by-name (overlay layer 3)."
	}
	if !isFixedInput(name) {
		return "Flake overlay (overlay layer 5)."
	}
	return ""
}

func isFixedInput(name string) bool {
	for _, n := range fixedInputs {
		if n == name {
			return true
		}
	}
	return false
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
