# Clan identity. Machines are reachable as <machine>.<domain> inside the clan.
# specialArgs hands the flake inputs to every machine module.
{ inputs, ... }:
{
  clan.meta.name = "large-fleet";
  clan.meta.domain = "fleet";
  clan.specialArgs = {
    inherit inputs;
  };
}
