package gen

// Tests of the base-modules pattern (emit_base.go): the auto-merged base
// modules of NixOS and darwin machines.

import (
	"sort"
	"strings"
	"testing"
)

func TestWireBase(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	for _, class := range []string{string(classNixOS), string(classDarwin)} {
		dir := map[string]string{string(classNixOS): "modules/system/", string(classDarwin): "modules/darwin/"}[class]
		var parts []string
		for _, p := range paths(files, "") {
			rest := strings.TrimPrefix(p, dir)
			if rest != p && !strings.Contains(rest, "/") {
				parts = append(parts, "("+nixExpr(files[p])+`.flake.modules.`+class+`.base args)`)
			}
		}
		if len(parts) < 3 {
			t.Fatalf("%s: only %d base files", class, len(parts))
		}
		// The parts merge as deferred modules; no two files set the same leaf,
		// so the merge can never conflict. lib.mkDefault is nixpkgs lib's
		// (lib/modules.nix: mkOverride 1000), a leaf here.
		v := evalNix(t, `let
  args = { lib.mkDefault = content: { _type = "override"; priority = 1000; inherit content; }; config.nix.enable = true; };
  parts = [ `+strings.Join(parts, " ")+` ];
  leaves = prefix: v: if builtins.isAttrs v && !(v ? _type)
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
			string(classNixOS):  {".nix.settings.experimental-features", ".nix.settings.trusted-users", ".security.sudo.wheelNeedsPassword", ".boot.initrd.systemd.enable", ".boot.loader.grub.configurationLimit", ".nix.gc.automatic", ".nix.optimise.automatic", ".services.openssh.settings.PermitRootLogin", ".services.openssh.authorizedKeysInHomedir", ".users.users.root.openssh.authorizedKeys.keys"},
			string(classDarwin): {".nix.settings.experimental-features", ".nix.settings.trusted-users", ".nix.gc.automatic", ".nix.gc.options", ".nix.optimise.automatic", ".programs.zsh.enable"},
		}[class]
		for _, w := range want {
			if !seen[w] {
				t.Errorf("%s base lacks %s (has %v)", class, w, leaves)
			}
		}
	}
	v := evalNix(t, `(`+nixExpr(files["modules/system/ssh.nix"])+`.flake.modules.nixos.base { }).users.users.root.openssh.authorizedKeys.keys`)
	equalJSON(t, "root keys", v, `[
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
]`)
	// Only the declared keys open an account (sshd.nix reads
	// ~/.ssh/authorized_keys unless authorizedKeysInHomedir is false).
	v = evalNix(t, `(`+nixExpr(files["modules/system/ssh.nix"])+`.flake.modules.nixos.base { }).services.openssh.authorizedKeysInHomedir`)
	equalJSON(t, "authorizedKeysInHomedir", v, `false`)
	v = evalNix(t, `(`+nixExpr(files["modules/darwin/nix-settings.nix"])+`.flake.modules.darwin.base { }).nix.settings.trusted-users`)
	equalJSON(t, "darwin trusted-users", v, `["root", "@admin"]`)
}

// TestBaseFilesFollowConstants: the fixed base files (gen/base/) spell the
// admins group as adminGroup does, and every one is part of its class's
// base module.
func TestBaseFilesFollowConstants(t *testing.T) {
	for _, set := range []struct {
		class class
		files []baseText
	}{{classNixOS, nixosBase}, {classDarwin, darwinBase}} {
		for _, f := range set.files {
			text := string(f.text)
			if !strings.Contains(text, "  flake.modules."+string(set.class)+".base =\n") || !strings.Contains(text, "# Part of flake.modules."+string(set.class)+".base (every file defining it is merged).\n") {
				t.Errorf("%s does not define flake.modules.%s.base as the other base files do:\n%s", f.path, set.class, text)
			}
			if strings.HasSuffix(f.path, "/clan-secrets.nix") && !strings.Contains(text, `clan.core.sops.defaultGroups = [ "`+adminGroup+`" ];`) {
				t.Errorf("%s does not name the group %q:\n%s", f.path, adminGroup, text)
			}
		}
	}
}
