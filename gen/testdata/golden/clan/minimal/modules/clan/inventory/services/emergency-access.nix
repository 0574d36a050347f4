# A generated root password for the initrd emergency shell, to debug boot
# problems: `clan vars get <machine> emergency-access/password`.
{
  clan.inventory.instances.emergency-access = {
    module = {
      name = "emergency-access";
      input = "clan-core";
    };
    roles.default.tags.nixos = { };
  };
}
