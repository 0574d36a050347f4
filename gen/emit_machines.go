package gen

import (
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// emitMachines writes one dendritic module per machine,
// modules/machines/<class>/<m>/default.nix, defining
// flake.modules.<class>."machines/<class>/<m>": base, identity, platform,
// overlays, its users' accounts and their integrated home-manager. NixOS
// machines also get disko.nix (the disk layout, merged into the same
// module), and each NixOS user gets an account module
// modules/system/users/<u>.nix (darwin accounts are pattern 5,
// emit_multiuser.go).
func emitMachines(b *build) {
	s := b.spec
	for i, m := range s.Machines {
		if !b.mine(i) {
			continue
		}
		// The machine module reads the machine and its users (their
		// accounts, aggregates, secrets and uids), not their free text:
		// the description is in its header, printed apart (the header's
		// other parts are in the bare key). Disko reads only the machine.
		key := make([]string, 0, 1+len(m.users))
		key = append(key, m.bareKey())
		for _, u := range m.users {
			key = append(key, u.bareKey())
		}
		b.addNixMemoHeaded("modules/machines/"+string(m.Class)+"/"+m.Name+"/default.nix",
			func() []string { return machineHeader(m) }, m.Description, func() nix.Expr { return machineBody(s, m) }, key...)
		if m.Class == classNixOS {
			b.addNixMemo("modules/machines/nixos/"+m.Name+"/disko.nix", func() nix.File { return diskoFile(m) }, m.bareKey())
		}
	}
	for i, u := range s.Users {
		if b.mine(len(s.Machines)+i) && userOnClass(s, u, classNixOS) {
			b.addNixMemo("modules/system/users/"+u.Name+".nix", func() nix.File { return nixosUserFile(u) }, u.key())
		}
	}
}

// userOnClass reports whether user u has an account on a machine of class.
func userOnClass(s *fleet, u *user, cl class) bool {
	for _, m := range u.machines {
		if m.Class == cl {
			return true
		}
	}
	return false
}

// userModuleName is the flake.modules.<class> name of a user's account
// module (the same name as the user's home-manager module, in another
// class).
func userModuleName(u string) string { return "users/" + u }

// machinesPattern is the machines themselves: one module per machine,
// the users' NixOS accounts, disko.
var machinesPattern = pattern{
	name: "machines",
	inputs: func(s *fleet) []string {
		if hasClass(s, classNixOS) {
			return []string{inDisko}
		}
		return nil
	},
	machine:   machinesPart,
	tests:     machinesTests,
	bootstrap: machinesBootstrap,
	emit:      emitMachines,
}

// machinesPart is the machine's identity, its users' accounts and its disk
// layout.
func machinesPart(s *fleet, m *machine, mm *machineModule) {
	for _, u := range m.users {
		mm.importAt(importAccounts, nix.Sel(nix.Ident("classModules"), userModuleName(u.Name)))
	}
	if m.Class == classNixOS {
		mm.importAt(importDisko, machineDiskoImport)
	}
	mm.bindAt(bindIdentity, nix.Binding{Path: machineHostNamePath, Value: nix.Str(m.Name)})
	mm.bindAt(bindIdentity, nix.Binding{Path: machineHostPlatformPath, Value: nix.Str(m.System)})
	switch m.Class {
	case classNixOS:
		mm.bindAt(bindStateVersion, nix.Binding{Path: machineStateVersionPath, Value: nix.Str(m.StateVersion)})
	case classDarwin:
		// validate.go's ruleStateVersion admits only a whole number of at
		// most 8 digits for a Mac, so this cannot fail.
		v, _ := strconv.Atoi(m.StateVersion)
		mm.bindAt(bindStateVersion, nix.Binding{Path: machineStateVersionPath, Value: nix.Int(v)})
	}
}

// machineHeader is the comment atop a machine's module: its name, class and
// system, its description, and where a NixOS machine's hardware facts come from.
func machineHeader(m *machine) []string {
	header := make([]string, 1, 3)
	header[0] = "Machine " + m.Name + " (" + string(m.Class) + ", " + m.System + ")."
	if m.Description != "" {
		header = append(header, m.Description)
	}
	if m.Class == classNixOS && m.Hetzner == nil {
		header = append(header, "Hardware: the install (README) writes and commits machines/"+m.Name+"/facter.json, which clan reads.")
	}
	return header
}

// machineBody is a machine's module below its header. It never reads the
// machine's description or its users' names and emails: emitMachines keys
// it on their bare fingerprints.
func machineBody(s *fleet, m *machine) nix.Expr {
	// Inside the machine module `config` is the machine's own; the flake's
	// modules are reached through these names bound outside it.
	letBinds := make([]nix.Binding, 2, 3)
	letBinds[0] = machineFlakeLet
	letBinds[1] = nix.Binding{Path: machineClassModulesPath, Value: nix.Sel(machineFlakeModules, string(m.Class))}
	if len(m.users) > 0 {
		letBinds = append(letBinds, machineHMLet)
	}
	imports, rest := gatherMachine(s, m)
	body := make([]nix.Binding, 0, 1+len(rest))
	body = append(body, nix.Binding{Path: importsPath, Value: imports})
	body = append(body, rest...)
	return nix.Module(machineFormals, nix.Let{
		Binds: letBinds,
		Body: nix.Set(nix.Bind(nix.Module(nil, nix.Set(body...)),
			"flake", "modules", string(m.Class), machineModuleName(m))),
	})
}

// The parts of machineBody and homeManagerBinding that are the same for
// every machine: built once and shared read-only (the printer never
// modifies an AST, and nothing appends to these slices), so a machine
// costs only the nodes that carry its own names.
//
// They are composite literals, not nix.Bind or ref calls: the compiler lays
// literals out as static data, where calls are init code in the wasm
// module (inlining is off in gen there).
var (
	machineFormals      = []string{"config", "inputs"}
	machineFlakeModules = nix.Select{X: nix.Ident("config"), Attrs: []string{"flake", "modules"}}
	machineFlakeLet     = nix.Binding{
		Comment: []string{"The flake-parts config, captured before the machine module's own `config` shadows it."},
		Path:    []string{"flake"},
		Value:   nix.Select{X: nix.Ident("config"), Attrs: []string{"flake"}},
	}
	machineClassModulesPath = []string{"classModules"}
	machineHMLet            = nix.Binding{Path: []string{"hm"}, Value: nix.Select{X: nix.Select{X: nix.Ident("config"), Attrs: []string{"flake", "modules"}}, Attrs: []string{"homeManager"}}}

	machineBaseImport       = nix.Select{X: nix.Ident("classModules"), Attrs: []string{"base"}}
	machineDiskoImport      = nix.Select{X: nix.Ident("inputs"), Attrs: []string{"disko", "nixosModules", "disko"}}
	machineHetznerImport    = nix.Commented{Comment: hetznerHardwareComment, X: nix.Select{X: nix.Select{X: nix.Ident("inputs"), Attrs: []string{"srvos", "nixosModules"}}, Attrs: []string{"hardware-hetzner-cloud"}}}
	machineHetznerArmImport = nix.Commented{Comment: hetznerHardwareComment, X: nix.Select{X: nix.Select{X: nix.Ident("inputs"), Attrs: []string{"srvos", "nixosModules"}}, Attrs: []string{"hardware-hetzner-cloud-arm"}}}
	machineHMNixOSImport    = nix.Select{X: nix.Ident("inputs"), Attrs: []string{"home-manager", "nixosModules", "home-manager"}}
	machineHMDarwinImport   = nix.Select{X: nix.Ident("inputs"), Attrs: []string{"home-manager", "darwinModules", "home-manager"}}

	importsPath             = []string{"imports"}
	machineHostNamePath     = []string{"networking", "hostName"}
	machineHostPlatformPath = []string{"nixpkgs", "hostPlatform"}
	machineStateVersionPath = []string{"system", "stateVersion"}
	machineOverlays         = nix.Binding{
		Comment: []string{"The fleet's overlay layers, composed in modules/nixpkgs/compose.nix."},
		Path:    []string{"nixpkgs", "overlays"},
		Value:   nix.List{nix.Select{X: nix.Ident("inputs"), Attrs: []string{"self", "overlays", "default"}}},
	}
	machinePrimaryUserComment = []string{"The user nix-darwin applies per-user settings (homebrew, defaults) to."}
	machinePrimaryUserPath    = []string{"system", "primaryUser"}
	machineKnownUsersComment  = []string{
		"The accounts nix-darwin creates (uid, home, shell) and then keeps the shell and name of:",
		"users with a uid, never the primary user (nix-darwin modules/users: not the admin user).",
	}
	machineKnownUsersPath = []string{"users", "knownUsers"}
	// sops-nix's nix-darwin module defaults to this key too
	// (modules/nix-darwin/default.nix, darwinSSHKeys); set explicitly because
	// it is what clan encrypted this Mac's vars to: sops/machines/<m> holds
	// its ssh-to-age recipient, so clan never creates a key.txt to upload.
	machineDarwinHostKey = nix.Binding{
		Comment: []string{
			"This Mac decrypts its clan vars with its own SSH host key (the hostKey in",
			"fleet.json, converted in sops/machines/<machine>/key.json): no key to upload.",
		},
		Path:  []string{"sops", "age", "sshKeyPaths"},
		Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "/etc/ssh/ssh_host_ed25519_key"}}}},
	}
	// A Mac whose hostKey is an age1… recipient decrypts with that key's
	// identity, which the admin puts in place by hand (macKeyStep): clan
	// sets sops.age.keyFile only for a machine with its own
	// sops/secrets/<m>-age.key (clanCore/vars/secret/sops: secretUploadDirectory
	// /key.txt), and sops-nix's darwin sshKeyPaths default would add the
	// SSH host key, which cannot open anything here.
	machineDarwinAgeKeyFile = nix.Binding{
		Comment: []string{
			"This Mac decrypts its clan vars with the age key whose recipient is its hostKey in",
			"fleet.json (sops/machines/<machine>/key.json). Its AGE-SECRET-KEY line goes in this",
			"file, root's and mode 600, before the first switch (README). Not the SSH host key.",
		},
		Path:  []string{"sops", "age", "keyFile"},
		Value: &nix.String{Parts: []nix.Part{{Text: macAgeKeyFile}}},
	}
	machineDarwinNoSSHKeys = nix.Binding{Path: []string{"sops", "age", "sshKeyPaths"}, Value: nix.List{}}

	hmPath            = []string{"home-manager"}
	hmUsersPath       = []string{"users"}
	hmGlobalPkgs      = nix.Binding{Path: []string{"useGlobalPkgs"}, Value: nix.Bool(true)}
	hmUserPackages    = nix.Binding{Path: []string{"useUserPackages"}, Value: nix.Bool(true)}
	hmBackupExtension = nix.Binding{
		Comment: []string{"Existing dotfiles are renamed (<file>.before-home-manager) instead of failing the",
			"activation; a backup that exists already still stops it."},
		Path:  []string{"backupFileExtension"},
		Value: &nix.String{Parts: []nix.Part{{Text: hmBackupExt}}},
	}
	hmSpecialArgs = nix.Binding{Path: []string{"extraSpecialArgs", "flake"}, Value: nix.BinOp{Op: "//", L: nix.Ident("flake"),
		R: nix.Attrs{Binds: []nix.Binding{{Inherit: []string{"inputs"}}}}}}

	// hetznerHardwareComment is above the import of srvos's Hetzner Cloud
	// hardware module.
	hetznerHardwareComment = []string{"Hetzner Cloud virtual hardware (srvos)."}
)

