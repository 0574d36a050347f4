# home-manager module of user user-48: identity, shell and git identity.
# Imported by the machines the user is on and by the standalone configurations
# in ../../configurations.nix, together with the user's aggregates.
{
  flake.modules.homeManager."users/user-48" =
    { pkgs, lib, ... }:
    {
      # mkDefault: when home-manager runs inside a NixOS or darwin system it takes
      # these from users.users, which agree.
      home.username = lib.mkDefault "user-48";
      home.homeDirectory = lib.mkDefault (
        if pkgs.stdenv.hostPlatform.isDarwin then "/Users/user-48" else "/home/user-48"
      );
      # The home-manager release whose defaults this configuration was written for;
      # do not change it when upgrading.
      home.stateVersion = "25.05";
      # The user's shell, configured for them; the login shell itself is the system's
      # users.users.<name>.shell (the machines' modules).
      programs.zsh.enable = true;
      # For git once it is enabled (the development aggregate's git.nix enables it).
      programs.git.settings.user = {
        name = "User 48";
        email = "user-48@example.org";
      };
    };
}
