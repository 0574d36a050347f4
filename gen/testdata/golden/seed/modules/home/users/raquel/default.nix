# home-manager module of user raquel: identity, git and secrets.
# Imported by the machines the user is on and by the standalone configurations
# in ../../configurations.nix, together with the user's aggregates.
{ self, ... }:
{
  flake.modules.homeManager."users/raquel" =
    { pkgs, lib, ... }:
    {
      # mkDefault: when home-manager runs inside a NixOS or darwin system it takes
      # these from users.users, which agree.
      home.username = lib.mkDefault "raquel";
      home.homeDirectory = lib.mkDefault (
        if pkgs.stdenv.isDarwin then "/Users/raquel" else "/home/raquel"
      );
      # The home-manager release whose defaults this configuration was written for;
      # do not change it when upgrading.
      home.stateVersion = "25.05";
      # Login shell.
      programs.zsh.enable = true;
      programs.git.settings.user = {
        name = "Raquel";
        email = "raquel@example.org";
      };
      # Encrypted with sops (see .sops.yaml); each name below is a key in that file.
      # Edit with: sops secrets/home-manager/users/raquel/secrets.yaml
      sops = {
        defaultSopsFile = "${self}/secrets/home-manager/users/raquel/secrets.yaml";
        secrets = {
          github-token = { };
        };
      };
    };
}
