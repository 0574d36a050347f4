# A generated root password for the initrd emergency shell, to debug boot
# problems: `clan vars get <machine> emergency-access/password`. It is set as
# boot.initrd.systemd.emergencyAccess, read by the systemd initrd only, which
# modules/system/boot.nix turns on.
{
  clan.inventory.instances.emergency-access = {
    module = {
      name = "emergency-access";
      input = "clan-core";
    };
    roles.default.tags.nixos = { };
  };
}
