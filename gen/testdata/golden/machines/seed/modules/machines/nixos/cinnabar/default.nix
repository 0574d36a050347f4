# Machine cinnabar (nixos, x86_64-linux).
# zerotier controller on Hetzner
{ config, inputs, ... }:
let
  # The flake-parts config, captured before the machine module's own `config` shadows it.
  flake = config.flake;
  classModules = config.flake.modules.nixos;
  hm = config.flake.modules.homeManager;
in
{
  flake.modules.nixos."machines/nixos/cinnabar" =
    { ... }:
    {
      imports = [
        classModules.base
        classModules."users/crs58"
        inputs.disko.nixosModules.disko
        # Hetzner Cloud virtual hardware (srvos).
        inputs.srvos.nixosModules.hardware-hetzner-cloud
        inputs.home-manager.nixosModules.home-manager
      ];
      networking.hostName = "cinnabar";
      nixpkgs.hostPlatform = "x86_64-linux";
      # The fleet's overlay layers, composed in modules/nixpkgs/compose.nix.
      nixpkgs.overlays = [ inputs.self.overlays.default ];
      system.stateVersion = "25.05";
      # cloud-init (on with srvos's Hetzner module) would give root the Terraform deploy key
      # from the server's metadata at first boot; root keeps only the keys NixOS sets.
      services.cloud-init.settings.allow_public_ssh_keys = false;
      # Integrated home-manager: `clan machines update cinnabar` also switches the users' homes.
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
          crs58.imports = [
            hm."users/crs58"
            hm.core
            hm.shell
            hm.development
            hm.tools
          ];
        };
      };
    };
}
