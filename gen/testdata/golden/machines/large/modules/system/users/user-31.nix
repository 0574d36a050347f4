# NixOS account of user-31, user; imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-31" =
    { pkgs, ... }:
    {
      users.users.user-31 = {
        isNormalUser = true;
        description = "User 31";
        shell = pkgs.bashInteractive;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"
        ];
      };
    };
}
