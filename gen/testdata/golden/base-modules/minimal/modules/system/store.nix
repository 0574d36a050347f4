# Weekly, profile generations older than 30 days (the system's among them) are deleted
# and the store collected (nix.gc): each update keeps the previous system as a rollback,
# and without this the store grows until the disk is full. Daily, identical files in the
# store become hard links to one copy (nix.optimise). During builds, clan's own defaults
# (min-free, max-free) collect garbage when the disk runs low.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { lib, ... }:
    {
      nix.gc.automatic = lib.mkDefault true;
      nix.gc.dates = lib.mkDefault "weekly";
      nix.gc.options = lib.mkDefault "--delete-older-than 30d";
      nix.optimise.automatic = lib.mkDefault true;
    };
}
