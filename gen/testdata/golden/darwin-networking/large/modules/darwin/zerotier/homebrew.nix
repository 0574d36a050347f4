# zerotier-one from its homebrew cask (homebrew itself must be installed on the Mac).
{ config, ... }:
let
  join = config.flake.modules.darwin.zerotier-join;
in
{
  flake.modules.darwin.zerotier-homebrew = {
    imports = [ join ];
    homebrew.enable = true;
    homebrew.casks = [ "zerotier-one" ];
  };
}
