# NixOS account of user-03, admin (wheel, passwordless sudo); imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-03" =
    { pkgs, ... }:
    {
      users.users.user-03 = {
        isNormalUser = true;
        description = "User 3";
        shell = pkgs.zsh;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
        ];
      };
      programs.zsh.enable = true;
    };
}
