# Evaluation tests (nix-unit). They run inside the checks.<system>.nix-unit build:
# `nix flake check`, or alone with `nix build .#checks.<system>.nix-unit`
# (`nix flake check --no-build` only evaluates that derivation, it runs no test).
# They check the shape of the flake, not the machines' full configurations.
{
  config,
  inputs,
  self,
  ...
}:
{
  imports = [ inputs.nix-unit.modules.flake.default ];
  perSystem =
    { pkgs, ... }:
    {
      # nixpkgs' nix-unit, from the binary cache: the module's default is the nix-unit
      # flake's own package, which the first check would compile.
      nix-unit.package = pkgs.nix-unit;
      # The test derivation evaluates the flake in the build sandbox. The flake's inputs
      # are passed in as store paths; their own inputs (clan-core's systems, nix-select,
      # data-mesher, …) are only in flake.lock, so the check may fetch them.
      nix-unit.inputs = builtins.removeAttrs inputs [ "self" ];
      nix-unit.allowNetwork = true;
      nix-unit.tests = {
        # The clan inventory has exactly the machines of fleet.json.
        testInventoryMachines = {
          expr = builtins.attrNames self.clan.inventory.machines;
          expected = [
            "blackphos"
            "cinnabar"
            "electrum"
          ];
        };
        # Machine modules can use inputs (clan.specialArgs).
        testSpecialArgsCarryInputs = {
          expr = builtins.hasAttr "inputs" self.clan.specialArgs;
          expected = true;
        };
        # flake.modules.nixos has the merged base module and one module per machine (lists what is missing).
        testNixosModulesExist = {
          expr = builtins.filter (n: !builtins.hasAttr n self.modules.nixos) [
            "base"
            "machines/nixos/cinnabar"
            "machines/nixos/electrum"
          ];
          expected = [ ];
        };
        # One nixosConfiguration per nixos machine.
        testNixosConfigurationsExist = {
          expr = builtins.attrNames self.nixosConfigurations;
          expected = [
            "cinnabar"
            "electrum"
          ];
        };
        # flake.modules.darwin has the merged base module and one module per machine (lists what is missing).
        testDarwinModulesExist = {
          expr = builtins.filter (n: !builtins.hasAttr n self.modules.darwin) [
            "base"
            "machines/darwin/blackphos"
          ];
          expected = [ ];
        };
        # One darwinConfiguration per darwin machine.
        testDarwinConfigurationsExist = {
          expr = builtins.attrNames self.darwinConfigurations;
          expected = [ "blackphos" ];
        };
        # Every home-manager module a user imports is defined (lists what is missing).
        testHomeModulesExist = {
          expr = builtins.filter (n: !builtins.hasAttr n self.modules.homeManager) [
            "core"
            "development"
            "shell"
            "tools"
            "users/crs58"
            "users/crs58/secrets"
            "users/raquel"
            "users/raquel/secrets"
          ];
          expected = [ ];
        };
        # Standalone home configurations are named <user>@<system>.
        testHomeConfigurations = {
          expr = builtins.attrNames self.homeConfigurations;
          expected = [
            "crs58@aarch64-darwin"
            "crs58@x86_64-linux"
            "raquel@aarch64-darwin"
          ];
        };
        # The terranix modules behind nix run .#terraform exist (lists what is missing).
        testTerranixModulesExist = {
          expr = builtins.filter (n: !builtins.hasAttr n self.modules.terranix) [
            "base"
            "hetzner"
          ];
          expected = [ ];
        };
        # The overlay layers present; nixpkgsOverlays concatenates them in this (sorted) order.
        testOverlayLayersInOrder = {
          expr = builtins.attrNames config.nixpkgsOverlayLayers;
          expected = [
            "1-channels"
            "2-hotfixes"
            "4-overrides"
            "5-flake-inputs"
          ];
        };
      };
    };
}
