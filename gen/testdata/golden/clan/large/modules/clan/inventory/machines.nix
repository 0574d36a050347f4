# The clan inventory: which machines exist, their class and tags.
# The tags all, nixos and darwin are added by clan and select service roles.
{
  clan.inventory.machines = {
    node-000 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-001 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-002 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-003 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-004 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-004.local";
    };
    node-005 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-006 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-007 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-008 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-009 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-009.local";
    };
    node-010 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-011 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-012 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-013 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-014 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-014.local";
    };
    node-015 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-016 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-017 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-018 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-019 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-019.local";
    };
    node-020 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-021 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-022 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-023 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-024 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-024.local";
    };
    node-025 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-026 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-027 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-028 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-029 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-029.local";
    };
    node-030 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-031 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-032 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-033 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-034 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-034.local";
    };
    node-035 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-036 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-037 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-038 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-039 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-039.local";
    };
    node-040 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-041 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-042 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-043 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-044 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-044.local";
    };
    node-045 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-046 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-047 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-048 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-049 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-049.local";
    };
    node-050 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-051 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-052 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-053 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-054 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-054.local";
    };
    node-055 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-056 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-057 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-058 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-059 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-059.local";
    };
    node-060 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-061 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-062 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-063 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-064 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-064.local";
    };
    node-065 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-066 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-067 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-068 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-069 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-069.local";
    };
    node-070 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-071 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-072 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-073 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-074 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-074.local";
    };
    node-075 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-076 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-077 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-078 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-079 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-079.local";
    };
    node-080 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-081 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-082 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-083 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-084 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-084.local";
    };
    node-085 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-086 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-087 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-088 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-089 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-089.local";
    };
    node-090 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-091 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-092 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-093 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    mac-094 = {
      machineClass = "darwin";
      deploy.targetHost = "user-04@mac-094.local";
    };
    node-095 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-096 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    node-097 = {
      tags = [ "cloud" ];
      machineClass = "nixos";
    };
    node-098 = {
      tags = [ "rack" ];
      machineClass = "nixos";
    };
    mac-099 = {
      machineClass = "darwin";
      deploy.targetHost = "user-09@mac-099.local";
    };
  };
}
