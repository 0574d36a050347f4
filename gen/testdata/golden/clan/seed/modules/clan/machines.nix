# Each clan machine is its dendritic module, modules/machines/<class>/<name>.
{ config, ... }:
{
  clan.machines = {
    cinnabar.imports = [ config.flake.modules.nixos."machines/nixos/cinnabar" ];
    electrum.imports = [ config.flake.modules.nixos."machines/nixos/electrum" ];
    blackphos.imports = [ config.flake.modules.darwin."machines/darwin/blackphos" ];
  };
}
