# Part of the home-manager aggregate "shell": every file under modules/home/shell/
# adds to the same module, so adding a program is adding a file.
# Load a project's dev shell on cd (nix-direnv caches it).
{
  flake.modules.homeManager.shell =
    { ... }:
    {
      programs.direnv = {
        enable = true;
        nix-direnv.enable = true;
      };
    };
}
