# Machine server (nixos, x86_64-linux).
# Hardware: run `clan machines init-hardware-config server` once; clan picks up machines/server/facter.json.
{ config, inputs, ... }:
let
  # The flake-parts config, captured before the machine module's own `config` shadows it.
  flake = config.flake;
  classModules = config.flake.modules.nixos;
in
{
  flake.modules.nixos."machines/nixos/server" =
    { ... }:
    {
      imports = [
        classModules.base
        inputs.disko.nixosModules.disko
      ];
      networking.hostName = "server";
      nixpkgs.hostPlatform = "x86_64-linux";
      # The fleet's overlay layers, composed in modules/nixpkgs/compose.nix.
      nixpkgs.overlays = [ inputs.self.overlays.default ];
      system.stateVersion = "26.05";
    };
}
