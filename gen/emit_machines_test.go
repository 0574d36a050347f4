package gen

// Tests of the machines pattern (emit_machines.go): per-machine modules,
// NixOS accounts, disko.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// nixStubs is an attribute set whose attribute n is the string "<prefix>:n",
// standing in for modules the evaluated file only passes around.
func nixStubs(prefix string, names ...string) string {
	var b strings.Builder
	b.WriteString("{")
	for _, n := range names {
		// Test names are plain ASCII without $ or \, so a JSON string is
		// also a Nix string.
		k, _ := json.Marshal(n)
		v, _ := json.Marshal(prefix + ":" + n)
		fmt.Fprintf(&b, " %s = %s;", k, v)
	}
	b.WriteString(" }")
	return b.String()
}

// machineStubArgs are flake-parts arguments for a machine module of spec s:
// the flake's modules become "<class>:<name>" strings, inputs likewise.
func machineStubArgs(s *Spec) string {
	var nixos, darwin, hm []string
	nixos = append(nixos, "base")
	darwin = append(darwin, "base")
	hm = append(hm, "base-sops")
	for _, u := range s.Users {
		nixos = append(nixos, "users/"+u.Name)
		darwin = append(darwin, "users/"+u.Name)
		hm = append(hm, "users/"+u.Name, "users/"+u.Name+"/secrets")
		hm = append(hm, u.Home.Aggregates...)
	}
	hm = sortedUnique(hm)
	return `{
  config.flake = {
    marker = "FLAKE";
    modules = {
      nixos = ` + nixStubs("nixos", nixos...) + `;
      darwin = ` + nixStubs("darwin", darwin...) + `;
      homeManager = ` + nixStubs("hm", hm...) + `;
    };
  };
  inputs = {
    disko.nixosModules.disko = "DISKO";
    srvos.nixosModules = { hardware-hetzner-cloud = "SRVOS-X86"; hardware-hetzner-cloud-arm = "SRVOS-ARM"; };
    home-manager.nixosModules.home-manager = "HM-NIXOS";
    home-manager.darwinModules.home-manager = "HM-DARWIN";
    self.overlays.default = "OVERLAY";
  };
}`
}

// evalMachine evaluates machine m's default.nix: the outer flake-parts
// module with stubs, then the machine module itself.
func evalMachine(t *testing.T, s *Spec, files map[string]string, m *machine) map[string]any {
	t.Helper()
	path := "modules/machines/" + string(m.Class) + "/" + m.Name + "/default.nix"
	v := evalNix(t, `let
  outer = `+nixExpr(files[path])+` `+machineStubArgs(s)+`;
  inner = outer.flake.modules.`+string(m.Class)+`."machines/`+string(m.Class)+`/`+m.Name+`" { };
  hm = inner.home-manager or null;
in inner // {
  home-manager = if hm == null then null else hm // {
    extraSpecialArgs.flake = {
      marker = hm.extraSpecialArgs.flake.marker;
      hasInputs = hm.extraSpecialArgs.flake ? inputs;
    };
  };
}`)
	return v.(map[string]any)
}

func TestWireMachineModules(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	// cinnabar has a targetHost; blackphos (and electrum) have none, so a
	// bare `clan machines update` must leave them out, which only
	// requireExplicitUpdate achieves: clan_cli/machines/update.py's
	// requires_explicit_update reads m.target_host without calling it and
	// so never skips a machine for lacking one.
	cin := evalMachine(t, s, files, model(s).machine["cinnabar"])
	equalJSON(t, "cinnabar", cin, `{
  "imports": ["nixos:base", "nixos:users/crs58", "DISKO", "SRVOS-X86", "HM-NIXOS"],
  "networking": {"hostName": "cinnabar"},
  "nixpkgs": {"hostPlatform": "x86_64-linux", "overlays": ["OVERLAY"]},
  "system": {"stateVersion": "25.05"},
  "services": {"cloud-init": {"settings": {"allow_public_ssh_keys": false}}},
  "home-manager": {
    "useGlobalPkgs": true, "useUserPackages": true, "backupFileExtension": "before-home-manager",
    "extraSpecialArgs": {"flake": {"marker": "FLAKE", "hasInputs": true}},
    "users": {"crs58": {"imports": ["hm:users/crs58", "hm:core", "hm:shell", "hm:development", "hm:tools"]}}
  }
}`)
	bp := evalMachine(t, s, files, model(s).machine["blackphos"])
	equalJSON(t, "blackphos", bp, `{
  "imports": ["darwin:base", "darwin:users/crs58", "darwin:users/raquel", "HM-DARWIN"],
  "networking": {"hostName": "blackphos"},
  "nixpkgs": {"hostPlatform": "aarch64-darwin", "overlays": ["OVERLAY"]},
  "system": {"stateVersion": 6, "primaryUser": "crs58"},
  "clan": {"core": {"deployment": {"requireExplicitUpdate": true}}},
  "users": {"knownUsers": ["raquel"]},
  "sops": {"age": {"sshKeyPaths": ["/etc/ssh/ssh_host_ed25519_key"]}},
  "home-manager": {
    "useGlobalPkgs": true, "useUserPackages": true, "backupFileExtension": "before-home-manager",
    "extraSpecialArgs": {"flake": {"marker": "FLAKE", "hasInputs": true}},
    "users": {
      "crs58": {"imports": ["hm:users/crs58", "hm:core", "hm:shell", "hm:development", "hm:tools", "hm:users/crs58/secrets"]},
      "raquel": {"imports": ["hm:users/raquel", "hm:core", "hm:shell", "hm:users/raquel/secrets"]}
    }
  }
}`)
}

