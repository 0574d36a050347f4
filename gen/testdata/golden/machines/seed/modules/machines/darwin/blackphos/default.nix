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
      # The fleet's overlay layers, composed in modules/nixpkgs/compose.nix.
      nixpkgs.overlays = [ inputs.self.overlays.default ];
      system.stateVersion = 6;
      # No targetHost in fleet.json: a bare `clan machines update` leaves this Mac out;
      # switch it on the Mac, from a checkout: sudo darwin-rebuild switch --flake .#<machine>.
      clan.core.deployment.requireExplicitUpdate = true;
      # The user nix-darwin applies per-user settings (homebrew, defaults) to.
      system.primaryUser = "crs58";
      # The accounts nix-darwin creates (uid, home, shell) and then keeps the shell and name of:
      # users with a uid, never the primary user (nix-darwin modules/users: not the admin user).
      users.knownUsers = [ "raquel" ];
      # This Mac decrypts its clan vars with its own SSH host key (the hostKey in
      # fleet.json, converted in sops/machines/<machine>/key.json): no key to upload.
      sops.age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];
      # Integrated home-manager: `sudo darwin-rebuild switch --flake .#blackphos` also switches the users' homes.
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
            hm."users/crs58/secrets"
          ];
          raquel.imports = [
            hm."users/raquel"
            hm.core
            hm.shell
            hm."users/raquel/secrets"
          ];
        };
      };
    };
}
