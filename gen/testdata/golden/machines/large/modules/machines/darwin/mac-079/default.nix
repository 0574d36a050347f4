# Machine mac-079 (darwin, aarch64-darwin).
{ config, inputs, ... }:
let
  # The flake-parts config, captured before the machine module's own `config` shadows it.
  flake = config.flake;
  classModules = config.flake.modules.darwin;
  hm = config.flake.modules.homeManager;
in
{
  flake.modules.darwin."machines/darwin/mac-079" =
    { ... }:
    {
      imports = [
        classModules.base
        classModules."users/user-09"
        classModules."users/user-29"
        inputs.home-manager.darwinModules.home-manager
      ];
      networking.hostName = "mac-079";
      nixpkgs.hostPlatform = "aarch64-darwin";
      # The fleet's overlay layers, composed in modules/nixpkgs/compose.nix.
      nixpkgs.overlays = [ inputs.self.overlays.default ];
      system.stateVersion = 6;
      # The user nix-darwin applies per-user settings (homebrew, defaults) to.
      system.primaryUser = "user-09";
      # The accounts nix-darwin creates (uid, home, shell) and then keeps the shell and name of:
      # users with a uid, never the primary user (nix-darwin modules/users: not the admin user).
      users.knownUsers = [ "user-29" ];
      # Integrated home-manager: `clan machines update mac-079` also switches the users' homes.
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
          user-09.imports = [
            hm."users/user-09"
            hm.core
            hm.shell
            hm.development
          ];
          user-29.imports = [
            hm."users/user-29"
            hm.core
            hm.shell
          ];
        };
      };
    };
}
