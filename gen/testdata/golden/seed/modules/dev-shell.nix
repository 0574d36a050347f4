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
      };
    };
}
