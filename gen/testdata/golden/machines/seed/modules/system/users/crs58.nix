# NixOS account of crs58, admin (wheel, passwordless sudo); imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/crs58" =
    { pkgs, ... }:
    {
      users.users.crs58 = {
        isNormalUser = true;
        description = "Cameron Smith";
        shell = pkgs.zsh;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
        ];
      };
      programs.zsh.enable = true;
    };
}
