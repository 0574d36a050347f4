# Clan vars are encrypted for the sops group admins too (sops/groups/admins), so
# every clan admin can read and regenerate them, not only the one who ran `clan vars generate`.
# Part of flake.modules.darwin.base (every file defining it is merged).
{
  flake.modules.darwin.base =
    { ... }:
    {
      clan.core.sops.defaultGroups = [ "admins" ];
    };
}
