# Overlay layers (pattern 2): the option every overlay file contributes to.
#
# Each layer file adds its overlays under a key that starts with the layer
# number ("1-channels", "2-hotfixes", "4-overrides", "5-flake-inputs").
# nixpkgsOverlays is computed from those keys with attrValues, which returns
# values sorted by key, so the order is 1 -> 5 whatever order import-tree
# loads the files in (it goes alphabetically: a plain list merged from the
# files would put overlays/flake-inputs.nix before overlays/hotfixes.nix).
# Layer 3 (pkgs/by-name) is added in compose.nix. Both are options of this flake's
# modules, not flake outputs.
{ config, lib, ... }:
{
  options.nixpkgsOverlayLayers = lib.mkOption {
    type = lib.types.attrsOf (lib.types.listOf lib.types.raw);
    default = { };
    description = "Overlays by layer. Keys sort in composition order: start each with its layer number.";
  };
  # Read-only so nothing can append to it directly and bypass the layer order.
  options.nixpkgsOverlays = lib.mkOption {
    type = lib.types.listOf lib.types.raw;
    readOnly = true;
    default = lib.concatLists (lib.attrValues config.nixpkgsOverlayLayers);
    description = "All overlay layers, in layer order; composed by compose.nix.";
  };
}
