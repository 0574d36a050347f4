# perSystem pkgs: nixpkgs with overlay layers 1, 2, 4 and 5 (layer 3 is built from
# this set, so it cannot also be part of it).
{ inputs, config, ... }:
{
  perSystem =
    { system, ... }:
    {
      _module.args.pkgs = import inputs.nixpkgs {
        inherit system;
        config = { };
        overlays = config.nixpkgsOverlays;
      };
    };
}
