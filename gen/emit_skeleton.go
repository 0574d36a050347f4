package gen

import (
	"strings"

	"github.com/fleetyard/fleetyard/gen/jsonw"
	"github.com/fleetyard/fleetyard/gen/nix"
)

// emitSkeleton writes the files every generated repository has: flake.nix
// (inputs only, outputs delegated to import-tree), fleet.json, .gitignore and
// the flake-parts modules for module classes, systems, formatting and the
// dev shell.
// skeletonPattern is what every repository has: flake.nix, fleet.json,
// the flake-parts plumbing, formatting and the dev shell.
var skeletonPattern = pattern{
	name:      "skeleton",
	inputs:    func(*fleet) []string { return []string{inNixpkgs, inFlakeParts, inImportTree, inTreefmtNix} },
	bootstrap: skeletonBootstrap,
	emit:      emitSkeleton,
}

func emitSkeleton(b *build) {
	s := b.spec
	b.addNix("flake.nix", flakeNix(s))
	b.addKept("fleet.json", b.fleetJSON())
	b.addKept(".gitignore", []byte(gitignore))

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
// several admins share one state. Its .backup (the previous state, which
// the local backend writes at each change) stays on the admin's disk.
const gitignore = `result
result-*
.direnv/
# Terraform: the state (terraform/terraform.tfstate) is encrypted and committed.
terraform/.terraform/
terraform/.terraform.lock.hcl
terraform/config.tf.json
terraform/terraform.tfstate.backup
.terraform-deploy-key
`

// fleetJSON re-encodes the defaulted spec: deterministic for a given spec
// and self-documenting (every default is spelled out), and Parse of it gives
// the same spec back, so the repository can be regenerated or reopened in
// the playground.
func (b *build) fleetJSON() []byte {
	// At the size it had last time plus room for a keystroke's growth: a
	// large fleet's text (59 KB) grown by doubling from 4 KB allocates and
	// copies twice over.
	size := max(4096, b.cache.keptLen("fleet.json")+1024)
	return append(jsonw.AppendIndent(make([]byte, 0, size), b.spec.spec), '\n')
}

func flakeNix(s *fleet) nix.File {
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
			bind.Comment = strings.Split(c, "\n")
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
			"these modules against; `nix flake update` keeps them until you edit the ref. The",
			"others, nixpkgs among them, move to their branch's newest commit, which the pinned",
			"ones were not checked with: run `nix flake check` after an update, before deploying.",
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

// skeletonBootstrap: the git checkout and the dev shell every later step
// runs in.
func skeletonBootstrap(s *fleet) []readmeStep {
	return []readmeStep{gitStep, {rank: stepDevShell, title: "Enter the development shell", body: func(w *mdWriter) {
		// dev-shell.nix keeps a SOPS_AGE_KEY_FILE the admin set; clan reads
		// SOPS_AGE_KEY instead of any file when that is set
		// (clan_cli/secrets/sops.py, the age branch of collect_public_keys).
		w.WriteString("It provides clan, sops, ssh-to-age, age and nh at the versions this flake pins, and\n" +
			"sets `SOPS_AGE_KEY_FILE=~/.config/sops/age/keys.txt` so clan and sops find your key on\n" +
			"Linux and macOS alike (on macOS they would otherwise look in\n" +
			"`~/Library/Application Support/sops/age/`). Run the commands of the steps below in\n" +
			"this shell. A `SOPS_AGE_KEY_FILE` you set already is kept for clan and sops: put your\n")
		if hasSecrets(s) {
			w.WriteString("key in that file too in the next step (home secrets, decrypted by sops-nix, read only\n" +
				"`~/.config/sops/age/keys.txt`). Unset `SOPS_AGE_KEY`: while it is set, clan reads no\n" +
				"key file at all.\n" +
				"\n")
		} else {
			w.WriteString("key in that file in the next step. Unset `SOPS_AGE_KEY`: while it is set, clan reads no\n" +
				"key file at all.\n" +
				"\n")
		}
		// perSystem outputs (devShells, packages.terraform) exist for the
		// systems in modules/systems.nix only (flake-parts).
		w.line("The shell exists for the systems in `modules/systems.nix`: ", readmeCodeList(systems(s)), ".")
		w.WriteString("On a workstation of another system, add that system to the list first.\n" +
			"\n")
		// The official installer leaves flakes off; a Mac's /etc/nix/nix.conf
		// must keep the installer's bytes for nix-darwin (emit_multiuser.go).
		w.WriteString("It needs flakes: if `nix develop` says they are disabled (the official installer's\n" +
			"default), add `experimental-features = nix-command flakes` to `~/.config/nix/nix.conf`,\n" +
			"not to `/etc/nix/nix.conf`.\n" +
			"\n")
		// Nix writes flake.lock at the first command that evaluates the
		// flake; clan commits only the files it writes (clan_lib/git), so
		// nothing else ever commits the lock, and each checkout would pin
		// its own revisions of the inputs without one.
		w.WriteString("The first command that evaluates the flake writes `flake.lock`: the exact revision of\n" +
			"every input. Commit it once and push it, so that every admin and every machine builds\n" +
			"the same versions (clan commits only the files it writes itself):\n" +
			"\n")
		w.code("nix develop", "git add flake.lock && git commit -m 'pin the flake inputs'   # once, by the first admin")
	}}}
}

// gitStep puts an exported repository under git first. clan commits what
// it writes (vars, keys, groups, facter.json, inventory.json) only when the
// flake directory has a .git (clan_lib/git/__init__.py, commit_file);
// elsewhere it skips the commit without a word, and the admins would not
// share what one of them generated. A git flake also sees only the files
// git tracks, hence the add before anything else runs.
var gitStep = readmeStep{rank: stepGit, title: "Put the repository in git", body: func(w *mdWriter) {
	w.WriteString("clan commits everything it writes (secrets, keys, hardware facts) itself, but only in a\n" +
		"git checkout: anywhere else it silently commits nothing. Flakes in a git checkout see only\n" +
		"the files git tracks. So, unless this directory is a checkout already (a download from\n" +
		"Fleetyard is not), start one, and push it somewhere every admin can pull from:\n" +
		"\n")
	w.code("git init", "git add -A", "git commit -m 'fleet from Fleetyard'")
}}
