# mac-039 joins the zerotier network via homebrew.
{ config, ... }:
let
  zerotier = config.flake.modules.darwin.zerotier-homebrew;
in
{
  flake.modules.darwin."machines/darwin/mac-039" = {
    imports = [ zerotier ];
  };
}
