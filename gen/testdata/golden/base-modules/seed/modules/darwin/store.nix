# Weekly (nix-darwin's default: Sundays at 03:15, or at the next wake), profile generations
# older than 30 days (the system's among them) are deleted and the store collected (nix.gc):
# each darwin-rebuild keeps the previous system as a rollback. An hour later, identical files
# in the store become hard links to one copy (nix.optimise). During builds, clan's own
# defaults (min-free, max-free in nix.conf) collect garbage when the disk runs low. All of it
# only where nix-darwin manages Nix (nix.enable; Determinate Nix turns it off and collects
# with its own settings).
# Part of flake.modules.darwin.base (every file defining it is merged).
{
  flake.modules.darwin.base =
    { config, lib, ... }:
    {
      nix.gc.automatic = lib.mkDefault config.nix.enable;
      nix.gc.options = lib.mkDefault "--delete-older-than 30d";
      nix.optimise.automatic = lib.mkDefault config.nix.enable;
    };
}
