# clan-core's flake module: clan.machines, clan.inventory, clan vars.
{ inputs, ... }:
{
  imports = [ inputs.clan-core.flakeModules.default ];
}
