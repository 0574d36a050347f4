# Overlay layer 3: the fleet's own packages, one directory each under
# pkgs/by-name/<name>/package.nix (called with callPackage). They are exposed as
# packages.<system>.<name> (nix build .#<name>) and joined to the overlay in compose.nix.
{ inputs, ... }:
{
  imports = [ inputs.pkgs-by-name-for-flake-parts.flakeModule ];
  perSystem.pkgsDirectory = ../../pkgs/by-name;
}
