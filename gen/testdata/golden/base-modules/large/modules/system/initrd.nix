# The systemd initrd (stage 1), the one whose emergency shell takes the root password
# clan's emergency-access service generates (boot.initrd.systemd.emergencyAccess).
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { lib, ... }:
    {
      boot.initrd.systemd.enable = lib.mkDefault true;
    };
}
