# Part of the home-manager aggregate "core": every file under modules/home/core/
# adds to the same module, so adding a program is adding a file.
# Small command-line basics every user gets.
{
  flake.modules.homeManager.core =
    { pkgs, ... }:
    {
      home.packages = [
        pkgs.curl
        pkgs.jq
        pkgs.tree
      ];
    };
}
