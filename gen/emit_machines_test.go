package gen

import (
	"encoding/json"
	"fmt"
	"sort"
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
	path := "modules/machines/" + m.Class + "/" + m.Name + "/default.nix"
	v := wireEval(t, `let
  outer = `+nixExpr(files[path])+` `+machineStubArgs(s)+`;
  inner = outer.flake.modules.`+m.Class+`."machines/`+m.Class+`/`+m.Name+`" { };
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
	files := runEmitters(t, s, wireEmitters)
	cin := evalMachine(t, s, files, model(s).machine["cinnabar"])
	wireEqual(t, "cinnabar", cin, `{
  "imports": ["nixos:base", "nixos:users/crs58", "DISKO", "SRVOS-X86", "HM-NIXOS"],
  "networking": {"hostName": "cinnabar"},
  "nixpkgs": {"hostPlatform": "x86_64-linux", "overlays": ["OVERLAY"]},
  "system": {"stateVersion": "25.05"},
  "home-manager": {
    "useGlobalPkgs": true, "useUserPackages": true, "backupFileExtension": "before-home-manager",
    "extraSpecialArgs": {"flake": {"marker": "FLAKE", "hasInputs": true}},
    "users": {"crs58": {"imports": ["hm:users/crs58", "hm:core", "hm:shell", "hm:development", "hm:tools"]}}
  }
}`)
	bp := evalMachine(t, s, files, model(s).machine["blackphos"])
	wireEqual(t, "blackphos", bp, `{
  "imports": ["darwin:base", "darwin:users/crs58", "darwin:users/raquel", "HM-DARWIN"],
  "networking": {"hostName": "blackphos"},
  "nixpkgs": {"hostPlatform": "aarch64-darwin", "overlays": ["OVERLAY"]},
  "system": {"stateVersion": 6, "primaryUser": "crs58"},
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

// A machine without users gets neither home-manager nor user imports.
func TestWireMachineWithoutUsers(t *testing.T) {
	s := exampleSpec(t, "minimal")
	files := runEmitters(t, s, wireEmitters)
	got := evalMachine(t, s, files, model(s).Machines[0])
	wireEqual(t, "server", got, `{
  "imports": ["nixos:base", "DISKO"],
  "networking": {"hostName": "server"},
  "nixpkgs": {"hostPlatform": "x86_64-linux", "overlays": ["OVERLAY"]},
  "system": {"stateVersion": "25.05"},
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

func TestWireDisko(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wireEmitters)
	v := wireEval(t, `let
  mod = f: m: (f.flake.modules.nixos."machines/nixos/${m}" { config.networking.hostName = m; lib.mkForce = x: { forced = x; }; });
  zfs = mod `+nixExpr(files["modules/machines/nixos/cinnabar/disko.nix"])+` "cinnabar";
  ext4 = mod `+nixExpr(files["modules/machines/nixos/electrum/disko.nix"])+` "electrum";
  root = d: d.disko.devices.disk.main.content.partitions.root.content;
in {
  zfsRoot = root zfs;
  zfsMounts = builtins.mapAttrs (_: d: d.mountpoint) zfs.disko.devices.zpool.zroot.datasets;
  hostId = builtins.stringLength zfs.networking.hostId;
  ext4Root = root ext4;
  ext4HasHostId = ext4 ? networking;
  device = ext4.disko.devices.disk.main.device;
  parts = builtins.attrNames ext4.disko.devices.disk.main.content.partitions;
  grub = ext4.boot.loader.grub;
}`)
	wireEqual(t, "disko", v, `{
  "zfsRoot": {"type": "zfs", "pool": "zroot"},
  "zfsMounts": {"root": "/", "nix": "/nix", "home": "/home"},
  "hostId": 8,
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
	s := wireParse(t, []byte(`{"version":1,"name":"t","machines":[
  {"name":"arm","class":"nixos","system":"aarch64-linux","hetzner":{"enabled":true}},
  {"name":"box","class":"nixos"}]}`))
	files := runEmitters(t, s, wireEmitters)
	v := wireEval(t, `let
  arm = (`+nixExpr(files["modules/machines/nixos/arm/disko.nix"])+`).flake.modules.nixos."machines/nixos/arm" { };
  box = (`+nixExpr(files["modules/machines/nixos/box/disko.nix"])+`).flake.modules.nixos."machines/nixos/box" { };
in {
  armParts = builtins.attrNames arm.disko.devices.disk.main.content.partitions;
  armBoot = arm.boot.loader;
  boxParts = builtins.attrNames box.disko.devices.disk.main.content.partitions;
  boxGrub = box.boot.loader.grub;
}`)
	wireEqual(t, "platforms", v, `{
  "armParts": ["ESP", "root"],
  "armBoot": {"systemd-boot": {"enable": true}, "efi": {"canTouchEfiVariables": true}},
  "boxParts": ["ESP", "boot", "root"],
  "boxGrub": {"enable": true, "efiSupport": true, "efiInstallAsRemovable": true}
}`)
}

func TestWireClanInventory(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wireEmitters)
	v := wireEval(t, `let
  inv = `+nixExpr(files["modules/clan/inventory/machines.nix"])+`;
  machines = (`+nixExpr(files["modules/clan/machines.nix"])+` { config.flake.modules = {
    nixos = { "machines/nixos/cinnabar" = "C"; "machines/nixos/electrum" = "E"; };
    darwin = { "machines/darwin/blackphos" = "B"; };
  }; }).clan.machines;
  meta = (`+nixExpr(files["modules/clan/meta.nix"])+` { inputs = "INPUTS"; }).clan;
  core = (`+nixExpr(files["modules/clan/core.nix"])+` { inputs = {
    clan-core.flakeModules.default = "CLAN"; terranix.flakeModule = "TERRANIX"; }; }).imports;
  users = (`+nixExpr(files["modules/clan/inventory/services/users/crs58.nix"])+`).clan.inventory.instances;
  sshd = (`+nixExpr(files["modules/clan/inventory/services/sshd.nix"])+`).clan.inventory.instances;
in { inv = inv.clan.inventory.machines; inherit machines meta core users sshd; }`)
	wireEqual(t, "clan", v, `{
  "inv": {
    "cinnabar": {"tags": ["cloud", "controller"], "machineClass": "nixos", "description": "zerotier controller on Hetzner", "deploy": {"targetHost": "root@cinnabar.zt"}},
    "electrum": {"tags": ["cloud"], "machineClass": "nixos", "description": "spare server, switched off until needed"},
    "blackphos": {"tags": ["workstation"], "machineClass": "darwin", "description": "shared MacBook"}
  },
  "machines": {"cinnabar": {"imports": ["C"]}, "electrum": {"imports": ["E"]}, "blackphos": {"imports": ["B"]}},
  "meta": {"meta": {"name": "test-clan", "domain": "zt"}, "specialArgs": {"inputs": "INPUTS"}},
  "core": ["CLAN", "TERRANIX"],
  "users": {"user-crs58": {
    "module": {"name": "users", "input": "clan-core"},
    "roles": {"default": {"machines": {"cinnabar": {}, "electrum": {}},
      "settings": {"user": "crs58", "groups": ["wheel"], "share": true, "prompt": false}}}
  }},
  "sshd": {"sshd": {"module": {"name": "sshd", "input": "clan-core"}, "roles": {"server": {"tags": {"nixos": {}}}}}}
}`)
	// raquel is only on a Mac: the NixOS-only users service has no instance for her.
	if _, ok := files["modules/clan/inventory/services/users/raquel.nix"]; ok {
		t.Error("raquel has a users service instance but no NixOS machine")
	}
}

// Reserved tags are dropped from the inventory (clan adds them itself).
func TestWireReservedTags(t *testing.T) {
	s := wireParse(t, []byte(`{"version":1,"name":"t","machines":[{"name":"a","class":"nixos","tags":["all","nixos","web","darwin"]}]}`))
	files := runEmitters(t, s, wireEmitters)
	v := wireEval(t, nixExpr(files["modules/clan/inventory/machines.nix"])+`.clan.inventory.machines.a.tags`)
	wireEqual(t, "tags", v, `["web"]`)
}

// evalUserModules evaluates every darwin or NixOS account module of the
// spec and returns user -> module value.
func evalUserModules(t *testing.T, files map[string]string, class string) map[string]any {
	t.Helper()
	dir := map[string]string{classDarwin: "modules/darwin/users/", classNixOS: "modules/system/users/"}[class]
	var b strings.Builder
	b.WriteString("{\n")
	for _, p := range wirePaths(files) {
		if !strings.HasPrefix(p, dir) {
			continue
		}
		u := strings.TrimSuffix(strings.TrimPrefix(p, dir), ".nix")
		fmt.Fprintf(&b, "%q = %s.flake.modules.%s.%q { inherit pkgs lib; config = keyConfig %q; };\n", u, nixExpr(files[p]), class, "users/"+u, u)
	}
	b.WriteString("}")
	v := wireEval(t, `let
  pkgs = { zsh = "ZSH"; fish = "FISH"; bashInteractive = "BASH"; openssh = "OPENSSH"; };
  lib.mkAfter = x: { after = x; };
  keyConfig = u: { clan.core.vars.generators."ssh-key-${u}".files.id_ed25519.path = "/run/secrets/KEY-${u}"; };
in `+b.String())
	return v.(map[string]any)
}

func TestWireDarwinUsers(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wireEmitters)
	got := evalUserModules(t, files, classDarwin)
	script := "ssh-keygen -t ed25519 -N \"\" -C \"\" -f \"$out\"/id_ed25519\n"
	// The key is a service-phase secret owned by the user (no neededFor:
	// sops-nix's darwin users phase installs root:root), linked into the
	// user's ~/.ssh under the clan's name.
	gen := func(u string) string {
		sc, _ := json.Marshal(script)
		link, _ := json.Marshal("install -d -m 700 -o " + u + " -g staff /Users/" + u + "/.ssh\nln -sfn /run/secrets/KEY-" + u + " /Users/" + u + "/.ssh/id_ed25519_test-clan\n")
		return `"clan": {"core": {"vars": {"generators": {"ssh-key-` + u + `": {"files": {"id_ed25519": {"owner": "` + u + `"},
		  "id_ed25519.pub": {"secret": false}}, "runtimeInputs": ["OPENSSH"], "script": ` + string(sc) + `}}}}},
		  "system": {"activationScripts": {"postActivation": {"text": {"after": ` + string(link) + `}}}}`
	}
	// users.knownUsers is per machine (TestWireMachineModules): never the
	// primary user.
	wireEqual(t, "darwin users", got, `{
  "crs58": {
    "users": {"users": {"crs58": {"uid": 502, "home": "/Users/crs58", "description": "Cameron Smith", "shell": "ZSH",
      "openssh": {"authorizedKeys": {"keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"]}}}}},
    "programs": {"zsh": {"enable": true}},
    "security": {"sudo": {"extraConfig": "crs58 ALL=(ALL) NOPASSWD: ALL\n"}},
    "nix": {"settings": {"trusted-users": ["crs58"]}},
    `+gen("crs58")+`
  },
  "raquel": {
    "users": {"users": {"raquel": {"uid": 506, "home": "/Users/raquel", "description": "Raquel", "shell": "ZSH",
      "openssh": {"authorizedKeys": {"keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"]}}}}},
    "programs": {"zsh": {"enable": true}},
    `+gen("raquel")+`
  }
}`)
}

// Across the large fleet: exactly the admins get NOPASSWD sudo and
// trusted-users, every darwin user has their uid, every Mac's primary user
// is an admin on it, and shells map to the right packages on both classes.
func TestWireLargeUsers(t *testing.T) {
	s := exampleSpec(t, "large")
	files := runEmitters(t, s, wireEmitters)
	shellPkg := map[string]string{"zsh": "ZSH", "fish": "FISH", "bash": "BASH"}
	ms := model(s)
	for _, class := range []string{classDarwin, classNixOS} {
		got := evalUserModules(t, files, class)
		var want []string
		for _, u := range ms.Users {
			if userOnClass(ms, u, class) {
				want = append(want, u.Name)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d user modules, want %d", class, len(got), len(want))
		}
		for _, name := range want {
			u := ms.user[name]
			mod := got[name].(map[string]any)
			acct := mod["users"].(map[string]any)["users"].(map[string]any)[name].(map[string]any)
			if acct["shell"] != shellPkg[u.Shell] {
				t.Errorf("%s %s: shell %v, want %s", class, name, acct["shell"], shellPkg[u.Shell])
			}
			// A uid below 1000 (a Mac's 5xx/6xx) is a system account on NixOS
			// (nixos users-groups.nix: normal users start at 1000): there it is
			// left to NixOS.
			wantUID := any(float64(u.UID))
			if u.UID == 0 || class == classNixOS && u.UID < 1000 {
				wantUID = nil
			}
			if acct["uid"] != wantUID {
				t.Errorf("%s %s: uid %v, want %v", class, name, acct["uid"], wantUID)
			}
			if class != classDarwin {
				continue
			}
			_, sudo := mod["security"]
			_, nixTrusted := mod["nix"]
			if sudo != u.Admin || nixTrusted != u.Admin {
				t.Errorf("darwin %s: admin=%v but sudo=%v trusted=%v", name, u.Admin, sudo, nixTrusted)
			}
		}
	}
	for _, m := range machinesOf(ms, classDarwin) {
		p := m.Darwin.PrimaryUser
		found := false
		for _, a := range m.admins() {
			found = found || a.Name == p
		}
		if !found {
			t.Errorf("%s: primary user %q is not an admin on it", m.Name, p)
		}
	}
}

func TestWireBase(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wireEmitters)
	for _, class := range []string{classNixOS, classDarwin} {
		dir := map[string]string{classNixOS: "modules/system/", classDarwin: "modules/darwin/"}[class]
		var parts []string
		for _, p := range wirePaths(files) {
			rest := strings.TrimPrefix(p, dir)
			if rest != p && !strings.Contains(rest, "/") {
				parts = append(parts, "("+nixExpr(files[p])+`.flake.modules.`+class+`.base { })`)
			}
		}
		if len(parts) < 3 {
			t.Fatalf("%s: only %d base files", class, len(parts))
		}
		// The parts merge as deferred modules; no two files set the same leaf,
		// so the merge can never conflict.
		v := wireEval(t, `let parts = [ `+strings.Join(parts, " ")+` ];
  leaves = prefix: v: if builtins.isAttrs v
    then builtins.concatLists (builtins.attrValues (builtins.mapAttrs (n: x: leaves (prefix + "." + n) x) v))
    else [ prefix ];
  all = builtins.concatMap (leaves "") parts;
in all`)
		all := v.([]any)
		seen := map[string]bool{}
		var leaves []string
		for _, l := range all {
			if seen[l.(string)] {
				t.Errorf("%s base: %s set by two files", class, l)
			}
			seen[l.(string)] = true
			leaves = append(leaves, l.(string))
		}
		sort.Strings(leaves)
		want := map[string][]string{
			classNixOS:  {".nix.settings.experimental-features", ".nix.settings.trusted-users", ".security.sudo.wheelNeedsPassword", ".services.openssh.settings.PermitRootLogin", ".users.users.root.openssh.authorizedKeys.keys"},
			classDarwin: {".nix.settings.experimental-features", ".nix.settings.trusted-users", ".programs.zsh.enable"},
		}[class]
		for _, w := range want {
			if !seen[w] {
				t.Errorf("%s base lacks %s (has %v)", class, w, leaves)
			}
		}
	}
	v := wireEval(t, `(`+nixExpr(files["modules/system/ssh.nix"])+`.flake.modules.nixos.base { }).users.users.root.openssh.authorizedKeys.keys`)
	wireEqual(t, "root keys", v, `[
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
]`)
	v = wireEval(t, `(`+nixExpr(files["modules/darwin/nix-settings.nix"])+`.flake.modules.darwin.base { }).nix.settings.trusted-users`)
	wireEqual(t, "darwin trusted-users", v, `["root", "@admin"]`)
}