// darwinKnownUsers lists the Mac's accounts nix-darwin may manage: those
// with a uid, except the primary user.
func darwinKnownUsers(users []*user, primary string) []string {
	var out []string
	for _, u := range users {
		if u.UID != 0 && u.Name != primary {
			out = append(out, u.Name)
		}
	}
	return out
}

// homeManagerBinding integrates home-manager into the machine: each user's
// identity module, their aggregates, and their secrets module on Macs
// (homeSecretsOn).
func homeManagerBinding(m *machine, users []*user) nix.Binding {
	hmUsers := make([]nix.Binding, 0, len(users))
	for _, u := range users {
		imports := make(nix.List, 1, 2+len(u.Aggregates))
		imports[0] = nix.Sel(nix.Ident("hm"), userModuleName(u.Name))
		for _, a := range u.Aggregates {
			imports = append(imports, nix.Sel(nix.Ident("hm"), a))
		}
		if homeSecretsOn(u, m.Class) {
			imports = append(imports, nix.Sel(nix.Ident("hm"), hmUserSecretsModule(u.Name)))
		}
		hmUsers = append(hmUsers, nix.Bind(imports, u.Name, "imports"))
	}
	return nix.Binding{
		Comment: []string{"Integrated home-manager: `" + rebuildCommand(m) + "` also switches the users' homes."},
		Path:    hmPath,
		Value: nix.Set(
			hmGlobalPkgs,
			hmUserPackages,
			hmBackupExtension,
			hmSpecialArgs,
			nix.Binding{Path: hmUsersPath, Value: nix.Set(hmUsers...)},
		),
	}
}

