# Overlay layer 1: channels.
# pkgs.stable is the stable branch for the platform being built, pkgs.unstable the
# main nixpkgs input. Later layers pick packages from them (see hotfixes.nix).
{ inputs, ... }:
{
  nixpkgsOverlayLayers."1-channels" = [
    (
      final: prev:
      let
        # Same system and allowUnfree as the package set being extended, and
        # none of the user's own overlays (~/.config/nixpkgs, read under --impure).
        channel =
          input:
          import input {
            system = prev.stdenv.hostPlatform.system;
            config.allowUnfree = prev.config.allowUnfree or false;
            overlays = [ ];
          };
      in
      {
        stable = channel inputs.nixpkgs-linux-stable;
        unstable = channel inputs.nixpkgs;
      }
    )
  ];
}
