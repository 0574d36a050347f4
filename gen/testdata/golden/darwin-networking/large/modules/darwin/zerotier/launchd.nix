# zerotier-one from nixpkgs, run by a nix-managed launchd daemon. nixpkgs' macOS build
# leaves out MacEthernetTapAgent, without which zerotier-one creates no network interface:
# prefer the homebrew variant. The unfree allowance is for nixpkgs before zerotierone 1.16
# (BUSL); from 1.16 on it is MPL-2.0.
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
