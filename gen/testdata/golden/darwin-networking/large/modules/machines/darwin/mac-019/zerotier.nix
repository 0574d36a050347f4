# mac-019 joins the zerotier network via launchd.
{ config, ... }:
let
  zerotier = config.flake.modules.darwin.zerotier-launchd;
in
{
  flake.modules.darwin."machines/darwin/mac-019" = {
    imports = [ zerotier ];
  };
}
