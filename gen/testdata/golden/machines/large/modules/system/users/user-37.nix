# NixOS account of user-37, user; imported by the machines listed for it in fleet.json.
{
  flake.modules.nixos."users/user-37" =
    { pkgs, ... }:
    {
      users.users.user-37 = {
        isNormalUser = true;
        description = "User 37";
        shell = pkgs.bashInteractive;
        openssh.authorizedKeys.keys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"
        ];
      };
    };
}
