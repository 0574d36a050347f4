# home-manager module of user user-00: identity, shell and git identity.
# Imported by the machines the user is on and by the standalone configurations
# in ../../configurations.nix, together with the user's aggregates.
{
  flake.modules.homeManager."users/user-00" =
    { pkgs, lib, ... }:
    {
      # mkDefault: when home-manager runs inside a NixOS or darwin system it takes
      # these from users.users, which agree.
      home.username = lib.mkDefault "user-00";
      home.homeDirectory = lib.mkDefault (
        if pkgs.stdenv.hostPlatform.isDarwin then "/Users/user-00" else "/home/user-00"
      );
      # The home-manager release whose defaults this configuration was written for;
      # do not change it when upgrading.
      home.stateVersion = "25.05";
      # The user's shell, configured for them; the login shell itself is the system's
      # users.users.<name>.shell (the machines' modules).
      programs.zsh.enable = true;
      programs.git.settings.user = {
        name = "User 0";
        email = "user-00@example.org";
      };
    };
}
