# NixOS account of user-01, admin (wheel, passwordless sudo); imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-01" =
    { pkgs, ... }:
    {
      users.users.user-01 = {
        isNormalUser = true;
        description = "User 1";
        shell = pkgs.bashInteractive;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"
        ];
      };
    };
}
