package gen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// Pattern 3: home-manager "Pattern A" aggregates.
//
// Program files each contribute to one aggregate module
// (flake.modules.homeManager.<aggregate>); a user module
// (flake.modules.homeManager."users/<u>") carries identity; a secrets module
// ("users/<u>/secrets", importing base-sops) carries the user's sops-nix
// secrets. The machine modules (emit_machines.go) and
// modules/home/configurations.nix import the user module plus the user's
// aggregates, plus the secrets module where the user's age key is
// (homeSecretsOn).

// hmUserModule is the flake.modules.homeManager name of user u's module.
func hmUserModule(u string) string { return "users/" + u }

// hmProgram is one generated program file of a built-in aggregate.
type hmProgram struct {
	file    string // file name under modules/home/<aggregate>/
	comment string
	formals []string // inner module arguments besides "..."
	binds   []nix.Binding
}

// homeStateVersion is every user's home.stateVersion. It stays at the
// release these modules were first written for, apart from stableRelease:
// it is not recorded in fleet.json (machines' stateVersion is), so moving it
// would change the home.stateVersion of existing repositories at their next
// `fleetyard update`, which home-manager forbids. From 26.05 home-manager
// changes defaults these modules rely on (programs/zsh dotDir, programs/man
// on a Mac).
const homeStateVersion = "25.05"

// zshDotDir keeps zsh's files in the home directory, the default for the
// home.stateVersion Fleetyard writes; home-manager warns on every
// evaluation when it is left to the default, which moves to ~/.config/zsh
// from stateVersion 26.05 (programs/zsh). Set wherever zsh is enabled, once
// per user: by the shell aggregate, or by the module of a zsh user without it.
var zshDotDir = nix.Binding{
	Comment: []string{"zsh's files stay in the home directory: the default for a home.stateVersion before 26.05,", "set as home-manager asks (from 26.05 the default with xdg is ~/.config/zsh)."},
	Path:    []string{"dotDir"},
	Value:   nix.Select{X: nix.Ident("config"), Attrs: []string{"home", "homeDirectory"}},
}

// hmAggregate is a built-in aggregate and its program files.
type hmAggregate struct {
	name  string
	progs []hmProgram
}

