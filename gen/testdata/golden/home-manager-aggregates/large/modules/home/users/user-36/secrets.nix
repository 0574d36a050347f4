# sops-nix secrets of user user-36 for home-manager. They decrypt with the user's
# own age key (~/.config/sops/age/keys.txt), so only the configurations that run
# where that key is import this: the user's Macs and standalone configurations.
{ config, self, ... }:
let
  baseSops = config.flake.modules.homeManager.base-sops;
in
{
  flake.modules.homeManager."users/user-36/secrets" = {
    imports = [ baseSops ];
    # Encrypted with sops (see .sops.yaml); each name below is a key in that file.
    # Edit with (in `nix develop`, which points sops at the age key): sops secrets/home-manager/users/user-36/secrets.yaml
    sops = {
      defaultSopsFile = "${self}/secrets/home-manager/users/user-36/secrets.yaml";
      secrets = {
        github-token = { };
      };
    };
  };
}
