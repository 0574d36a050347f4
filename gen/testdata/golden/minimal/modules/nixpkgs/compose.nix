# The overlay machines and home configurations use: nixpkgs.overlays = [ inputs.self.overlays.default ];
# Composition order:
#   1 channels       overlays/channels.nix      pkgs.stable, pkgs.unstable
#   2 hotfixes       overlays/hotfixes.nix      broken packages from stable
#   3 pkgs/by-name   ../../pkgs/by-name         the fleet's own packages
#   4 overrides      overlays/overrides.nix     overrideAttrs tweaks
#   5 flake inputs   overlays/flake-inputs.nix  overlays of other flakes
# Layers 1, 2, 4 and 5 are composed in that order (see overlays-option.nix). Layer 3
# packages are standalone derivations built by pkgs-by-name-for-flake-parts; they are
# added on top, so a package of your own wins over a same-named attribute, and
# layers 4 and 5 do not modify it (edit its package.nix instead).
{ config, lib, ... }:
{
  flake.overlays.default =
    final: prev: lib.composeManyExtensions config.flake.nixpkgsOverlays final prev;
}
