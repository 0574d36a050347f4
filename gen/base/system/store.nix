# Weekly, profile generations older than 30 days (the system's among them) are deleted
# and the store collected (nix.gc): each update keeps the previous system as a rollback,
# and without this the store grows until the disk is full.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { lib, ... }:
    {
      nix.gc.automatic = lib.mkDefault true;
      nix.gc.dates = lib.mkDefault "weekly";
      nix.gc.options = lib.mkDefault "--delete-older-than 30d";
    };
}
