# The clan inventory: which machines exist, their class and tags.
# The tags all, nixos and darwin are added by clan and select service roles.
{
  clan.inventory.machines = {
    server = {
      machineClass = "nixos";
    };
  };
}
