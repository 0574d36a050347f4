# NixOS account of user-00, admin (wheel, passwordless sudo); imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-00" =
    { pkgs, ... }:
    {
      users.users.user-00 = {
        isNormalUser = true;
        description = "User 0";
        shell = pkgs.zsh;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
        ];
      };
      programs.zsh.enable = true;
    };
}
