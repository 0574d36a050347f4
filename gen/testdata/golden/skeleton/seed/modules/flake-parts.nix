# Enables flake.modules.<class>.<name>: every other file contributes to it.
{ inputs, ... }:
{
  imports = [ inputs.flake-parts.flakeModules.modules ];
}
