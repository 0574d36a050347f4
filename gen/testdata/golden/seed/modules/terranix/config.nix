# The terranix configuration behind `nix run .#terraform` (apply) and
# `nix run .#terraform.plan` / `.destroy`. It writes terraform/config.tf.json
# (gitignored) and runs OpenTofu there, with clan on PATH for the token and installs.
{ config, ... }:
{
  perSystem =
    { pkgs, inputs', ... }:
    {
      terranix.terranixConfigurations.terraform = {
        workdir = "terraform";
        modules = [
          config.flake.modules.terranix.base
          config.flake.modules.terranix.hetzner
        ];
        terraformWrapper = {
          package = pkgs.opentofu.withPlugins (p: [
            p.hashicorp_external
            p.hashicorp_local
            p.hashicorp_null
            p.hashicorp_tls
            p.hetznercloud_hcloud
          ]);
          extraRuntimeInputs = [ inputs'.clan-core.packages.clan-cli ];
        };
      };
    };
}
