# The fleet's zerotier network: cinnabar is the controller.
# `clan vars generate` writes the network id to vars/shared/zerotier-network-zerotier/network-id/value.
{ inputs, lib, ... }:
let
  # Macs are not clan zerotier members. Each one's join step prints its node id;
  # commit it as zerotier/<machine>.node-id and redeploy the controller to admit it.
  # Deleting the file later revokes nothing (README, "Add and remove zerotier members").
  nodeIdFile = name: "${inputs.self}/zerotier/${name}.node-id";
  nodeId =
    name:
    let
      id = lib.trim (builtins.readFile (nodeIdFile name));
    in
    lib.throwIf (builtins.match "[0-9a-f]{10}" id == null)
      "zerotier/${name}.node-id must hold the 10 hex digits of the node id that `zerotier-cli info` prints"
      id;
  memberIds = names: map nodeId (builtins.filter (name: builtins.pathExists (nodeIdFile name)) names);
in
{
  clan.inventory.instances.zerotier = {
    module = {
      name = "zerotier";
      input = "clan-core";
    };
    roles.controller.machines.cinnabar = {
      settings.allowedIds = memberIds [ "blackphos" ];
    };
    # Every NixOS member, the controller among them (clan's zerotier service joins every
    # machine of the instance to the network, whatever its role).
    roles.peer.machines = {
      cinnabar = { };
      electrum = { };
    };
  };
}
