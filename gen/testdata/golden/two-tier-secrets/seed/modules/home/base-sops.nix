# sops-nix for home-manager; each modules/home/users/<user>/secrets.nix imports it and
# sets sops.defaultSopsFile and sops.secrets.
{ inputs, ... }:
{
  flake.modules.homeManager.base-sops =
    { config, ... }:
    {
      imports = [ inputs.sops-nix.homeManagerModules.sops ];
      # The user's age key (ssh-to-age of their SSH key, or age-keygen).
      sops.age.keyFile = "${config.xdg.configHome}/sops/age/keys.txt";
    };
}
