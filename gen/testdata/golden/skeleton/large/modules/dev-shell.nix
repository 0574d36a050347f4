# `nix develop`: the tools the README's bootstrap steps use.
# clan-cli comes from clan-core so it matches the modules this flake evaluates.
{
  perSystem =
    { pkgs, inputs', ... }:
    {
      devShells.default = pkgs.mkShell {
        packages = [
          inputs'.clan-core.packages.clan-cli
          pkgs.sops
          pkgs.ssh-to-age
          pkgs.age
          pkgs.nh
        ];
        # One age key file on Linux and macOS: clan and sops read
        # ~/Library/Application Support/sops/age/keys.txt on macOS unless told
        # otherwise, home-manager's sops-nix reads ~/.config/sops/age/keys.txt.
        shellHook = ''
          export SOPS_AGE_KEY_FILE="''${SOPS_AGE_KEY_FILE:-$HOME/.config/sops/age/keys.txt}"
        '';
      };
    };
}
