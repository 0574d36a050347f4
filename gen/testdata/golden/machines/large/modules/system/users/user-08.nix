# NixOS account of user-08, admin (wheel, passwordless sudo); imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-08" =
    { pkgs, ... }:
    {
      users.users.user-08 = {
        isNormalUser = true;
        description = "User 8";
        shell = pkgs.fish;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL8Gz7JgctzariPvQR31SEpAkYAuS70vuNPkKD8U9S8+ carol@fixture"
        ];
      };
      programs.fish.enable = true;
    };
}
