# `nix fmt` formats every .nix file with nixfmt (treefmt-nix).
{ inputs, ... }:
{
  imports = [ inputs.treefmt-nix.flakeModule ];
  perSystem =
    { ... }:
    {
      treefmt.projectRootFile = "flake.nix";
      treefmt.programs.nixfmt.enable = true;
    };
}
