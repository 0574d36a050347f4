# Part of the home-manager aggregate "shell": every file under modules/home/shell/
# adds to the same module, so adding a program is adding a file.
# A prompt that works the same in every shell.
{
  flake.modules.homeManager.shell =
    { ... }:
    {
      programs.starship.enable = true;
    };
}
