# The fleet's zerotier network: cinnabar is the controller.
# The network id appears in vars/per-machine/cinnabar/zerotier/zerotier-network-id/value after its first deploy.
{ inputs, lib, ... }:
let
  # Macs are not clan zerotier members. Each one's join step prints its address;
  # commit it as zerotier/<machine>.ip and redeploy the controller to admit it.
  memberFile = name: "${inputs.self}/zerotier/${name}.ip";
  memberIp =
    name:
    lib.optional (builtins.pathExists (memberFile name)) (
      lib.trim (builtins.readFile (memberFile name))
    );
  memberIps = lib.concatMap memberIp;
in
{
  clan.inventory.instances.zerotier = {
    module = {
      name = "zerotier";
      input = "clan-core";
    };
    roles.controller.machines.cinnabar = {
      settings.allowedIps = memberIps [ "blackphos" ];
    };
    # Every NixOS member, the controller included (it joins its own network).
    roles.peer.machines = {
      cinnabar = { };
      electrum = { };
    };
  };
}
