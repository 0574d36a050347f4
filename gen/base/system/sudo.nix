# Members of wheel (the fleet's admins, through modules/clan/inventory/services/users,
# where the fleet has users) need no password for sudo; other users get no sudo at all.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { ... }:
    {
      security.sudo.wheelNeedsPassword = false;
    };
}
