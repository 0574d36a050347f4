# Flakes everywhere; root and wheel (the admins) may use extra substituters and unsigned paths.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { ... }:
    {
      nix.settings.experimental-features = [
        "nix-command"
        "flakes"
      ];
      nix.settings.trusted-users = [
        "root"
        "@wheel"
      ];
    };
}
