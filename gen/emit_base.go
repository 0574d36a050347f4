package gen

import "github.com/fleetyard/fleetyard/gen/nix"

// basePattern is pattern 4, auto-merged base modules: every machine
// imports its class's base module first.
var basePattern = pattern{
	name: "base-modules", page: true,
	machine: func(_ *fleet, _ *machine, mm *machineModule) { mm.importAt(importBase, machineBaseImport) },
	emit:    emitBase,
}

// emitBase writes pattern 4: system-wide settings split over small files
// that all define flake.modules.<class>.base. The values are deferred
// modules, so the definitions merge; every machine imports base once, and a
// new system-wide setting is a new file. NixOS files live in modules/system/,
// darwin ones in modules/darwin/, each only when the fleet has that class.
func emitBase(b *build) {
	s := b.spec
	if hasClass(s, classNixOS) {
		b.addNix("modules/system/nix-settings.nix", baseFile(classNixOS,
			[]string{"Flakes everywhere; root and wheel (the admins) may use extra substituters and unsigned paths."},
			nil,
			nix.Bind(nix.Strs("nix-command", "flakes"), "nix", "settings", "experimental-features"),
			nix.Bind(nix.Strs("root", "@wheel"), "nix", "settings", "trusted-users"),
		))
		b.addNix("modules/system/sudo.nix", baseFile(classNixOS,
			[]string{"Members of wheel (the fleet's admins, through modules/clan/inventory/services/users,",
				"where the fleet has users) need no password for sudo; other users get no sudo at all."},
			nil,
			nix.Bind(nix.Bool(false), "security", "sudo", "wheelNeedsPassword"),
		))
		// clanServices/emergency-access sets only
		// boot.initrd.systemd.emergencyAccess, which the scripted initrd
		// never reads: without the systemd one, the README's emergency
		// shell takes no password. Both boot loaders of the disko layouts
		// copy each listed generation's kernel and initrd to /boot, the
		// 512 MB ESP: GRUB because /boot is its own partition (nixpkgs'
		// boot.loader.grub.copyKernels), systemd-boot (aarch64) always.
		// GRUB lists 100 by default and systemd-boot all: 10, as srvos's
		// systemd-boot mixin does for the same reason. mkDefault, so a
		// machine can differ.
		b.addNix("modules/system/boot.nix", baseFile(classNixOS,
			[]string{"The systemd initrd (stage 1), whose emergency shell takes the root password clan's",
				"emergency-access service generates (boot.initrd.systemd.emergencyAccess); and at most 10",
				"generations in the boot menu: the boot loader copies each one's kernel and initrd to /boot,",
				"a 512 MB partition, which would otherwise be full after some months of updates."},
			[]string{"lib"},
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Bool(true)), "boot", "initrd", "systemd", "enable"),
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Int(10)), "boot", "loader", "grub", "configurationLimit"),
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Int(10)), "boot", "loader", "systemd-boot", "configurationLimit"),
		))
		// Every update leaves the previous system as a rollback, a GC
		// root: nothing but deleting old generations frees the store.
		b.addNix("modules/system/store.nix", baseFile(classNixOS,
			[]string{"Weekly, profile generations older than 30 days (the system's among them) are deleted",
				"and the store collected (nix.gc): each update keeps the previous system as a rollback,",
				"and without this the store grows until the disk is full."},
			[]string{"lib"},
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Bool(true)), "nix", "gc", "automatic"),
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Str("weekly")), "nix", "gc", "dates"),
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Str("--delete-older-than 30d")), "nix", "gc", "options"),
		))
		b.addNix("modules/system/caches.nix", baseFile(classNixOS,
			[]string{"Binary caches in addition to cache.nixos.org."},
			nil, cacheBinds()...,
		))
		b.addNix("modules/system/clan-secrets.nix", baseFile(classNixOS, adminGroupHeader, nil, adminGroupBind))
		b.addNix("modules/system/ssh.nix", baseFile(classNixOS,
			[]string{
				"SSH accepts keys only. Admins may log in as root: clan deploys as root@<targetHost>.",
				"The host key itself comes from the clan sshd service (clan vars generator `openssh`).",
			},
			nil,
			nix.Bind(nix.Bool(true), "services", "openssh", "enable"),
			nix.Bind(nix.Bool(false), "services", "openssh", "settings", "PasswordAuthentication"),
			nix.Bind(nix.Bool(false), "services", "openssh", "settings", "KbdInteractiveAuthentication"),
			nix.Bind(nix.Str("prohibit-password"), "services", "openssh", "settings", "PermitRootLogin"),
			nix.Bind(nix.Strs(rootKeys(s)...), "users", "users", "root", "openssh", "authorizedKeys", "keys"),
		))
	}
	if hasClass(s, classDarwin) {
		b.addNix("modules/darwin/nix-settings.nix", baseFile(classDarwin,
			[]string{"Flakes everywhere; root and members of the macOS admin group are trusted Nix users."},
			nil,
			nix.Bind(nix.Strs("nix-command", "flakes"), "nix", "settings", "experimental-features"),
			nix.Bind(nix.Strs("root", "@admin"), "nix", "settings", "trusted-users"),
		))
		b.addNix("modules/darwin/caches.nix", baseFile(classDarwin,
			[]string{"Binary caches in addition to cache.nixos.org."},
			nil, cacheBinds()...,
		))
		b.addNix("modules/darwin/clan-secrets.nix", baseFile(classDarwin, adminGroupHeader, nil, adminGroupBind))
		// nix-darwin's nix.gc (modules/services/nix-gc) is a launchd daemon
		// running nix-collect-garbage as root, weekly by default, and it
		// asserts nix.enable: where another installer manages Nix
		// (Determinate sets nix.enable = false) automatic collection would
		// stop the build, so it follows nix.enable.
		b.addNix("modules/darwin/store.nix", baseFile(classDarwin,
			[]string{"Weekly (nix-darwin's default: Sundays at 03:15, or at the next wake), profile generations",
				"older than 30 days (the system's among them) are deleted and the store collected (nix.gc):",
				"each darwin-rebuild keeps the previous system as a rollback. Only where nix-darwin manages",
				"Nix (nix.enable; Determinate Nix turns it off and collects with its own settings)."},
			[]string{"config", "lib"},
			nix.Bind(nix.Call(ref("lib.mkDefault"), ref("config.nix.enable")), "nix", "gc", "automatic"),
			nix.Bind(nix.Call(ref("lib.mkDefault"), nix.Str("--delete-older-than 30d")), "nix", "gc", "options"),
		))
		b.addNix("modules/darwin/shells.nix", baseFile(classDarwin,
			[]string{"macOS logs in with zsh: let nix-darwin set up its environment (PATH to the Nix profiles)."},
			nil,
			nix.Bind(nix.Bool(true), "programs", "zsh", "enable"),
		))
	}
}

