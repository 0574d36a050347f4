package gen

// Tests of the clan pattern (emit_clan.go): inventory, machines, meta, core
// and service instances.

import (
	"testing"
)

func TestWireClanInventory(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	v := evalNix(t, `let
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
	equalJSON(t, "clan", v, `{
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
	s := parseSpec(t, []byte(`{"version":1,"name":"t","machines":[{"name":"a","class":"nixos","tags":["all","nixos","web","darwin"]}]}`))
	files := runEmitters(t, s, wiringEmitters)
	v := evalNix(t, nixExpr(files["modules/clan/inventory/machines.nix"])+`.clan.inventory.machines.a.tags`)
	equalJSON(t, "tags", v, `["web"]`)
}
