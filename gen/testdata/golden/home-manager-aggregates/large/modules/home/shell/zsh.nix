# Part of the home-manager aggregate "shell": every file under modules/home/shell/
# adds to the same module, so adding a program is adding a file.
# zsh with completion helpers (the login shell is the system's users.users.<name>.shell).
{
  flake.modules.homeManager.shell =
    { config, ... }:
    {
      programs.zsh = {
        enable = true;
        autosuggestion.enable = true;
        syntaxHighlighting.enable = true;
        # zsh's files stay in the home directory: the default for a home.stateVersion before 26.05,
        # set as home-manager asks (from 26.05 the default with xdg is ~/.config/zsh).
        dotDir = config.home.homeDirectory;
      };
    };
}
