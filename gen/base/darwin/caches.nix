# Binary caches in addition to cache.nixos.org.
# Part of flake.modules.darwin.base (every file defining it is merged).
{
  flake.modules.darwin.base =
    { ... }:
    {
      nix.settings.extra-substituters = [ "https://nix-community.cachix.org" ];
      nix.settings.extra-trusted-public-keys = [
        "nix-community.cachix.org-1:mB9FSh9qf2dCimDSUo8Zy7bkq5CX+/rkCWyvRCYg3Fs="
      ];
    };
}
