# Each clan machine is its dendritic module, modules/machines/<class>/<name>.
{ config, ... }:
{
  clan.machines = {
    server.imports = [ config.flake.modules.nixos."machines/nixos/server" ];
  };
}