// adminGroup is the clan sops group of every clan admin (sops/users/<u>).
// `clan vars generate` encrypts a machine's vars to the machine, the admin
// running it and the machine's clan.core.sops.defaultGroups
// (clan_lib/vars/secret_modules/sops.py, _set; nixosModules/clanCore/
// sops.nix): without the group, a second admin could not read or
// regenerate them. The README's bootstrap adds every admin to it with
// `clan secrets groups add-user`.
const adminGroup = "admins"

var (
	adminGroupHeader = []string{
		"Clan vars are encrypted for the sops group " + adminGroup + " too (sops/groups/" + adminGroup + "), so",
		"every clan admin can read and regenerate them, not only the one who ran `clan vars generate`.",
	}
	// A composite literal, not nix.Bind: static data instead of init code.
	adminGroupBind = nix.Binding{Path: []string{"clan", "core", "sops", "defaultGroups"},
		Value: nix.List{&nix.String{Parts: []nix.Part{{Text: adminGroup}}}}}
)

// baseFile is a flake-parts module contributing binds to
// flake.modules.<class>.base, with an inner module taking formals.
func baseFile(cl class, header []string, formals []string, binds ...nix.Binding) nix.File {
	return nix.File{
		Header: append(header, "Part of flake.modules."+string(cl)+".base (every file defining it is merged)."),
		Body:   nix.Set(nix.Bind(nix.Module(formals, nix.Set(binds...)), "flake", "modules", string(cl), "base")),
	}
}

// cacheBinds adds the nix-community cache (home-manager, disko, sops-nix and
// friends are built there) without replacing cache.nixos.org.
func cacheBinds() []nix.Binding {
	return []nix.Binding{
		nix.Bind(nix.Strs("https://nix-community.cachix.org"), "nix", "settings", "extra-substituters"),
		nix.Bind(nix.Strs("nix-community.cachix.org-1:mB9FSh9qf2dCimDSUo8Zy7bkq5CX+/rkCWyvRCYg3Fs="),
			"nix", "settings", "extra-trusted-public-keys"),
	}
}

// rootKeys are the SSH keys allowed to log in as root on NixOS machines: the
// spec's admins (recovery recipients) and every admin user, deduplicated, in
// spec order.
func rootKeys(s *fleet) []string {
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, a := range s.Admins {
		for _, k := range a.SSHKeys {
			add(k)
		}
	}
	for _, u := range s.Users {
		if u.Admin {
			for _, k := range u.SSHKeys {
				add(k)
			}
		}
	}
	return keys
}