// rebuildCommand is how the machine is updated, for comments: a Mac
// without a target host cannot be reached by clan (and is marked
// requireExplicitUpdate, machineExplicitUpdate), so it switches itself.
func rebuildCommand(m *machine) string {
	if m.Class == classDarwin && m.TargetHost == "" {
		return "sudo darwin-rebuild switch --flake .#" + m.Name
	}
	return "clan machines update " + m.Name
}

// shellPackage and shellProgram map the spec's shell to its package and,
// when the system needs it enabled to set up the environment, the
// programs.<name> option.
func shellPackage(shell string) string {
	if shell == "bash" {
		return "bashInteractive"
	}
	return shell
}

func shellProgram(shell string, cl class) string {
	switch shell {
	case "zsh", "fish":
		return shell
	case "bash":
		if cl == classDarwin {
			return "bash"
		}
	}
	return ""
}

// nixosUserFile is the NixOS account module of user u, imported by each of
// u's NixOS machines. The clan users service (modules/clan/inventory/
// services/users) creates the account with its password and groups; this
// adds what the service does not: identity, shell and SSH keys.
func nixosUserFile(u *user) nix.File {
	acct := []nix.Binding{nix.Bind(nix.Bool(true), "isNormalUser")}
	if u.FullName != "" {
		acct = append(acct, nix.Bind(nix.Str(u.FullName), "description"))
	}
	// A Mac's uid (501, 502 …) would make a human account a system one on
	// NixOS, where normal users start at 1000 (nixos/modules/config/
	// users-groups.nix, isNormalUser); there NixOS allocates the uid.
	if nixosUID(u.UID) {
		acct = append(acct, nix.Bind(nix.Int(u.UID), "uid"))
	}
	acct = append(acct,
		nix.Bind(nix.Sel(nix.Ident("pkgs"), shellPackage(u.Shell)), "shell"),
		nix.Bind(nix.Strs(u.SSHKeys...), "openssh", "authorizedKeys", "keys"),
	)
	inner := []nix.Binding{nix.Bind(nix.Set(acct...), "users", "users", u.Name)}
	if p := shellProgram(u.Shell, classNixOS); p != "" {
		inner = append(inner, nix.Bind(nix.Bool(true), "programs", p, "enable"))
	}
	role := "user"
	if u.Admin {
		role = "admin (wheel, passwordless sudo)"
	}
	return nix.File{
		Header: []string{"NixOS account of " + u.Name + ", " + role + "; imported by the machines listed for it in fleet.json."},
		Body: nix.Set(nix.Bind(nix.Module([]string{"pkgs"}, nix.Set(inner...)),
			"flake", "modules", string(classNixOS), userModuleName(u.Name))),
	}
}

