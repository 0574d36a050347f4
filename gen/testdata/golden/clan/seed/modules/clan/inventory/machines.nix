# The clan inventory: which machines exist, their class and tags.
# The tags all, nixos and darwin are added by clan and select service roles.
{
  clan.inventory.machines = {
    cinnabar = {
      tags = [
        "cloud"
        "controller"
      ];
      machineClass = "nixos";
      description = "zerotier controller on Hetzner";
      deploy.targetHost = "root@cinnabar.zt";
    };
    electrum = {
      tags = [ "cloud" ];
      machineClass = "nixos";
      description = "spare server, switched off until needed";
    };
    blackphos = {
      tags = [ "workstation" ];
      machineClass = "darwin";
      description = "shared MacBook";
    };
  };
}
