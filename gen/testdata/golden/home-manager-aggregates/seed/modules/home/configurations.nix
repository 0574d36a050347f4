# Standalone home-manager configurations, one per user and system of the machines
# the user is on. Activate with:
#   nix run --inputs-from . home-manager -- switch -b before-home-manager --flake .#<user>@<system>
# They use the same overlay as the machines (flake.overlays.default).
{ config, inputs, ... }:
let
  hm = config.flake.modules.homeManager;
  mkHome =
    system: modules:
    inputs.home-manager.lib.homeManagerConfiguration {
      pkgs = import inputs.nixpkgs {
        inherit system;
        config = { };
        overlays = [ config.flake.overlays.default ];
      };
      extraSpecialArgs.flake = config.flake // {
        inherit inputs;
      };
      inherit modules;
    };
in
{
  flake.homeConfigurations = {
    "crs58@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/crs58"
      hm.core
      hm.shell
      hm.development
      hm.tools
      hm."users/crs58/secrets"
    ];
    "crs58@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/crs58"
      hm.core
      hm.shell
      hm.development
      hm.tools
      hm."users/crs58/secrets"
    ];
    "raquel@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/raquel"
      hm.core
      hm.shell
      hm."users/raquel/secrets"
    ];
  };
}
