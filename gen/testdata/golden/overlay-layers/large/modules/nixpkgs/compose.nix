# The overlay machines and home configurations use: nixpkgs.overlays = [ inputs.self.overlays.default ];
# Composition order (layers this fleet does not use are left out):
#   1 channels       overlays/channels.nix      pkgs.stable, pkgs.unstable
#   2 hotfixes       overlays/hotfixes.nix      broken packages from stable
#   3 pkgs/by-name   ../../pkgs/by-name         the fleet's own packages
#   4 overrides      overlays/overrides.nix     overrideAttrs tweaks
# Layers 1, 2 and 4 are composed in that order (see overlays-option.nix).
# Layer 3 packages are standalone derivations built by pkgs-by-name-for-flake-parts;
# they are added on top, so a package of your own wins over a same-named attribute,
# and layers 4 and 5 do not modify it (edit its package.nix instead). They are built
# once per system from the perSystem nixpkgs (per-system.nix), so a machine's own
# nixpkgs.config (allowUnfree, say) and the overlays it adds do not reach them.
{
  config,
  lib,
  withSystem,
  ...
}:
{
  flake.overlays.default =
    final: prev:
    let
      system = prev.stdenv.hostPlatform.system;
      # Every pkgs/by-name package (pkgs-by-name-for-flake-parts's legacyPackages,
      # not every perSystem package), and only for the flake's systems: nixpkgs
      # re-applies overlays to nested package sets such as pkgsi686Linux, whose
      # system has no perSystem.
      byName = lib.optionalAttrs (lib.elem system config.systems) (
        withSystem system (perSystem: perSystem.config.legacyPackages)
      );
    in
    lib.composeManyExtensions config.nixpkgsOverlays final prev // byName;
}
