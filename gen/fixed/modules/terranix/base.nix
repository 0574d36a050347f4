# Terraform base for terranix: the Hetzner Cloud provider. Its API token is a clan
# secret, read at plan/apply time (set it once with: clan secrets set --group admins hetzner-api-token).
{
  flake.modules.terranix.base =
    { pkgs, lib, ... }:
    {
      terraform.required_providers = {
        hcloud.source = "hetznercloud/hcloud";
        external.source = "hashicorp/external";
      };
      # An external data source runs a program that prints JSON; this one asks clan
      # for the token so it never lands in the Nix store or in config.tf.json. It reaches
      # jq on a pipe: a command line is readable by every local user (ps).
      data.external.hetzner-api-token.program = [
        (lib.getExe (
          pkgs.writeShellApplication {
            name = "hetzner-api-token";
            runtimeInputs = [ pkgs.jq ];
            text = ''
              clan secrets get hetzner-api-token | jq -Rn '{token: input}'
            '';
          }
        ))
      ];
      provider.hcloud.token = "\${data.external.hetzner-api-token.result.token}";
      # The state encryption passphrase (see config.nix): set from the clan secret
      # terraform-state-passphrase by the wrapper, never written to config.tf.json.
      variable.state_passphrase = {
        sensitive = true;
      };
    };
}
