# Clan identity. Machines are reachable as <machine>.<domain> inside the clan.
# specialArgs hands the flake inputs to every machine module.
{ inputs, ... }:
{
  clan.meta.name = "test-clan";
  clan.meta.domain = "zt";
  clan.specialArgs = {
    inherit inputs;
  };
}
