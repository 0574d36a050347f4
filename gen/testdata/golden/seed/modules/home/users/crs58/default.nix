# home-manager module of user crs58: identity, git and secrets.
# Imported by the machines the user is on and by the standalone configurations
# in ../../configurations.nix, together with the user's aggregates.
{ self, ... }:
{
  flake.modules.homeManager."users/crs58" =
    { pkgs, lib, ... }:
    {
      # mkDefault: when home-manager runs inside a NixOS or darwin system it takes
      # these from users.users, which agree.
      home.username = lib.mkDefault "crs58";
      home.homeDirectory = lib.mkDefault (if pkgs.stdenv.isDarwin then "/Users/crs58" else "/home/crs58");
      # The home-manager release whose defaults this configuration was written for;
      # do not change it when upgrading.
      home.stateVersion = "25.05";
      # Login shell.
      programs.zsh.enable = true;
      programs.git.settings.user = {
        name = "Cameron Smith";
        email = "crs58@example.org";
      };
      # Encrypted with sops (see .sops.yaml); each name below is a key in that file.
      # Edit with: sops secrets/home-manager/users/crs58/secrets.yaml
      sops = {
        defaultSopsFile = "${self}/secrets/home-manager/users/crs58/secrets.yaml";
        secrets = {
          github-token = { };
          ssh-signing-key = { };
        };
      };
    };
}