// hmBuiltin holds the program files of the aggregates Fleetyard knows. Other
// aggregate names get an empty module to fill in.
//
// The table is written as plain composite literals (no nix.Bind, nix.Str or
// map), which the compiler lays out as static data: built by calls, it was
// about 7 KB of init code in the wasm module (inlining is off in gen there).
var hmBuiltin = []hmAggregate{
	{"core", []hmProgram{
		{file: "home-manager.nix", comment: "Let home-manager manage itself and use XDG directories.", binds: []nix.Binding{
			{Path: []string{"programs", "home-manager", "enable"}, Value: nix.Bool(true)},
			{Path: []string{"xdg", "enable"}, Value: nix.Bool(true)},
		}},
		{file: "packages.nix", comment: "Small command-line basics every user gets.", formals: []string{"pkgs"}, binds: []nix.Binding{
			{Path: []string{"home", "packages"}, Value: nix.List{nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"curl"}}, nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"jq"}}, nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"tree"}}}},
		}},
	}},
	{"shell", []hmProgram{
		{file: "zsh.nix", comment: "zsh with completion helpers (the login shell is the system's users.users.<name>.shell).", formals: []string{"config"}, binds: []nix.Binding{
			{Path: []string{"programs", "zsh"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"enable"}, Value: nix.Bool(true)},
				{Path: []string{"autosuggestion", "enable"}, Value: nix.Bool(true)},
				{Path: []string{"syntaxHighlighting", "enable"}, Value: nix.Bool(true)},
				// zshDotDir, written out: copying a variable holding an
				// interface is init code (TestBuiltinZshDotDir keeps them equal).
				{
					Comment: []string{"zsh's files stay in the home directory: the default for a home.stateVersion before 26.05,", "set as home-manager asks (from 26.05 the default with xdg is ~/.config/zsh)."},
					Path:    []string{"dotDir"},
					Value:   nix.Select{X: nix.Ident("config"), Attrs: []string{"home", "homeDirectory"}},
				},
			}}},
		}},
		{file: "starship.nix", comment: "A prompt that works the same in every shell.", binds: []nix.Binding{
			{Path: []string{"programs", "starship", "enable"}, Value: nix.Bool(true)},
		}},
		{file: "direnv.nix", comment: "Load a project's dev shell on cd (nix-direnv caches it).", binds: []nix.Binding{
			{Path: []string{"programs", "direnv"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"enable"}, Value: nix.Bool(true)},
				{Path: []string{"nix-direnv", "enable"}, Value: nix.Bool(true)},
			}}},
		}},
	}},
	{"development", []hmProgram{
		{file: "git.nix", comment: "git defaults; name and email come from each user's module.", binds: []nix.Binding{
			{Path: []string{"programs", "git"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"enable"}, Value: nix.Bool(true)},
				{Path: []string{"settings", "init", "defaultBranch"}, Value: &nix.String{Parts: []nix.Part{{Text: "main"}}}},
				{Path: []string{"settings", "pull", "rebase"}, Value: nix.Bool(true)},
				{Path: []string{"ignores"}, Value: nix.List{
					&nix.String{Parts: []nix.Part{{Text: ".direnv/"}}},
					&nix.String{Parts: []nix.Part{{Text: "result"}}},
				}},
			}}},
		}},
		{file: "gh.nix", comment: "GitHub CLI.", binds: []nix.Binding{
			{Path: []string{"programs", "gh", "enable"}, Value: nix.Bool(true)},
		}},
		{file: "nix-tools.nix", comment: "Tools for editing this repository.", formals: []string{"pkgs"}, binds: []nix.Binding{
			{Path: []string{"home", "packages"}, Value: nix.List{nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"nixd"}}, nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"nixfmt"}}, nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"nix-tree"}}}},
		}},
	}},
	{"tools", []hmProgram{
		{file: "bat.nix", comment: "cat with syntax highlighting.", binds: []nix.Binding{
			{Path: []string{"programs", "bat", "enable"}, Value: nix.Bool(true)},
		}},
		{file: "fzf.nix", comment: "Fuzzy finder with shell key bindings.", binds: []nix.Binding{
			{Path: []string{"programs", "fzf", "enable"}, Value: nix.Bool(true)},
		}},
	}},
	{"terminal", []hmProgram{
		{file: "tmux.nix", comment: "Terminal multiplexer.", binds: []nix.Binding{
			{Path: []string{"programs", "tmux"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"enable"}, Value: nix.Bool(true)},
				{Path: []string{"clock24"}, Value: nix.Bool(true)},
				{Path: []string{"mouse"}, Value: nix.Bool(true)},
			}}},
		}},
	}},
}

// builtinPrograms returns the program files of a built-in aggregate, and
// false for other names.
func builtinPrograms(agg string) ([]hmProgram, bool) {
	for i := range hmBuiltin {
		if hmBuiltin[i].name == agg {
			return hmBuiltin[i].progs, true
		}
	}
	return nil, false
}

// homeAggregates returns the distinct aggregate names users use, sorted.
func homeAggregates(s *fleet) []string {
	var names []string
	for _, u := range s.Users {
		names = append(names, u.Aggregates...)
	}
	return sortedUnique(names)
}

// homeStandalone reports whether user u gets standalone configurations.
func homeStandalone(u *user) bool { return u.Standalone }

// homeConfigNames returns the standalone configuration names "<u>@<system>"
// in the order configurations.nix lists them (users in spec order, systems
// sorted).
func homeConfigNames(s *fleet) []string {
	var out []string
	for _, u := range s.Users {
		if !homeStandalone(u) {
			continue
		}
		for _, sys := range userSystems(u) {
			out = append(out, u.Name+"@"+sys)
		}
	}
	return out
}

// hmUserSecretsModule is the home-manager module with a user's sops-nix
// secrets; it imports base-sops itself.
func hmUserSecretsModule(u string) string { return "users/" + u + "/secrets" }

