# NixOS account of user-22, user; imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-22" =
    { pkgs, ... }:
    {
      users.users.user-22 = {
        isNormalUser = true;
        description = "User 22";
        shell = pkgs.bashInteractive;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"
        ];
      };
    };
}
