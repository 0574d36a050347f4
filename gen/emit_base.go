package gen

import (
	_ "embed"

	"github.com/fleetyard/fleetyard/gen/nix"
)

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
//
// All but ssh.nix say the same in every fleet: they are the files in
// gen/base/ as they are (nixfmt's layout, held by the goldens and
// TestNixfmt), data in the module rather than code that builds and prints
// trees. Why they say what they say:
//
//   - system/boot.nix: clanServices/emergency-access sets only
//     boot.initrd.systemd.emergencyAccess, which the scripted initrd never
//     reads: without the systemd one, the README's emergency shell takes no
//     password. Both boot loaders of the disko layouts copy each listed
//     generation's kernel and initrd to /boot, the 512 MB ESP: GRUB because
//     /boot is its own partition (nixpkgs' boot.loader.grub.copyKernels),
//     systemd-boot (aarch64) always. GRUB lists 100 by default and
//     systemd-boot all: 10, as srvos's systemd-boot mixin does for the same
//     reason. mkDefault, so a machine can differ.
//   - system/store.nix: every update leaves the previous system as a
//     rollback, a GC root: nothing but deleting old generations frees the
//     store. nix.optimise runs nix-store --optimise on a timer (daily in
//     nixpkgs), not auto-optimise-store, which slows every build and which
//     nix-darwin refuses for most Nix versions (modules/nix: "known to
//     corrupt the Nix Store"). min-free and max-free are clan-core's
//     (nixosModules/clanCore/nix-settings.nix, both classes), so the base
//     does not set them.
//   - darwin/store.nix: nix-darwin's nix.gc (modules/services/nix-gc) and
//     nix.optimise (modules/services/nix-optimise) are launchd daemons
//     running as root, weekly by default, and both assert nix.enable: where
//     another installer manages Nix (Determinate sets nix.enable = false)
//     they would stop the build, so they follow nix.enable.
//   - */clan-secrets.nix: the admins group (adminGroup).
//   - */caches.nix: the place for binary caches, empty: every input follows
//     the fleet's nixpkgs, so a public cache has little of what the machines
//     build, and each trusted key may sign anything they install.
func emitBase(b *build) {
	s := b.spec
	if hasClass(s, classNixOS) {
		for _, f := range nixosBase {
			b.add(f.path, f.text)
		}
		b.addNix("modules/system/ssh.nix", baseFile(classNixOS,
			[]string{
				"SSH accepts keys only, and only those this repository declares: ~/.ssh/authorized_keys",
				"is not read, so a key added there by hand (or by cloud-init) opens no account.",
				"Admins may log in as root: clan deploys as root@<targetHost>.",
				"The host key itself comes from the clan sshd service (clan vars generator `openssh`).",
			},
			nil,
			nix.Bind(nix.Bool(true), "services", "openssh", "enable"),
			// nixpkgs nixos/modules/services/networking/ssh/sshd.nix:
			// authorizedKeysInHomedir (default true) adds
			// %h/.ssh/authorized_keys to AuthorizedKeysFile, next to
			// /etc/ssh/authorized_keys.d/%u, where the declared keys are.
			nix.Bind(nix.Bool(false), "services", "openssh", "authorizedKeysInHomedir"),
			nix.Bind(nix.Bool(false), "services", "openssh", "settings", "PasswordAuthentication"),
			nix.Bind(nix.Bool(false), "services", "openssh", "settings", "KbdInteractiveAuthentication"),
			nix.Bind(nix.Str("prohibit-password"), "services", "openssh", "settings", "PermitRootLogin"),
			nix.Bind(nix.Strs(rootKeys(s)...), "users", "users", "root", "openssh", "authorizedKeys", "keys"),
		))
	}
	if hasClass(s, classDarwin) {
		for _, f := range darwinBase {
			b.add(f.path, f.text)
		}
	}
}

// The fixed base files, by class.
var (
	//go:embed base/system/nix-settings.nix
	baseNixOSSettings []byte
	//go:embed base/system/sudo.nix
	baseNixOSSudo []byte
	//go:embed base/system/boot.nix
	baseNixOSBoot []byte
	//go:embed base/system/store.nix
	baseNixOSStore []byte
	//go:embed base/system/caches.nix
	baseNixOSCaches []byte
	//go:embed base/system/clan-secrets.nix
	baseNixOSSecrets []byte
	//go:embed base/darwin/nix-settings.nix
	baseDarwinSettings []byte
	//go:embed base/darwin/caches.nix
	baseDarwinCaches []byte
	//go:embed base/darwin/clan-secrets.nix
	baseDarwinSecrets []byte
	//go:embed base/darwin/store.nix
	baseDarwinStore []byte
	//go:embed base/darwin/shells.nix
	baseDarwinShells []byte

	nixosBase = []baseText{
		{"modules/system/nix-settings.nix", baseNixOSSettings},
		{"modules/system/sudo.nix", baseNixOSSudo},
		{"modules/system/boot.nix", baseNixOSBoot},
		{"modules/system/store.nix", baseNixOSStore},
		{"modules/system/caches.nix", baseNixOSCaches},
		{"modules/system/clan-secrets.nix", baseNixOSSecrets},
	}
	darwinBase = []baseText{
		{"modules/darwin/nix-settings.nix", baseDarwinSettings},
		{"modules/darwin/caches.nix", baseDarwinCaches},
		{"modules/darwin/clan-secrets.nix", baseDarwinSecrets},
		{"modules/darwin/store.nix", baseDarwinStore},
		{"modules/darwin/shells.nix", baseDarwinShells},
	}
)

// baseText is a fixed file of a base module.
type baseText struct {
	path string
	text []byte
}

// adminGroup is the clan sops group of every clan admin (sops/users/<u>).
// `clan vars generate` encrypts a machine's vars to the machine, the admin
// running it and the machine's clan.core.sops.defaultGroups
// (clan_lib/vars/secret_modules/sops.py, _set; nixosModules/clanCore/
// sops.nix): without the group, a second admin could not read or
// regenerate them. The README's bootstrap adds every admin to it with
// `clan secrets groups add-user`.
const adminGroup = "admins"

// baseFile is a flake-parts module contributing binds to
// flake.modules.<class>.base, with an inner module taking formals.
func baseFile(cl class, header []string, formals []string, binds ...nix.Binding) nix.File {
	return nix.File{
		Header: append(header, "Part of flake.modules."+string(cl)+".base (every file defining it is merged)."),
		Body:   nix.Set(nix.Bind(nix.Module(formals, nix.Set(binds...)), "flake", "modules", string(cl), "base")),
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