// nixosUID reports whether the spec's uid is used on NixOS: only in the
// normal-user range.
func nixosUID(uid int) bool { return uid >= 1000 }

// diskoFile is the disk layout of a NixOS machine, merged into its machine
// module. GPT everywhere. On aarch64 (UEFI only, e.g. Hetzner ARM) an ESP
// and systemd-boot; elsewhere also a BIOS boot partition and GRUB with EFI
// support, which boots on legacy BIOS (Hetzner x86) and UEFI alike.
//
// Only the device path, the machine name and the Hetzner GRUB override
// vary between machines; the rest of the tree is built once, in the
// package-level disko* values below, and shared read-only (the printer
// never modifies an AST). Every NixOS machine has a disko.nix, so this
// saves a few hundred allocations per machine.
func diskoFile(m *machine) nix.File {
	d := m.Disk
	uefiOnly := m.System == "aarch64-linux"
	zfs := d.Layout == "zfs"
	devices := make([]nix.Binding, 1, 2)
	devices[0] = nix.Bind(nix.Set(
		diskoDiskType,
		nix.Bind(nix.Str(d.Device), "device"),
		diskoPartitions[b2i(uefiOnly)][b2i(zfs)],
	), "disk", "main")
	if zfs {
		devices = append(devices, diskoZpool)
	}

	inner := make([]nix.Binding, 1, 5)
	inner[0] = nix.Bind(nix.Set(devices...), "disko", "devices")
	switch {
	case uefiOnly:
		inner = append(inner, diskoSystemdBoot...)
	default:
		inner = append(inner, diskoGrub)
	}
	var formals []string
	if zfs && m.Hetzner != nil {
		inner = append(inner, diskoNoGrowPartition)
		formals = diskoLibFormals
	}
	return nix.File{
		Header: []string{
			"Disk layout of " + m.Name + ": " + d.Layout + " on " + d.Device + " (disko). `clan machines install` partitions it;",
			"changing it later does not reformat a running machine.",
		},
		Body: nix.Set(nix.Bind(nix.Module(formals, nix.Set(inner...)),
			"flake", "modules", string(classNixOS), machineModuleName(m))),
	}
}

