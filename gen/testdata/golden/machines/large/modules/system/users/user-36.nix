# NixOS account of user-36, user; imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-36" =
    { pkgs, ... }:
    {
      users.users.user-36 = {
        isNormalUser = true;
        description = "User 36";
        shell = pkgs.zsh;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
        ];
      };
      programs.zsh.enable = true;
    };
}
