# Part of the home-manager aggregate "shell": every file under modules/home/shell/
# adds to the same module, so adding a program is adding a file.
# zsh with completion helpers (the login shell is set per user).
{
  flake.modules.homeManager.shell =
    { config, ... }:
    {
      programs.zsh = {
        enable = true;
        autosuggestion.enable = true;
        syntaxHighlighting.enable = true;
        # zsh's files stay in the home directory (the default before home-manager 26.05).
        dotDir = config.home.homeDirectory;
      };
    };
}
