package gen

import (
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestReadmeFirstDeployAgainstUpstream pins what the README tells an owner
// on a first deploy to the upstream behaviour that makes it necessary, read
// from the pinned snapshots (shared/upstream): a row fails when the README
// stops saying it, and when the upstream source stops doing what the
// sentence relies on (a newer pin then needs the README read again).
func TestReadmeFirstDeployAgainstUpstream(t *testing.T) {
	for _, tc := range []struct {
		name     string
		example  string
		file     string // generated file the sentence is in
		says     string
		project  string // upstream snapshot ("": none holds the source)
		path     string
		upstream string // what the upstream file does
	}{
		{
			// home-manager's check-link-targets stops at a file it would
			// replace unless HOME_MANAGER_BACKUP_EXT is set, which a
			// standalone switch takes from -b.
			name: "standalone homes rename existing dotfiles", example: "seed", file: "README.md",
			says:    "home-manager -- switch -b before-home-manager --flake .#raquel@aarch64-darwin",
			project: "home-manager", path: "home-manager/home-manager", upstream: `export HOME_MANAGER_BACKUP_EXT="$1"`,
		},
		{
			// clan machines update runs the generators before deploying
			// (machines/update.py); darwin-rebuild does not, and clan-core's
			// sops backend gives a secret var without its file this path,
			// so a Mac switched without new vars fails silently.
			name: "darwin-rebuild generates no vars", example: "seed", file: "README.md",
			says:    "`clan vars generate <machine>` first and pull what it commits. A secret the Mac lacks\nis a link to `/no-such-path`",
			project: "clan-core", path: "nixosModules/clanCore/vars/secret/sops/default.nix", upstream: `or "/no-such-path"`,
		},
		{
			name: "clan machines update generates vars itself", example: "seed", file: "README.md",
			says:    "A bare `clan machines update` deploys",
			project: "clan-core", path: "pkgs/clan-cli/clan_cli/machines/update.py", upstream: "run_generators(",
		},
		{
			// The standalone configurations' own comment gives the same
			// command as the README, -b included.
			name: "configurations.nix's activation command backs files up", example: "seed", file: "modules/home/configurations.nix",
			says:    "home-manager -- switch -b before-home-manager --flake .#<user>@<system>",
			project: "home-manager", path: "home-manager/home-manager", upstream: `export HOME_MANAGER_BACKUP_EXT="$1"`,
		},
		{
			// nix-darwin's ensurePerms aborts an activation that creates a
			// user over SSH without Full Disk Access.
			name: "creating a Mac account needs the administration permission", example: "seed", file: "README.md",
			says:    `"Allow full disk access for remote users" is on`,
			project: "nix-darwin", path: "modules/users/default.nix", upstream: "Allow full disk access for remote users",
		},
		{
			// An unchanged agent that is loaded is skipped by the next
			// switch, so a key made after it needs kickstart.
			name: "a Mac user's key made after the switch", example: "seed", file: "README.md",
			says:    "(`raquel`, whose account the switch\ncreates",
			project: "home-manager", path: "modules/launchd/default.nix", upstream: "is already up-to-date",
		},
		{
			name: "a Mac user's key made after the switch: the command", example: "seed", file: "README.md",
			says:    "launchctl kickstart user/$(id -u)/org.nix-community.home.sops-nix\n",
			project: "sops-nix", path: "modules/home-manager/sops.nix", upstream: "RunAtLoad = true;",
		},
		{
			// home-manager's sops-nix hands sops-install-secrets only
			// sops.age.keyFile, which base-sops.nix sets to ~/.config.
			name: "home secrets read only the README's key file", example: "seed", file: "README.md",
			says:    "(home secrets, decrypted by sops-nix, read only\n`~/.config/sops/age/keys.txt`)",
			project: "sops-nix", path: "modules/home-manager/sops.nix", upstream: "ageKeyFile = cfg.age.keyFile;",
		},
		{
			// A public var that does not exist yet throws when read, and
			// clan's sshd service reads two of them for known_hosts, which
			// nix flake check evaluates with every NixOS machine.
			name: "nix flake check needs the vars", example: "large", file: "README.md",
			says:    "they need\n`clan vars generate` to have run for all of them",
			project: "clan-core", path: "nixosModules/clanCore/vars/public/in_repo.nix", upstream: "Please run `clan vars generate",
		},
		{
			name: "nix flake check needs the vars: who reads them", example: "minimal", file: "README.md",
			says:    "(a machine without its vars stops the\ncheck",
			project: "clan-core", path: "clanServices/sshd/default.nix", upstream: `files."ssh.id_ed25519.pub".value`,
		},
		{
			// clan's default deploy address for a NixOS machine with a
			// domain: root@<fqdn>.
			name: "the deploy address clan falls back to", example: "minimal", file: "modules/machines/nixos/server/default.nix",
			says:    "then root@<machine>.<domain>, which resolves only where your DNS or /etc/hosts has it.",
			project: "clan-core", path: "nixosModules/clanCore/networking.nix", upstream: `"root@${config.networking.fqdn}"`,
		},
		{
			// ...after the clan networks the machine is in: zerotier
			// exports one.
			name: "the deploy address clan tries first", example: "minimal", file: "modules/machines/nixos/server/default.nix",
			says:    "clan networks the machine is in, if any (zerotier",
			project: "clan-core", path: "clanServices/zerotier/default.nix", upstream: "networking.priority",
		},
		{
			// clan's sshd service serves only its generated host key, a
			// public var kept in the repository: the old system's key in
			// known_hosts no longer matches after an install.
			name: "the installed machine's host key", example: "minimal", file: "README.md",
			says:    `echo "<address> $(cat vars/per-machine/<machine>/openssh/ssh.id_ed25519.pub/value)" >> ~/.ssh/known_hosts`,
			project: "clan-core", path: "clanServices/sshd/default.nix", upstream: `files."ssh.id_ed25519.pub".secret = false;`,
		},
		{
			// A Hetzner server is installed by Terraform through
			// nixos-anywhere, which clan lets check no host key; the first
			// update would ask (--host-key-check ask): the README pins the
			// server's own key before it.
			name: "a cloud server's host key, after the install", example: "seed", file: "README.md",
			says:    "The install checks no host key (nixos-anywhere)",
			project: "clan-core", path: "pkgs/clan-cli/clan_lib/machines/nixos_anywhere.py", upstream: "hardcodes\n    StrictHostKeyChecking=no",
		},
		{
			name: "a cloud server's host key: clan's update asks", example: "seed", file: "README.md",
			says:    "kept in `vars/` (`ssh-keygen -R` drops an older entry for a reused address):\n\n```sh\nmkdir -p -m 700 ~/.ssh && touch ~/.ssh/known_hosts\nssh-keygen -R <address>\necho \"<address> $(cat vars/per-machine/<machine>/openssh/ssh.id_ed25519.pub/value)\" >> ~/.ssh/known_hosts",
			project: "clan-core", path: "pkgs/clan-cli/clan_cli/machines/update.py", upstream: `default="ask"`,
		},
		{
			// The activation runs as root in a home the user owns: the key's
			// link is made as the user (TestDarwinKeyLinkRunsAsTheUser).
			name: "a Mac user's clan SSH key is linked as the user", example: "seed", file: "modules/darwin/users/raquel.nix",
			says:    "/usr/bin/sudo -u raquel -- /bin/sh -c 'umask 077 && mkdir -p /Users/raquel/.ssh && ln -sfn",
			project: "nix-darwin", path: "modules/system/activation-scripts.nix", upstream: "postActivation",
		},
		{
			// clan turns on ZFS auto-snapshots, and nixpkgs' zfs.nix takes
			// only datasets whose com.sun:auto-snapshot is true: the
			// layout marks / and /home, so some are taken.
			name: "zfs datasets clan's snapshots take", example: "seed", file: "modules/machines/nixos/cinnabar/disko.nix",
			says:    "options.mountpoint = \"legacy\";\n              # Snapshotted by clan's ZFS auto-snapshots, which take only datasets marked so (not /nix).\n              options.\"com.sun:auto-snapshot\" = \"true\";\n            };\n            nix = {",
			project: "clan-core", path: "nixosModules/clanCore/zfs.nix", upstream: "autoSnapshot.enable = true;",
		},
		{
			// The emergency-access service sets the initrd's emergency
			// password only.
			name: "emergency access", example: "minimal", file: "README.md",
			says:    "asks for the password\n`clan vars get <machine> emergency-access/password` prints",
			project: "clan-core", path: "clanServices/emergency-access/default.nix", upstream: "boot.initrd.systemd.emergencyAccess",
		},
		{
			// ...which only the systemd initrd reads (the scripted one has no
			// emergencyAccess), so the base turns that initrd on.
			name: "emergency access: the initrd that reads the password", example: "minimal", file: "modules/system/boot.nix",
			says:    "boot.initrd.systemd.enable = lib.mkDefault true;",
			project: "clan-core", path: "clanServices/emergency-access/default.nix", upstream: "boot.initrd.systemd.emergencyAccess =",
		},
		{
			// Both boot loaders copy every listed generation's kernel and
			// initrd to the 512 MB ESP (nixpkgs' grub.nix: copyKernels is
			// automatic when /boot is its own partition; systemd-boot always),
			// and list 100 (GRUB) or all of them: srvos's
			// nixos/mixins/systemd-boot.nix keeps 10. No snapshot holds them.
			name: "a bounded boot menu", example: "minimal", file: "modules/system/boot.nix",
			says: "boot.loader.grub.configurationLimit = lib.mkDefault 10;\n      boot.loader.systemd-boot.configurationLimit = lib.mkDefault 10;",
		},
		{
			// Every update's previous system stays a GC root until its
			// generation is deleted (nixpkgs' nix-gc.nix runs
			// nix-collect-garbage with nix.gc.options).
			name: "old generations are collected", example: "minimal", file: "modules/system/store.nix",
			says: `nix.gc.options = lib.mkDefault "--delete-older-than 30d";`,
		},
		{
			// The same on a Mac: nix-darwin's nix.gc is a launchd daemon
			// that asserts nix.enable (modules/services/nix-gc), so it follows
			// nix.enable rather than stopping a Determinate Nix Mac's build.
			name: "old generations are collected on Macs", example: "seed", file: "modules/darwin/store.nix",
			says:    "nix.gc.automatic = lib.mkDefault config.nix.enable;\n      nix.gc.options = lib.mkDefault \"--delete-older-than 30d\";",
			project: "nix-darwin", path: "modules/services/nix-gc/default.nix", upstream: "assertion = cfg.automatic -> config.nix.enable;",
		},
		{
			// clan vars upload reaches the Mac at its inventory targetHost
			// (get_best_remote; the command has no --target-host), and a
			// Mac answers to <machine>.local only once nix-darwin has set
			// its LocalHostName (modules/networking, at activation): the
			// README has it set before the upload that precedes the switch.
			name: "a Mac's key upload reaches it before its first switch", example: "large", file: "README.md",
			says:    "(`sudo scutil --set LocalHostName mac-004`).",
			project: "clan-core", path: "pkgs/clan-cli/clan_cli/vars/upload.py", upstream: "get_best_remote(machine) as remote",
		},
		{
			name: "nix-darwin names the Mac's local host at activation", example: "large", file: "README.md",
			says:    "The Mac answers to `mac-004.local` only once its local host name is `mac-004`",
			project: "nix-darwin", path: "modules/networking/default.nix", upstream: "scutil --set LocalHostName ${escapeShellArg cfg.localHostName}",
		},
		{
			// nix-store --optimise on a timer, where nix-darwin manages Nix:
			// its launchd daemon asserts nix.enable as nix.gc's does.
			name: "the store is deduplicated on Macs", example: "seed", file: "modules/darwin/store.nix",
			says:    "nix.optimise.automatic = lib.mkDefault config.nix.enable;",
			project: "nix-darwin", path: "modules/services/nix-optimise/default.nix", upstream: "assertion = cfg.automatic -> config.nix.enable;",
		},
		{
			// Deduplication on NixOS (nixpkgs' nix-optimise.nix: a timer,
			// daily at 03:45).
			name: "the store is deduplicated", example: "minimal", file: "modules/system/store.nix",
			says: "nix.optimise.automatic = lib.mkDefault true;",
		},
		{
			// Collection while building when the disk runs low: clan-core
			// sets min-free and max-free for NixOS and darwin alike, so the
			// base leaves them to it and says so.
			name: "builds collect garbage when the disk runs low", example: "minimal", file: "modules/system/store.nix",
			says:    "clan's own defaults\n# (min-free, max-free)",
			project: "clan-core", path: "nixosModules/clanCore/nix-settings.nix", upstream: "nix.settings.min-free = lib.mkDefault",
		},
		{
			// Without --build-host the target builds.
			name: "updates build on the machine", example: "minimal", file: "README.md",
			says:    "add `--build-host localhost` to build on your workstation",
			project: "clan-core", path: "pkgs/clan-cli/clan_lib/machines/update.py", upstream: "use the target host as the build host",
		},
		{
			// disko destroys and partitions exactly the configured device
			// (lib/types/gpt.nix, not in the pinned snapshots), and nothing
			// picks it from the facter report: the README names it.
			name: "the disk an install erases", example: "minimal", file: "README.md",
			says: "**Each install erases the disk its `disk.device` in `fleet.json` names** (`/dev/sda` on `server`;",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runEmitters(t, exampleSpec(t, tc.example), plainEmitters)[tc.file]
			if !strings.Contains(got, tc.says) {
				t.Errorf("%s (%s) lacks %q", tc.file, tc.example, tc.says)
			}
			if tc.project == "" {
				return // no pinned snapshot holds it: the row's comment cites the source
			}
			if src := string(tooltest.UpstreamFile(t, tc.project, tc.path)); !strings.Contains(src, tc.upstream) {
				t.Errorf("the pinned %s's %s no longer has %q: read the README's sentence against it again", tc.project, tc.path, tc.upstream)
			}
		})
	}
}

