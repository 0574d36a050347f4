# Part of the home-manager aggregate "shell": every file under modules/home/shell/
# adds to the same module, so adding a program is adding a file.
# zsh with completion helpers (the login shell is set per user).
{
  flake.modules.homeManager.shell =
    { ... }:
    {
      programs.zsh = {
        enable = true;
        autosuggestion.enable = true;
        syntaxHighlighting.enable = true;
      };
    };
}
