# home-manager module of user user-42: identity, shell and git identity.
# Imported by the machines the user is on and by the standalone configurations
# in ../../configurations.nix, together with the user's aggregates.
{
  flake.modules.homeManager."users/user-42" =
    { pkgs, lib, ... }:
    {
      # mkDefault: when home-manager runs inside a NixOS or darwin system it takes
      # these from users.users, which agree.
      home.username = lib.mkDefault "user-42";
      home.homeDirectory = lib.mkDefault (
        if pkgs.stdenv.hostPlatform.isDarwin then "/Users/user-42" else "/home/user-42"
      );
      # The home-manager release whose defaults this configuration was written for;
      # do not change it when upgrading.
      home.stateVersion = "25.05";
      # The user's shell, configured for them; the login shell itself is the system's
      # users.users.<name>.shell (the machines' modules).
      programs.zsh.enable = true;
      # For git once it is enabled (the development aggregate's git.nix enables it).
      programs.git.settings.user = {
        name = "User 42";
        email = "user-42@example.org";
      };
    };
}
