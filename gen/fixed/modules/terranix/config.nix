# The terranix configuration behind `nix run .#terraform` (apply) and
# `nix run .#terraform.plan` / `.destroy`. It links terraform/config.tf.json (gitignored)
# to the configuration in the Nix store and runs OpenTofu there, with clan on PATH for
# the token, the state passphrase and the installs.
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
          # Encrypted state and plans (OpenTofu state encryption): the state holds the
          # Hetzner token and the deploy key. The passphrase is the clan secret
          # terraform-state-passphrase; the encrypted terraform/terraform.tfstate is safe to commit.
          # Applies run one resource at a time: every install runs clan in this checkout,
          # and concurrent ones would collide on git's index lock and on inventory.json.
          # Every init takes the providers this flake's nixpkgs has (-upgrade): the lock file
          # tofu keeps here would refuse the versions a `nix flake update` brings.
          # clan reads your age key from the file `nix develop` names, in or outside it.
          prefixText = ''
            export SOPS_AGE_KEY_FILE="''${SOPS_AGE_KEY_FILE:-$HOME/.config/sops/age/keys.txt}"
            TF_CLI_ARGS_apply="-parallelism=1"
            export TF_CLI_ARGS_apply
            TF_CLI_ARGS_init="-upgrade"
            export TF_CLI_ARGS_init
            TF_VAR_state_passphrase=$(clan secrets get terraform-state-passphrase)
            export TF_VAR_state_passphrase
            TF_ENCRYPTION=$(cat <<'ENCRYPTION'
            key_provider "pbkdf2" "fleet" {
              passphrase = var.state_passphrase
            }
            method "aes_gcm" "fleet" {
              keys = key_provider.pbkdf2.fleet
            }
            state {
              method   = method.aes_gcm.fleet
              enforced = true
            }
            plan {
              method   = method.aes_gcm.fleet
              enforced = true
            }
            ENCRYPTION
            )
            export TF_ENCRYPTION
          '';
        };
      };
    };
}
