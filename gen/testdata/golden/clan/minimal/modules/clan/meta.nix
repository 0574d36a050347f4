# Clan identity. clan names each machine <machine>.<domain> (a NixOS machine's default
# deploy address); it publishes those names nowhere, so they resolve only where your
# DNS or /etc/hosts has them.
# specialArgs hands the flake inputs to every machine module.
{ inputs, ... }:
{
  clan.meta.name = "minimal";
  clan.meta.domain = "clan";
  clan.specialArgs = {
    inherit inputs;
  };
}