// b2i indexes the diskoPartitions table.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The constant parts of diskoFile, built once and never modified. They are
// composite literals (see machineFormals for why).
var (
	diskoDiskType = nix.Binding{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "disk"}}}}

	// diskoNoGrowPartition turns off, on a zfs Hetzner machine, the
	// growPartition that srvos's Hetzner Cloud profile sets to true
	// (nixos/hardware/hetzner-cloud/default.nix, arm.nix imports it):
	// nixpkgs' growpart service grows the partition of
	// fileSystems."/".device, which is the dataset zroot/root here: its
	// readlink -f of that relative name fails with status 1, which the unit
	// counts as success (SuccessExitStatus "0 1", for a partition already
	// grown), so it would only ever do nothing. mkForce, as srvos's value
	// has the same priority.
	diskoLibFormals      = []string{"lib"}
	diskoNoGrowPartition = nix.Binding{
		Comment: []string{"srvos's Hetzner profile grows the root partition at boot; the root here is a zfs",
			"dataset, not a partition, so that unit could only ever do nothing."},
		Path:  []string{"boot", "growPartition"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mkForce"}}, Args: []nix.Expr{nix.Bool(false)}},
	}

	// diskoPartitions[uefiOnly][zfs] is the disk's `content` binding: the
	// GPT table of the main disk, with a BIOS boot partition unless the
	// machine is UEFI-only, the ESP, and the root partition (ext4, or a
	// member of the zfs pool). The four are written out in full: a literal
	// that copied shared partitions from other variables would copy them
	// with init code (their Values are interfaces).
	diskoPartitions = [2][2]nix.Binding{
		{ // BIOS boot and UEFI
			{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "gpt"}}}},
				{Path: []string{"partitions"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"boot"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "1M"}}}},
						{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "EF02"}}}},
						{Path: []string{"priority"}, Value: nix.Int(1)},
					}}},
					{Path: []string{"ESP"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "512M"}}}},
						{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "EF00"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "filesystem"}}}},
							{Path: []string{"format"}, Value: &nix.String{Parts: []nix.Part{{Text: "vfat"}}}},
							{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/boot"}}}},
							{Path: []string{"mountOptions"}, Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "umask=0077"}}}}},
						}}},
					}}},
					{Path: []string{"root"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "100%"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "filesystem"}}}},
							{Path: []string{"format"}, Value: &nix.String{Parts: []nix.Part{{Text: "ext4"}}}},
							{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/"}}}},
						}}},
					}}},
				}}},
			}}},
			{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "gpt"}}}},
				{Path: []string{"partitions"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"boot"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "1M"}}}},
						{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "EF02"}}}},
						{Path: []string{"priority"}, Value: nix.Int(1)},
					}}},
					{Path: []string{"ESP"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "512M"}}}},
						{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "EF00"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "filesystem"}}}},
							{Path: []string{"format"}, Value: &nix.String{Parts: []nix.Part{{Text: "vfat"}}}},
							{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/boot"}}}},
							{Path: []string{"mountOptions"}, Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "umask=0077"}}}}},
						}}},
					}}},
					{Path: []string{"root"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "100%"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "zfs"}}}},
							{Path: []string{"pool"}, Value: &nix.String{Parts: []nix.Part{{Text: "zroot"}}}},
						}}},
					}}},
				}}},
			}}},
		},
		{ // UEFI only
			{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "gpt"}}}},
				{Path: []string{"partitions"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"ESP"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "512M"}}}},
						{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "EF00"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "filesystem"}}}},
							{Path: []string{"format"}, Value: &nix.String{Parts: []nix.Part{{Text: "vfat"}}}},
							{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/boot"}}}},
							{Path: []string{"mountOptions"}, Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "umask=0077"}}}}},
						}}},
					}}},
					{Path: []string{"root"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "100%"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "filesystem"}}}},
							{Path: []string{"format"}, Value: &nix.String{Parts: []nix.Part{{Text: "ext4"}}}},
							{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/"}}}},
						}}},
					}}},
				}}},
			}}},
			{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "gpt"}}}},
				{Path: []string{"partitions"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"ESP"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "512M"}}}},
						{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "EF00"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "filesystem"}}}},
							{Path: []string{"format"}, Value: &nix.String{Parts: []nix.Part{{Text: "vfat"}}}},
							{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/boot"}}}},
							{Path: []string{"mountOptions"}, Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "umask=0077"}}}}},
						}}},
					}}},
					{Path: []string{"root"}, Value: nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"size"}, Value: &nix.String{Parts: []nix.Part{{Text: "100%"}}}},
						{Path: []string{"content"}, Value: nix.Attrs{Binds: []nix.Binding{
							{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "zfs"}}}},
							{Path: []string{"pool"}, Value: &nix.String{Parts: []nix.Part{{Text: "zroot"}}}},
						}}},
					}}},
				}}},
			}}},
		},
	}

	// diskoAutoSnapshot marks a dataset for the snapshots clan-core turns on
	// (nixosModules/clanCore/zfs.nix: services.zfs.autoSnapshot.enable), which
	// nixpkgs' zfs.nix takes only of datasets whose com.sun:auto-snapshot
	// property is true: without it none are ever taken. / (with the state
	// under /var/lib) and /home have it; /nix has not, where a snapshot would
	// keep what nix.gc frees.
	diskoAutoSnapshot = nix.Binding{
		Comment: []string{"Snapshotted by clan's ZFS auto-snapshots, which take only datasets marked so (not /nix)."},
		Path:    []string{"options", "com.sun:auto-snapshot"},
		Value:   &nix.String{Parts: []nix.Part{{Text: "true"}}},
	}

	// No networking.hostId here: clan-core sets it (mkDefault) to the one of
	// the NixOS installer and nixos-anywhere, so that the pool they create
	// imports at boot without a forced import (clan-core
	// nixosModules/clanCore/zfs.nix, which also keeps forceImportRoot off).
	diskoZpool = nix.Binding{
		Comment: []string{"networking.hostId is clan-core's, the installer's: the pool imports at boot without force."},
		Path:    []string{"zpool", "zroot"}, Value: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "zpool"}}}},
			{Path: []string{"rootFsOptions"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"compression"}, Value: &nix.String{Parts: []nix.Part{{Text: "lz4"}}}},
				{Path: []string{"atime"}, Value: &nix.String{Parts: []nix.Part{{Text: "off"}}}},
				{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "none"}}}},
			}}},
			{Path: []string{"datasets"}, Value: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"root"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "zfs_fs"}}}},
					{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/"}}}},
					// NixOS mounts it from fileSystems, not zfs-mount.
					{Path: []string{"options", "mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "legacy"}}}},
					diskoAutoSnapshot,
				}}},
				{Path: []string{"nix"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "zfs_fs"}}}},
					{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/nix"}}}},
					// NixOS mounts it from fileSystems, not zfs-mount.
					{Path: []string{"options", "mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "legacy"}}}},
				}}},
				{Path: []string{"home"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"type"}, Value: &nix.String{Parts: []nix.Part{{Text: "zfs_fs"}}}},
					{Path: []string{"mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "/home"}}}},
					// NixOS mounts it from fileSystems, not zfs-mount.
					{Path: []string{"options", "mountpoint"}, Value: &nix.String{Parts: []nix.Part{{Text: "legacy"}}}},
					diskoAutoSnapshot,
				}}},
			}}},
		}}}

	diskoSystemdBoot = []nix.Binding{
		{Path: []string{"boot", "loader", "systemd-boot", "enable"}, Value: nix.Bool(true)},
		{Path: []string{"boot", "loader", "efi", "canTouchEfiVariables"}, Value: nix.Bool(true)},
	}

	// diskoGrub is GRUB for BIOS and UEFI boot. On Hetzner, srvos's profile
	// sets grub.devices with mkDefault (srvos nixos/hardware/hetzner-cloud), so
	// disko's plain definition (lib/types/gpt.nix, for the EF02 partition)
	// replaces it and the disk is listed once: nothing to override.
	diskoGrub = nix.Binding{
		Comment: []string{"disko adds the disk with the EF02 partition to grub.devices."},
		Path:    []string{"boot", "loader", "grub"},
		Value: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"enable"}, Value: nix.Bool(true)},
			{Path: []string{"efiSupport"}, Value: nix.Bool(true)},
			{Path: []string{"efiInstallAsRemovable"}, Value: nix.Bool(true)},
		}},
	}
)

