# Machine blackphos (darwin, aarch64-darwin).
# shared MacBook
{ config, inputs, ... }:
let
  # The flake-parts config, captured before the machine module's own `config` shadows it.
  flake = config.flake;
  classModules = config.flake.modules.darwin;
  hm = config.flake.modules.homeManager;
in
{
  flake.modules.darwin."machines/darwin/blackphos" =
    { ... }:
    {
      imports = [
        classModules.base
        classModules."users/crs58"
        classModules."users/raquel"
        inputs.home-manager.darwinModules.home-manager
      ];
      networking.hostName = "blackphos";
      nixpkgs.hostPlatform = "aarch64-darwin";
      # All five overlay layers, composed in modules/nixpkgs/compose.nix.
      nixpkgs.overlays = [ inputs.self.overlays.default ];
      system.stateVersion = 6;
      # The user nix-darwin applies per-user settings (homebrew, defaults) to.
      system.primaryUser = "crs58";
      # Integrated home-manager: `clan machines update blackphos` also switches the users' homes.
      home-manager = {
        useGlobalPkgs = true;
        useUserPackages = true;
        # Existing dotfiles are renamed, not a reason to fail activation.
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
            hm.base-sops
          ];
          raquel.imports = [
            hm."users/raquel"
            hm.core
            hm.shell
            hm.base-sops
          ];
        };
      };
    };
}
