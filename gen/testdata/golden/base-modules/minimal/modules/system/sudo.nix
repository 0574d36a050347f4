# Admins are in wheel (modules/clan/inventory/services/users) and need no password for sudo;
# other users get no sudo at all.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { ... }:
    {
      security.sudo.wheelNeedsPassword = false;
    };
}
