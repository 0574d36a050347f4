# Overlay layer 3: the fleet's own packages, one directory each under
# pkgs/by-name/<name>/package.nix (called with callPackage). They are exposed as
# packages.<system>.<name> (nix build .#<name>) and legacyPackages.<system>.<name>,
# which compose.nix adds to the overlay: a new directory reaches every machine.
# A package here cannot take another one as an argument (its scope is nixpkgs and
# inputs): use inputs.self.packages.${stdenv.hostPlatform.system}.<name> instead.
{ inputs, ... }:
{
  imports = [ inputs.pkgs-by-name-for-flake-parts.flakeModule ];
  perSystem.pkgsDirectory = ../../pkgs/by-name;
}
