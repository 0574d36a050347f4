# The systemd initrd (stage 1), whose emergency shell takes the root password clan's
# emergency-access service generates (boot.initrd.systemd.emergencyAccess); and at most 10
# generations in the boot menu: the boot loader copies each one's kernel and initrd to /boot,
# a 512 MB partition, which would otherwise be full after some months of updates.
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { lib, ... }:
    {
      boot.initrd.systemd.enable = lib.mkDefault true;
      boot.loader.grub.configurationLimit = lib.mkDefault 10;
      boot.loader.systemd-boot.configurationLimit = lib.mkDefault 10;
    };
}
