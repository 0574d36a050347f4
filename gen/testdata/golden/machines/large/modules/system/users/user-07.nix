# NixOS account of user-07, admin (wheel, passwordless sudo); imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-07" =
    { pkgs, ... }:
    {
      users.users.user-07 = {
        isNormalUser = true;
        description = "User 7";
        shell = pkgs.bashInteractive;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"
        ];
      };
    };
}
