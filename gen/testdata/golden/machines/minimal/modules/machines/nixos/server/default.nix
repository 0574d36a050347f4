# Machine server (nixos, x86_64-linux).
# Hardware: the install (README) writes and commits machines/server/facter.json, which clan reads.
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
      # No targetHost in fleet.json: a bare `clan machines update` leaves this machine out;
      # update it by name with --target-host root@<address>. Without it, clan tries the
      # clan networks the machine is in, if any (zerotier, where this workstation has joined),
      # then root@<machine>.<domain>, which resolves only where your DNS or /etc/hosts has it.
      clan.core.deployment.requireExplicitUpdate = true;
    };
}
