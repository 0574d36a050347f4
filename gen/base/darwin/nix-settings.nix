# Flakes everywhere; root and members of the macOS admin group are trusted Nix users.
# Part of flake.modules.darwin.base (every file defining it is merged).
{
  flake.modules.darwin.base =
    { ... }:
    {
      nix.settings.experimental-features = [
        "nix-command"
        "flakes"
      ];
      nix.settings.trusted-users = [
        "root"
        "@admin"
      ];
    };
}
