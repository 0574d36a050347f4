# clan-core's flake module: clan.machines, clan.inventory, clan vars.
# terranix's flake module drives the Hetzner Cloud servers (modules/terranix).
{ inputs, ... }:
{
  imports = [
    inputs.clan-core.flakeModules.default
    inputs.terranix.flakeModule
  ];
}
