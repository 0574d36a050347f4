# Part of the home-manager aggregate "development": every file under modules/home/development/
# adds to the same module, so adding a program is adding a file.
# GitHub CLI.
{
  flake.modules.homeManager.development =
    { ... }:
    {
      programs.gh.enable = true;
    };
}