// machinesTests: per class, the merged base module and one module and one
// configuration per machine.
func machinesTests(s *fleet) []nix.Binding {
	var tests []nix.Binding
	for _, cl := range []class{classNixOS, classDarwin} {
		name := string(cl)
		ms := machinesOf(s, cl)
		if len(ms) == 0 {
			continue
		}
		names := sortedNames(ms)
		mods := []string{"base"}
		for _, n := range names {
			mods = append(mods, "machines/"+name+"/"+n)
		}
		title := map[class]string{classNixOS: "Nixos", classDarwin: "Darwin"}[cl]
		tests = append(tests, unitTest("test"+title+"ModulesExist",
			"flake.modules."+name+" has the merged base module and one module per machine (lists what is missing).",
			missingFrom(selfModules(name), mods), nix.List{}))
		tests = append(tests, unitTest("test"+title+"ConfigurationsExist",
			"One "+name+"Configuration per "+name+" machine.",
			nix.Call(nix.Sel(nix.Ident("builtins"), "attrNames"), nix.Sel(nix.Ident("self"), name+"Configurations")), nix.Strs(names...)))
	}
	return tests
}

// machinesBootstrap: installing the NixOS machines Terraform does not.
func machinesBootstrap(s *fleet) []readmeStep {
	var local []*machine
	for _, m := range machinesOf(s, classNixOS) {
		if m.Hetzner == nil {
			local = append(local, m)
		}
	}
	if len(local) == 0 {
		return nil
	}
	// "Other" only after the Terraform step, which installs the Hetzner ones.
	title := "Install the NixOS machines"
	if len(local) < len(machinesOf(s, classNixOS)) {
		title = "Install the other NixOS machines"
	}
	return []readmeStep{{rank: stepInstall, title: title, body: func(w *mdWriter) {
		// --update-hardware-config nixos-facter: nixos-anywhere runs
		// nixos-facter on the target, clan commits the report as
		// machines/<m>/facter.json (clan_lib/machines/install.py) and its
		// NixOS module reads it (nixosModules/clanCore/nixos-facter.nix).
		// The generated modules hold no hardware settings of their own.
		// clan's default phases are kexec,disko,install,reboot
		// (clan_cli/machines/install.py): nixos-anywhere's kexec phase
		// boots the installer from whatever Linux the machine runs.
		w.WriteString("Each machine needs root SSH access, from any running Linux (the install boots the\n" +
			"NixOS installer on it, then erases its disk) or a NixOS installer. The running Linux must be\n" +
			"a full VM or bare metal (a container cannot boot another kernel), with 1.5 GB of RAM for the\n" +
			"installer, a wired network, and Secure Boot off (the installed boot loader is unsigned).\n" +
			"\n")
		// disko wipes and partitions exactly the configured device (its
		// destroy and create scripts, lib/types/gpt.nix); the facter report
		// picks nothing. The default is /dev/sda (defaults.go), which a
		// virtio VPS (vda) or an NVMe machine does not have, and which on a
		// machine with several disks may be the wrong one.
		// Grouped by device, in machine order: a large fleet mostly shares one.
		var order []string
		byDev := map[string][]string{}
		for _, m := range local {
			if byDev[m.Disk.Device] == nil {
				order = append(order, m.Disk.Device)
			}
			byDev[m.Disk.Device] = append(byDev[m.Disk.Device], m.Name)
		}
		devs := make([]string, len(order))
		for i, d := range order {
			if len(order) == 1 && len(byDev[d]) > 1 {
				devs[i] = mdCode(d) + " on every one"
			} else {
				devs[i] = mdCode(d) + " on " + readmeCodeList(byDev[d])
			}
		}
		w.line("**Each install erases the disk its `disk.device` in `fleet.json` names** (", strings.Join(devs, "; "), ";")
		w.WriteString("Fleetyard writes `/dev/sda` where you named none). Check on the machine which disk that is: the name\n" +
			"depends on the hardware (a KVM VPS has `/dev/vda`, an NVMe machine `/dev/nvme0n1`) and can\n" +
			"change between boots. Put the disk's stable name from `/dev/disk/by-id/` in `fleet.json` and\n" +
			"regenerate before installing:\n" +
			"\n")
		w.code("ssh root@<address> 'lsblk -d -o NAME,SIZE,MODEL,TRAN; ls -l /dev/disk/by-id/'")
		// NixOS's default networking.useDHCP, over systemd-networkd (clan's
		// clanCore/networking.nix); nixos-anywhere installs with
		// --no-root-passwd.
		w.WriteString("The installed system configures its network by DHCP. Where the provider assigns a static\n" +
			"address instead (`ip addr` and `ip route` on the running system show it), add it to the\n" +
			"machine's module first (`systemd.network.networks`): otherwise the machine is unreachable\n" +
			"after the install's reboot, and root has no password for the console either.\n" +
			"\n")
		w.WriteString("Then install (replace `<address>` where the spec gives no `targetHost`). Each install records\n" +
			"the machine's hardware in `machines/<machine>/facter.json`, which clan reads from then on,\n" +
			"and commits it, then the install time in `inventory.json`. Should it stop at the disk step,\n" +
			"the machine runs the installer from memory with its old system untouched: rebooting it\n" +
			"brings that back.\n" +
			"\n")
		var cmds []string
		for _, m := range local {
			// A name in the clan domain resolves nowhere yet, least of
			// all before the install (reachableTarget).
			target := "root@<address>"
			if t := reachableTarget(m, s.Domain); t != "" {
				target = shellWord(t)
			}
			cmds = append(cmds, "clan machines install "+m.Name+" --update-hardware-config nixos-facter --target-host "+target)
		}
		w.code(cmds...)
		// The installed sshd offers only clan's host key (clanServices/
		// sshd: hostKeys from the openssh generator, a public var), so an
		// admin who reached the old system has its key for that address,
		// and clan's update checks it (--host-key-check ask by default).
		w.WriteString("The installed machine answers with a new SSH host key, clan's, kept in `vars/`: swap the\n" +
			"old system's key in your `known_hosts` for it before the first update, for each machine:\n" +
			"\n")
		knownHostsCode(w, s, false)
		// clanServices/emergency-access sets boot.initrd.systemd.emergencyAccess
		// to its generated hash; the password itself is deploy = false.
		// The disko layouts boot aarch64 machines with systemd-boot
		// (diskoSystemdBoot) and the others with GRUB; systemd-boot's
		// editor is on by default (nixpkgs' systemd-boot.nix), and its `e`
		// edits the entry's one options line.
		where := "(GRUB's `linux` line)"
		for _, m := range machinesOf(s, classNixOS) {
			if m.System == "aarch64-linux" {
				where = "(GRUB's `linux`\nline; systemd-boot, on the aarch64 machines, shows only that line)"
				break
			}
		}
		w.WriteString("Locked out later (no SSH after an update)? From the machine's console, pick the previous\n" +
			"generation in the boot menu. Where that does not help, press `e` on an entry, add\n" +
			"`rd.systemd.unit=emergency.target` to its kernel command line " + where + " and\n" +
			"boot it: the emergency shell asks for the password\n" +
			"`clan vars get <machine> emergency-access/password` prints. That shell is the systemd\n" +
			"initrd's, which `modules/system/boot.nix` turns on: a machine that sets\n" +
			"`boot.initrd.systemd.enable = false` has none.\n\n")
	}}}
}

