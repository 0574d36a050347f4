# macOS logs in with zsh: let nix-darwin set up its environment (PATH to the Nix profiles).
# Part of flake.modules.darwin.base (every file defining it is merged).
{
  flake.modules.darwin.base =
    { ... }:
    {
      programs.zsh.enable = true;
    };
}
