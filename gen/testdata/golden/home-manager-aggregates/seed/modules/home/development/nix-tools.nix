# Part of the home-manager aggregate "development": every file under modules/home/development/
# adds to the same module, so adding a program is adding a file.
# Tools for editing this repository.
{
  flake.modules.homeManager.development =
    { pkgs, ... }:
    {
      home.packages = [
        pkgs.nixd
        pkgs.nixfmt
        pkgs.nix-tree
      ];
    };
}