// knownHostsCode is the README's code that trusts an installed machine's
// SSH host key, clan's (clanServices/sshd: the openssh generator's public
// ssh.id_ed25519.pub), for its address, in place of any older entry. The
// file is made first: on a workstation that has never used ssh,
// `ssh-keygen -R` stops with "Cannot stat" (exit 255) and the append has no
// directory to write into (TestKnownHostsCodeRuns).
//
// ssh looks a key up by the host it was told to connect to, and OpenSSH
// no longer checks the address as well (CheckHostIP defaults to no since
// 8.5): a machine that clan reaches by the name in its targetHost needs an
// entry under that name too, or the first update asks about an unknown key.
func knownHostsCode(w *mdWriter, s *fleet, cloud bool) {
	w.code("mkdir -p -m 700 ~/.ssh && touch ~/.ssh/known_hosts",
		"ssh-keygen -R <address>",
		`echo "<address> $(cat vars/per-machine/<machine>/openssh/ssh.id_ed25519.pub/value)" >> ~/.ssh/known_hosts`)
	named := ""
	for _, m := range s.Machines {
		// The machines of the step: Terraform's, or those installed by hand.
		h := m.Hetzner
		if host := targetHostName(m.TargetHost); (cloud && h != nil && h.Enabled || !cloud && h == nil && m.Class == classNixOS) && hostIsName(host) {
			named += ", `" + m.Name + "` (`" + host + "`)"
		}
	}
	if named != "" {
		w.WriteString("ssh finds a key by the name it connects to: for a machine that clan reaches by the name in\n" +
			"its `targetHost`, run the last two lines again with that name in place of `<address>`: " + named[2:] + ".\n\n")
	}
}

// hostIsName reports whether host is a name, not an IPv4 address (digits
// and dots) or an IPv6 one (it has colons).
func hostIsName(host string) bool {
	name := false
	for _, c := range []byte(host) {
		switch {
		case c == ':':
			return false
		case c != '.' && (c < '0' || c > '9'):
			name = true
		}
	}
	return name
}
