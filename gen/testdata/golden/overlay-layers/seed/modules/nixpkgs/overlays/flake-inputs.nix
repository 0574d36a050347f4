# Overlay layer 5: overlays from flake inputs, applied last so they see every
# earlier layer. Each input is declared in flake.nix.
{ inputs, ... }:
{
  nixpkgsOverlayLayers."5-flake-inputs" = [ inputs.nuenv.overlays.nuenv ];
}
