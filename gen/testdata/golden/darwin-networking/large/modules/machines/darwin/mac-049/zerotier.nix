# mac-049 joins the zerotier network via launchd.
{ config, ... }:
let
  zerotier = config.flake.modules.darwin.zerotier-launchd;
in
{
  flake.modules.darwin."machines/darwin/mac-049" = {
    imports = [ zerotier ];
  };
}
