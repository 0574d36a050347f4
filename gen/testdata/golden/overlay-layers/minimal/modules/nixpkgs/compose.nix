# The overlay machines and home configurations use: nixpkgs.overlays = [ inputs.self.overlays.default ];
# Composition order (layers this fleet does not use are left out):
#   1 channels       overlays/channels.nix      pkgs.stable, pkgs.unstable
#   2 hotfixes       overlays/hotfixes.nix      broken packages from stable
#   4 overrides      overlays/overrides.nix     overrideAttrs tweaks
# Layers 1, 2 and 4 are composed in that order (see overlays-option.nix).
{ config, lib, ... }:
{
  flake.overlays.default = final: prev: lib.composeManyExtensions config.nixpkgsOverlays final prev;
}
