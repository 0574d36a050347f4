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
          expected = [ "server" ];
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
            "machines/nixos/server"
          ];
          expected = [ ];
        };
        # One nixosConfiguration per nixos machine.
        testNixosConfigurationsExist = {
          expr = builtins.attrNames self.nixosConfigurations;
          expected = [ "server" ];
        };
        # The overlay layers present; nixpkgsOverlays concatenates them in this (sorted) order.
        testOverlayLayersInOrder = {
          expr = builtins.attrNames config.nixpkgsOverlayLayers;
          expected = [
            "1-channels"
            "2-hotfixes"
            "4-overrides"
          ];
        };
      };
    };
}