// TestReadmeNamesTheDiskEachInstallErases: disko wipes exactly the
// configured disk.device (lib/types/gpt.nix's create script; nothing reads
// the facter report to pick one), so the install step names each machine's,
// grouped by device.
func TestReadmeNamesTheDiskEachInstallErases(t *testing.T) {
	s := exampleSpec(t, "minimal")
	one := s.Machines[0]
	for _, tc := range []struct {
		name string
		devs []string // one machine per entry
		want string
	}{
		{"one machine", []string{"/dev/sda"}, "(`/dev/sda` on `m0`;"},
		{"one device", []string{"/dev/vda", "/dev/vda"}, "(`/dev/vda` on every one;"},
		{"two devices", []string{"/dev/sda", "/dev/disk/by-id/nvme-X", "/dev/sda"}, "(`/dev/sda` on `m0` and `m2`; `/dev/disk/by-id/nvme-X` on `m1`;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *s
			c.Machines = nil
			for i, d := range tc.devs {
				m := one
				m.Name = "m" + strconv.Itoa(i)
				disk := *one.Disk
				disk.Device = d
				m.Disk = &disk
				c.Machines = append(c.Machines, m)
			}
			readme := runEmitters(t, &c, plainEmitters)["README.md"]
			if !strings.Contains(readme, tc.want) {
				i := strings.Index(readme, "**Each install erases")
				t.Errorf("the install step lacks %q:\n%.300s", tc.want, readme[max(i, 0):])
			}
		})
	}
}
