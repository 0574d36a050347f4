# blackphos joins the zerotier network via homebrew.
{ config, ... }:
let
  zerotier = config.flake.modules.darwin.zerotier-homebrew;
in
{
  flake.modules.darwin."machines/darwin/blackphos" = {
    imports = [ zerotier ];
  };
}