// homeUserModules returns the home-manager module names a standalone
// configuration of u imports: the user module, the aggregates, then the
// user's secrets module when the user has secrets. Standalone
// configurations run where the user runs them, on their own machine, where
// they created their age key (README: keys.txt).
func homeUserModules(u *user) []string {
	out := []string{hmUserModule(u.Name)}
	out = append(out, u.Aggregates...)
	if len(u.Secrets) > 0 {
		out = append(out, hmUserSecretsModule(u.Name))
	}
	return out
}

// homeSecretsOn reports whether u's integrated home-manager on a machine of
// class gets u's secrets. sops-nix for home-manager decrypts with the
// user's own age key (~/.config/sops/age/keys.txt, base-sops), which exists
// where the user sits: their Mac, not a NixOS server they log into, where
// the user's sops-nix service would fail on the missing key.
func homeSecretsOn(u *user, cl class) bool {
	return len(u.Secrets) > 0 && cl == classDarwin
}

// homePattern is pattern 3, home-manager aggregates: users' modules,
// aggregates, standalone configurations, integrated into every machine the
// user has an account on.
var homePattern = pattern{
	name: "home-manager-aggregates", page: true,
	inputs: func(s *fleet) []string {
		if hasHome(s) {
			return []string{inHomeManager}
		}
		return nil
	},
	machine: func(_ *fleet, m *machine, mm *machineModule) {
		if len(m.users) == 0 {
			return
		}
		if m.Class == classNixOS {
			mm.importAt(importHome, machineHMNixOSImport)
		} else {
			mm.importAt(importHome, machineHMDarwinImport)
		}
		mm.bindAt(bindHome, homeManagerBinding(m, m.users))
	},
	tests:     homeTests,
	bootstrap: homeBootstrap,
	emit:      emitHome,
}

func emitHome(b *build) {
	s := b.spec
	if !hasHome(s) {
		return
	}
	// Built-in aggregates live in modules/home/<name>/; other names go to
	// modules/home/custom/<slug>.nix with a slug that is safe as a file name
	// and unique (the aggregate name itself is only ever a quoted attribute).
	used := map[string]bool{}
	for _, agg := range homeAggregates(s) {
		if progs, ok := builtinPrograms(agg); ok {
			for _, p := range progs {
				b.addNixMemo("modules/home/"+agg+"/"+p.file, func() nix.File { return hmProgramFile(agg, p) })
			}
			continue
		}
		slug := hmSlug(agg)
		for i := 2; used[slug]; i++ {
			slug = hmSlug(agg) + "-" + strconv.Itoa(i)
		}
		used[slug] = true
		b.addNixMemo("modules/home/custom/"+slug+".nix", func() nix.File { return hmCustomAggregateFile(agg) }, string(fingerprint(nil).str(agg)))
	}
	for _, u := range s.Users {
		b.addNixMemo("modules/home/users/"+u.Name+"/default.nix", func() nix.File { return hmUserFile(u) }, u.key())
		if len(u.Secrets) > 0 {
			b.addNixMemo("modules/home/users/"+u.Name+"/secrets.nix", func() nix.File { return hmUserSecretsFile(u) }, u.bareKey())
		}
	}
	if len(homeConfigNames(s)) > 0 {
		var entries []homeConfig
		for _, u := range s.Users {
			if homeStandalone(u) {
				for _, sys := range userSystems(u) {
					entries = append(entries, homeConfig{u, sys})
				}
			}
		}
		b.addNixSet("modules/home/configurations.nix", hmConfigurationsFile, len(entries),
			func(i int) string { return string(fingerprint(nil).str(entries[i].system)) + entries[i].user.bareKey() },
			func(i int) nix.Binding { return entries[i].binding() })
	}
}

// hmSlug turns an aggregate name into a file name: lower-case letters,
// digits and '-' only.
func hmSlug(name string) string {
	out := make([]byte, 0, len(name))
	for i := 0; i < len(name) && len(out) < 60; i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			out = append(out, c)
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
		default:
			if len(out) > 0 && out[len(out)-1] != '-' {
				out = append(out, '-')
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return "aggregate"
	}
	return string(out)
}

