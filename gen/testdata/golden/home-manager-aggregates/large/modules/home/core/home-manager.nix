# Part of the home-manager aggregate "core": every file under modules/home/core/
# adds to the same module, so adding a program is adding a file.
# Let home-manager manage itself and use XDG directories.
{
  flake.modules.homeManager.core =
    { ... }:
    {
      programs.home-manager.enable = true;
      xdg.enable = true;
    };
}
