# Clan identity. Machines are reachable as <machine>.<domain> inside the clan.
# specialArgs hands the flake inputs to every machine module.
{ inputs, ... }:
{
  clan.meta.name = "minimal";
  clan.meta.domain = "clan";
  clan.specialArgs = {
    inherit inputs;
  };
}
