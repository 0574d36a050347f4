# Binary caches in addition to cache.nixos.org: none by default. A key listed here may
# sign any store path these machines accept, and a public cache rarely has what they
# build: every flake input follows this flake's nixpkgs, so their packages differ from
# the ones upstream caches hold. Add a cache you run (a CI's, say) with its key.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { ... }:
    {
      nix.settings.extra-substituters = [ ];
      nix.settings.extra-trusted-public-keys = [ ];
    };
}
