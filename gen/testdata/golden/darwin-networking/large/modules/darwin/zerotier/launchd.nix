# zerotier-one from nixpkgs, run by a nix-managed launchd daemon.
# zerotierone is source-available (BUSL), hence the unfree allowance for it alone.
{ config, ... }:
let
  join = config.flake.modules.darwin.zerotier-join;
in
{
  flake.modules.darwin.zerotier-launchd =
    { lib, pkgs, ... }:
    {
      imports = [ join ];
      nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) [ "zerotierone" ];
      environment.systemPackages = [ pkgs.zerotierone ];
      launchd.daemons.zerotierone.serviceConfig = {
        ProgramArguments = [ "${pkgs.zerotierone}/bin/zerotier-one" ];
        KeepAlive = true;
        RunAtLoad = true;
        StandardErrorPath = "/var/log/zerotier-one.log";
      };
    };
}
