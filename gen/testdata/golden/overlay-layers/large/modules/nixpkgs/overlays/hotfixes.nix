# Overlay layer 2: hotfixes.
# A package that is broken on unstable is taken from the stable channel (layer 1),
# only on the platforms where it is broken. Keep the reason and the date, and
# drop the entry once unstable builds again.
# Platform tests read prev, never final, so they cannot recurse into this overlay.
{ lib, ... }:
{
  nixpkgsOverlayLayers."2-hotfixes" = [
    (
      final: prev:
      lib.optionalAttrs prev.stdenv.hostPlatform.isDarwin {
        # broken on unstable (added 2025-11-20)
        micromamba = final.stable.micromamba;
      }
    )
  ];
}
