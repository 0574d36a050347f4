# Part of the home-manager aggregate "development": every file under modules/home/development/
# adds to the same module, so adding a program is adding a file.
# git defaults; name and email come from each user's module.
{
  flake.modules.homeManager.development =
    { ... }:
    {
      programs.git = {
        enable = true;
        settings.init.defaultBranch = "main";
        settings.pull.rebase = true;
        ignores = [
          ".direnv/"
          "result"
        ];
      };
    };
}
