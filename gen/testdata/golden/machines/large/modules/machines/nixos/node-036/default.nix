# Machine node-036 (nixos, aarch64-linux).
# Hardware: the install (README) writes and commits machines/node-036/facter.json, which clan reads.
{ config, inputs, ... }:
let
  # The flake-parts config, captured before the machine module's own `config` shadows it.
  flake = config.flake;
  classModules = config.flake.modules.nixos;
  hm = config.flake.modules.homeManager;
in
{
  flake.modules.nixos."machines/nixos/node-036" =
    { ... }:
    {
      imports = [
        classModules.base
        classModules."users/user-36"
        inputs.disko.nixosModules.disko
        inputs.home-manager.nixosModules.home-manager
      ];
      networking.hostName = "node-036";
      nixpkgs.hostPlatform = "aarch64-linux";
      # The fleet's overlay layers, composed in modules/nixpkgs/compose.nix.
      nixpkgs.overlays = [ inputs.self.overlays.default ];
      system.stateVersion = "26.05";
      # No targetHost in fleet.json: a bare `clan machines update` leaves this machine out;
      # update it by name with --target-host root@<address>. Without it, clan tries the
      # clan networks the machine is in, if any (zerotier, where this workstation has joined),
      # then root@<machine>.<domain>, which resolves only where your DNS or /etc/hosts has it.
      clan.core.deployment.requireExplicitUpdate = true;
      # Integrated home-manager: `clan machines update node-036` also switches the users' homes.
      home-manager = {
        useGlobalPkgs = true;
        useUserPackages = true;
        # Existing dotfiles are renamed (<file>.before-home-manager) instead of failing the
        # activation; a backup that exists already still stops it.
        backupFileExtension = "before-home-manager";
        extraSpecialArgs.flake = flake // {
          inherit inputs;
        };
        users = {
          user-36.imports = [
            hm."users/user-36"
            hm.core
            hm.shell
          ];
        };
      };
    };
}