// hmAggregateBinding is flake.modules.homeManager.<agg> = { formals, ... }: body;
func hmAggregateBinding(agg string, formals []string, body nix.Expr) nix.Binding {
	return nix.Bind(nix.Module(formals, body), "flake", "modules", "homeManager", agg)
}

func hmProgramFile(agg string, p hmProgram) nix.File {
	return nix.File{
		Header: []string{
			"Part of the home-manager aggregate \"" + agg + "\": every file under modules/home/" + agg + "/",
			"adds to the same module, so adding a program is adding a file.",
			p.comment,
		},
		Body: nix.Set(hmAggregateBinding(agg, p.formals, nix.Set(p.binds...))),
	}
}

func hmCustomAggregateFile(agg string) nix.File {
	return nix.File{
		Header: []string{
			"A home-manager aggregate named in fleet.json that Fleetyard has no programs for.",
			"It is defined (empty) so the users who list it evaluate; add programs here or in",
			"more files that define the same flake.modules.homeManager attribute.",
		},
		Body: nix.Set(hmAggregateBinding(agg, nil, nix.Set())),
	}
}

func hmUserFile(u *user) nix.File {
	shell := u.Shell
	if shell == "" {
		shell = defaultShell
	}
	binds := []nix.Binding{
		{
			Comment: []string{"mkDefault: when home-manager runs inside a NixOS or darwin system it takes", "these from users.users, which agree."},
			Path:    []string{"home", "username"},
			Value:   nix.Call(ref("lib.mkDefault"), nix.Str(u.Name)),
		},
		nix.Bind(nix.Call(ref("lib.mkDefault"), nix.If{
			Cond: ref("pkgs.stdenv.hostPlatform.isDarwin"),
			Then: nix.Str("/Users/" + u.Name),
			Else: nix.Str("/home/" + u.Name),
		}), "home", "homeDirectory"),
		{
			Comment: []string{"The home-manager release whose defaults this configuration was written for;", "do not change it when upgrading."},
			Path:    []string{"home", "stateVersion"},
			Value:   nix.Str(homeStateVersion),
		},
	}
	if shell == "zsh" || shell == "bash" || shell == "fish" {
		binds = append(binds, nix.Binding{
			Comment: []string{"The user's shell, configured for them; the login shell itself is the system's",
				"users.users.<name>.shell (the machines' modules)."},
			Path:  []string{"programs", shell, "enable"},
			Value: nix.Bool(true),
		})
	}
	var user []nix.Binding
	if u.FullName != "" {
		user = append(user, nix.Bind(nix.Str(u.FullName), "name"))
	}
	if u.Email != "" {
		user = append(user, nix.Bind(nix.Str(u.Email), "email"))
	}
	if len(user) > 0 {
		// programs.git applies its settings only with enable (home-manager
		// programs/git), which the development aggregate's git.nix sets.
		git := nix.Bind(nix.Set(user...), "programs", "git", "settings", "user")
		if !contains(u.Aggregates, "development") {
			git.Comment = []string{"For git once it is enabled (the development aggregate's git.nix enables it)."}
		}
		binds = append(binds, git)
	}
	formals := []string{"pkgs", "lib"}
	// Set once per user: where the shell aggregate's zsh.nix sets it too,
	// equal values would merge, but an edit to one of the two alone makes
	// the evaluation fail on conflicting definitions (dotDir is
	// types.nullOr types.str in home-manager's modules/programs/zsh, merged
	// only when equal), so a user with that aggregate takes it from there.
	if shell == "zsh" && !contains(u.Aggregates, "shell") {
		formals = []string{"config", "pkgs", "lib"}
		binds = append(binds, nix.Binding{Comment: zshDotDir.Comment, Path: []string{"programs", "zsh", "dotDir"}, Value: zshDotDir.Value})
	}
	return nix.File{
		Header: []string{
			"home-manager module of user " + u.Name + ": identity, shell and git identity.",
			"Imported by the machines the user is on and by the standalone configurations",
			"in ../../configurations.nix, together with the user's aggregates.",
		},
		Body: nix.Set(nix.Bind(nix.Module(formals, nix.Set(binds...)), "flake", "modules", "homeManager", hmUserModule(u.Name))),
	}
}

