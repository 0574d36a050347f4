# Overlay layer 4: overrides.
# Changes to how an existing package is built (overrideAttrs). They apply on top of
# layers 1 and 2, so an override of a hotfixed package modifies the stable build.
{
  nixpkgsOverlayLayers."4-overrides" = [ (final: prev: { }) ];
}
