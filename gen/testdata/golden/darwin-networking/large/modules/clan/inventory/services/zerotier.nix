# The fleet's zerotier network: node-000 is the controller.
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
    roles.controller.machines.node-000 = {
      settings.allowedIds = memberIds [
        "mac-004"
        "mac-009"
        "mac-019"
        "mac-024"
        "mac-034"
        "mac-039"
        "mac-049"
        "mac-054"
        "mac-064"
        "mac-069"
        "mac-079"
        "mac-084"
        "mac-094"
        "mac-099"
      ];
    };
    # Every NixOS member, the controller among them (clan's zerotier service joins every
    # machine of the instance to the network, whatever its role).
    roles.peer.machines = {
      node-000 = { };
      node-001 = { };
      node-002 = { };
      node-003 = { };
      node-005 = { };
      node-006 = { };
      node-007 = { };
      node-008 = { };
      node-010 = { };
      node-011 = { };
      node-012 = { };
      node-013 = { };
      node-015 = { };
      node-016 = { };
      node-017 = { };
      node-018 = { };
      node-020 = { };
      node-021 = { };
      node-022 = { };
      node-023 = { };
      node-025 = { };
      node-026 = { };
      node-027 = { };
      node-028 = { };
      node-030 = { };
      node-031 = { };
      node-032 = { };
      node-033 = { };
      node-035 = { };
      node-036 = { };
      node-037 = { };
      node-038 = { };
      node-040 = { };
      node-041 = { };
      node-042 = { };
      node-043 = { };
      node-045 = { };
      node-046 = { };
      node-047 = { };
      node-048 = { };
      node-050 = { };
      node-051 = { };
      node-052 = { };
      node-053 = { };
      node-055 = { };
      node-056 = { };
      node-057 = { };
      node-058 = { };
      node-060 = { };
      node-061 = { };
      node-062 = { };
      node-063 = { };
      node-065 = { };
      node-066 = { };
      node-067 = { };
      node-068 = { };
      node-070 = { };
      node-071 = { };
      node-072 = { };
      node-073 = { };
      node-075 = { };
      node-076 = { };
      node-077 = { };
      node-078 = { };
      node-080 = { };
      node-081 = { };
      node-082 = { };
      node-083 = { };
      node-085 = { };
      node-086 = { };
      node-087 = { };
      node-088 = { };
      node-090 = { };
      node-091 = { };
      node-092 = { };
      node-093 = { };
      node-095 = { };
      node-096 = { };
      node-097 = { };
      node-098 = { };
    };
  };
}
