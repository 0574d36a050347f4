# Disk layout of node-063: zfs on /dev/sda (disko). `clan machines install` partitions it;
# changing it later does not reformat a running machine.
{
  flake.modules.nixos."machines/nixos/node-063" =
    { lib, ... }:
    {
      disko.devices = {
        disk.main = {
          type = "disk";
          device = "/dev/sda";
          content = {
            type = "gpt";
            partitions = {
              ESP = {
                size = "512M";
                type = "EF00";
                content = {
                  type = "filesystem";
                  format = "vfat";
                  mountpoint = "/boot";
                  mountOptions = [ "umask=0077" ];
                };
              };
              root = {
                size = "100%";
                content = {
                  type = "zfs";
                  pool = "zroot";
                };
              };
            };
          };
        };
        # networking.hostId is clan-core's, the installer's: the pool imports at boot without force.
        zpool.zroot = {
          type = "zpool";
          rootFsOptions = {
            compression = "lz4";
            atime = "off";
            mountpoint = "none";
          };
          datasets = {
            root = {
              type = "zfs_fs";
              mountpoint = "/";
              options.mountpoint = "legacy";
              # Snapshotted by clan's ZFS auto-snapshots, which take only datasets marked so (not /nix).
              options."com.sun:auto-snapshot" = "true";
            };
            nix = {
              type = "zfs_fs";
              mountpoint = "/nix";
              options.mountpoint = "legacy";
            };
            home = {
              type = "zfs_fs";
              mountpoint = "/home";
              options.mountpoint = "legacy";
              # Snapshotted by clan's ZFS auto-snapshots, which take only datasets marked so (not /nix).
              options."com.sun:auto-snapshot" = "true";
            };
          };
        };
      };
      boot.loader.systemd-boot.enable = true;
      boot.loader.efi.canTouchEfiVariables = true;
      # srvos's Hetzner profile grows the root partition at boot; the root here is a zfs
      # dataset, not a partition, so that unit could only ever do nothing.
      boot.growPartition = lib.mkForce false;
    };
}
