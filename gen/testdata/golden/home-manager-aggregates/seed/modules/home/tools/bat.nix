# Part of the home-manager aggregate "tools": every file under modules/home/tools/
# adds to the same module, so adding a program is adding a file.
# cat with syntax highlighting.
{
  flake.modules.homeManager.tools =
    { ... }:
    {
      programs.bat.enable = true;
    };
}
