# Part of the home-manager aggregate "tools": every file under modules/home/tools/
# adds to the same module, so adding a program is adding a file.
# Fuzzy finder with shell key bindings.
{
  flake.modules.homeManager.tools =
    { ... }:
    {
      programs.fzf.enable = true;
    };
}