// hmUserSecretsFile is u's sops-nix secrets for home-manager: base-sops
// plus the user's sops file and secret names. Imported by the user's Macs
// and standalone configurations only (homeSecretsOn).
func hmUserSecretsFile(u *user) nix.File {
	names := append([]string(nil), u.Secrets...)
	slices.Sort(names)
	var secrets []nix.Binding
	for _, n := range names {
		secrets = append(secrets, nix.Bind(nix.Set(), n))
	}
	return nix.File{
		Header: []string{
			"sops-nix secrets of user " + u.Name + " for home-manager. They decrypt with the user's",
			"own age key (~/.config/sops/age/keys.txt), so only the configurations that run",
			"where that key is import this: the user's Macs and standalone configurations.",
		},
		Body: nix.Module([]string{"config", "self"}, nix.Let{
			Binds: []nix.Binding{nix.Bind(ref("config.flake.modules.homeManager.base-sops"), "baseSops")},
			Body: nix.Set(nix.Bind(nix.Set(
				nix.Bind(nix.List{nix.Ident("baseSops")}, "imports"),
				nix.Binding{
					Comment: []string{
						"Encrypted with sops (see .sops.yaml); each name below is a key in that file.",
						"Edit with (in `nix develop`, which points sops at the age key): sops " + userSecretsFile(u.Name),
					},
					Path: []string{"sops"},
					Value: nix.Set(
						nix.Bind(nix.Interp(nix.Ident("self"), "/"+userSecretsFile(u.Name)), "defaultSopsFile"),
						nix.Bind(nix.Set(secrets...), "secrets"),
					),
				},
			), "flake", "modules", "homeManager", hmUserSecretsModule(u.Name))),
		}),
	}
}

// homeConfig is one standalone home-manager configuration: a user on the
// system of one of their machines.
type homeConfig struct {
	user   *user
	system string
}

// binding is the configuration's entry in flake.homeConfigurations. It
// reads the user and the system alone (its memo key is both).
func (h homeConfig) binding() nix.Binding {
	var mods nix.List
	for _, m := range homeUserModules(h.user) {
		mods = append(mods, nix.Sel(nix.Ident("hm"), m))
	}
	return nix.Bind(nix.Call(nix.Ident("mkHome"), nix.Str(h.system), mods), h.user.Name+"@"+h.system)
}

// hmConfigurationsFile is modules/home/configurations.nix around the
// configurations' entries (addNixSet).
func hmConfigurationsFile(entries []nix.Binding) nix.File {
	return nix.File{
		Header: []string{
			"Standalone home-manager configurations, one per user and system of the machines",
			"the user is on. Activate with:",
			"  " + pinnedRun("home-manager") + " -- switch -b " + hmBackupExt + " --flake .#<user>@<system>",
			"They use the same overlay as the machines (flake.overlays.default).",
		},
		Body: nix.Module([]string{"config", "inputs"}, nix.Let{
			Binds: []nix.Binding{
				nix.Bind(ref("config.flake.modules.homeManager"), "hm"),
				nix.Bind(nix.Lambda{Param: "system", Body: nix.Lambda{Param: "modules", Body: nix.Call(ref("inputs.home-manager.lib.homeManagerConfiguration"), nix.Set(
					nix.Bind(nix.Call(ref("import"), ref("inputs.nixpkgs"), nix.Set(
						nix.Binding{Inherit: []string{"system"}},
						nix.Bind(nix.Set(), "config"), // not ~/.config/nixpkgs/config.nix (impure.nix, --impure)
						nix.Bind(nix.List{ref("config.flake.overlays.default")}, "overlays"),
					)), "pkgs"),
					nix.Bind(nix.BinOp{Op: "//", L: ref("config.flake"), R: nix.Set(nix.Binding{Inherit: []string{"inputs"}})}, "extraSpecialArgs", "flake"),
					nix.Binding{Inherit: []string{"modules"}},
				))}}, "mkHome"),
			},
			Body: nix.Set(nix.Bind(nix.Set(entries...), "flake", "homeConfigurations")),
		}),
	}
}

