# NixOS account of user-33, user; imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-33" =
    { pkgs, ... }:
    {
      users.users.user-33 = {
        isNormalUser = true;
        description = "User 33";
        shell = pkgs.zsh;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
        ];
      };
      programs.zsh.enable = true;
    };
}