// A machine without users gets neither home-manager nor user imports. One
// without a stateVersion starts at the current stable release (stableRelease).
func TestWireMachineWithoutUsers(t *testing.T) {
	s := exampleSpec(t, "minimal")
	files := runEmitters(t, s, wiringEmitters)
	got := evalMachine(t, s, files, model(s).Machines[0])
	equalJSON(t, "server", got, `{
  "imports": ["nixos:base", "DISKO"],
  "networking": {"hostName": "server"},
  "nixpkgs": {"hostPlatform": "x86_64-linux", "overlays": ["OVERLAY"]},
  "system": {"stateVersion": "26.05"},
  "clan": {"core": {"deployment": {"requireExplicitUpdate": true}}},
  "home-manager": null
}`)
	for p := range files {
		if strings.Contains(p, "/users/") || strings.Contains(p, "zerotier") || strings.HasPrefix(p, "modules/darwin/") {
			t.Errorf("minimal fleet has unexpected %s", p)
		}
	}
	if strings.Contains(files["modules/clan/core.nix"], "terranix") {
		t.Error("core.nix imports terranix without Hetzner machines")
	}
}

// TestWireDisko: the disk layouts as disko reads them. The ZFS one sets no
// networking.hostId: clan-core sets it (mkDefault) to the NixOS installer's
// and nixos-anywhere's, so that the pool made at install imports at boot
// without force, and keeps boot.zfs.forceImportRoot off (clan-core
// nixosModules/clanCore/zfs.nix); a host id of our own would break that.
func TestWireDisko(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	v := evalNix(t, `let
  mod = f: m: (f.flake.modules.nixos."machines/nixos/${m}" { config.networking.hostName = m; lib.mkForce = x: { forced = x; }; });
  zfs = mod `+nixExpr(files["modules/machines/nixos/cinnabar/disko.nix"])+` "cinnabar";
  ext4 = mod `+nixExpr(files["modules/machines/nixos/electrum/disko.nix"])+` "electrum";
  root = d: d.disko.devices.disk.main.content.partitions.root.content;
in {
  zfsRoot = root zfs;
  zfsMounts = builtins.mapAttrs (_: d: d.mountpoint) zfs.disko.devices.zpool.zroot.datasets;
  zfsHasHostId = zfs ? networking;
  ext4Root = root ext4;
  ext4HasHostId = ext4 ? networking;
  device = ext4.disko.devices.disk.main.device;
  parts = builtins.attrNames ext4.disko.devices.disk.main.content.partitions;
  grub = ext4.boot.loader.grub;
  # srvos's Hetzner Cloud profile sets boot.growPartition = true
  # (nixos/hardware/hetzner-cloud/default.nix); nixpkgs' growpart service
  # grows the partition of fileSystems."/".device, a zfs dataset here.
  zfsGrow = zfs.boot.growPartition;
  ext4Grow = ext4.boot ? growPartition;
}`)
	equalJSON(t, "disko", v, `{
  "zfsGrow": {"forced": false},
  "ext4Grow": false,
  "zfsRoot": {"type": "zfs", "pool": "zroot"},
  "zfsMounts": {"root": "/", "nix": "/nix", "home": "/home"},
  "zfsHasHostId": false,
  "ext4Root": {"type": "filesystem", "format": "ext4", "mountpoint": "/"},
  "ext4HasHostId": false,
  "device": "/dev/sda",
  "parts": ["ESP", "boot", "root"],
  "grub": {"enable": true, "efiSupport": true, "efiInstallAsRemovable": true}
}`)
}

// aarch64 machines boot UEFI only: ESP and systemd-boot, no BIOS partition,
// no GRUB; non-Hetzner machines do not override grub.device.
func TestWireDiskoPlatforms(t *testing.T) {
	s := parseSpec(t, []byte(`{"version":1,"name":"t","machines":[
  {"name":"arm","class":"nixos","system":"aarch64-linux","hetzner":{"enabled":true}},
  {"name":"box","class":"nixos"},
  {"name":"tank","class":"nixos","disk":{"layout":"zfs"}}]}`))
	files := runEmitters(t, s, wiringEmitters)
	v := evalNix(t, `let
  tank = (`+nixExpr(files["modules/machines/nixos/tank/disko.nix"])+`).flake.modules.nixos."machines/nixos/tank" { };
  arm = (`+nixExpr(files["modules/machines/nixos/arm/disko.nix"])+`).flake.modules.nixos."machines/nixos/arm" { };
  box = (`+nixExpr(files["modules/machines/nixos/box/disko.nix"])+`).flake.modules.nixos."machines/nixos/box" { };
in {
  armParts = builtins.attrNames arm.disko.devices.disk.main.content.partitions;
  armBoot = arm.boot.loader;
  boxParts = builtins.attrNames box.disko.devices.disk.main.content.partitions;
  boxGrub = box.boot.loader.grub;
  # Only srvos's Hetzner profile turns growPartition on.
  tankGrow = tank.boot ? growPartition;
}`)
	equalJSON(t, "platforms", v, `{
  "armParts": ["ESP", "root"],
  "armBoot": {"systemd-boot": {"enable": true}, "efi": {"canTouchEfiVariables": true}},
  "boxParts": ["ESP", "boot", "root"],
  "boxGrub": {"enable": true, "efiSupport": true, "efiInstallAsRemovable": true},
  "tankGrow": false
}`)
}