// homeTests: every module a user imports exists, and the standalone
// configurations have the expected names.
func homeTests(s *fleet) []nix.Binding {
	if !hasHome(s) {
		return nil
	}
	var mods []string
	for _, u := range s.Users {
		mods = append(mods, homeUserModules(u)...)
	}
	tests := []nix.Binding{unitTest("testHomeModulesExist",
		"Every home-manager module a user imports is defined (lists what is missing).",
		missingFrom(selfModules("homeManager"), sortedUnique(mods)), nix.List{})}
	if names := homeConfigNames(s); len(names) > 0 {
		sorted := append([]string(nil), names...)
		slices.Sort(sorted)
		tests = append(tests, unitTest("testHomeConfigurations",
			"Standalone home configurations are named <user>@<system>.",
			nix.Call(ref("builtins.attrNames"), ref("self.homeConfigurations")), nix.Strs(sorted...)))
	}
	return tests
}

// pinnedRun is `nix run` of a flake input's default package at the revision
// flake.lock pins: --inputs-from makes the flake's inputs the registry, so
// "home-manager" is this repository's input, not the global registry's
// newest (whose CLI may not match the pinned modules). flags go before the
// subcommand (flakesFlag).
func pinnedRun(input string, flags ...string) string {
	return strings.Join(append(append([]string{"nix"}, flags...), "run", "--inputs-from", ".", input), " ")
}

// hmBackupExt is the extension home-manager gives a file it replaces:
// home-manager.backupFileExtension for the homes switched with a system,
// -b for a standalone switch (the README's and configurations.nix's).
const hmBackupExt = "before-home-manager"

// flakesFlag turns on flakes for one nix command, where the user's
// nix.conf may not (under sudo) or must not (a Mac before nix-darwin's
// first switch: modules/system/etc.nix refuses to replace an /etc/nix/
// nix.conf whose hash it does not know, so flakes cannot be enabled there).
const flakesFlag = "--extra-experimental-features 'nix-command flakes'"

// homeBootstrap: standalone home configurations.
func homeBootstrap(s *fleet) []readmeStep {
	names := homeConfigNames(s)
	if len(names) == 0 {
		return nil
	}
	return []readmeStep{{rank: stepHome, title: "Home configurations without a system rebuild (optional)", body: func(w *mdWriter) {
		// The step is named, not numbered: numbers move as patterns add steps.
		// home-manager nixos/default.nix: a home-manager-<user> service
		// activates the system's home at every boot, and its activation
		// removes the links a standalone generation made (modules/files.nix).
		w.WriteString("Users can activate their home-manager configuration on its own, on a machine with\n" +
			"Nix and flakes set up as in \"Enter the development shell\" above that is not one of\n" +
			"their machines in `fleet.json`: those switch the user's home with the system, and on\n" +
			"NixOS a `home-manager-<user>` service activates the system's version again at every\n" +
			"boot, replacing a standalone one. Home secrets decrypt with the user's own age key, so\n" +
			"Macs and standalone configurations import them; the homes on NixOS machines do not.\n" +
			"\n")
		// home-manager's check-link-targets stops the activation at a file it
		// would replace ("would be clobbered") unless HOME_MANAGER_BACKUP_EXT
		// is set, which a standalone switch takes from -b (home-manager/
		// home-manager); the homes switched with a system set the same
		// extension (home-manager.backupFileExtension, emit_machines.go).
		w.line("Files the configuration manages that exist already on the machine (a `~/.zshrc`, say)")
		w.line("are renamed to `<file>.", hmBackupExt, "` (`-b`), as the homes switched with a system")
		w.line("do; without `-b` the first switch stops at them.")
		w.line()
		var cmds []string
		for _, n := range names {
			cmds = append(cmds, pinnedRun("home-manager")+" -- switch -b "+hmBackupExt+" --flake .#"+shellWord(n))
		}
		w.code(cmds...)
	}}}
}
