# Hetzner Cloud servers (terranix). Set enabled = false and run `nix run .#terraform`
# to destroy a server; set it back to true to recreate and reinstall it. Terraform
# state is kept either way. A new location or image replaces the server too: a new
# install at a new address. fleet.json is the source of these values.
{
  flake.modules.terranix.hetzner =
    { lib, ... }:
    let
      machines = {
        cinnabar = {
          enabled = true;
          serverType = "cx43";
          location = "fsn1";
          image = "debian-12";
        };
        electrum = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
      };
      enabledMachines = lib.filterAttrs (_: m: m.enabled) machines;
    in
    {
      terraform.required_providers = {
        tls.source = "hashicorp/tls";
        local.source = "hashicorp/local";
        null.source = "hashicorp/null";
      };
      resource = {
        # A key for the install only: nixos-anywhere logs in to the new server with it, and the
        # installed system leaves it out of root's keys (allow_public_ssh_keys in the machine's module).
        tls_private_key.deploy_key.algorithm = "ED25519";
        local_sensitive_file.deploy_key = {
          filename = "\${path.module}/.terraform-deploy-key";
          file_permission = "0600";
          content = "\${tls_private_key.deploy_key.private_key_openssh}";
        };
        hcloud_ssh_key.deploy = {
          name = "test-clan-terraform-deploy";
          # Trimmed: the key ends in a newline, which Hetzner's API drops, and OpenTofu
          # stops the apply when the stored key differs from the planned one.
          public_key = "\${trimspace(tls_private_key.deploy_key.public_key_openssh)}";
        };
        hcloud_server = lib.mapAttrs (name: m: {
          inherit name;
          server_type = m.serverType;
          location = m.location;
          image = m.image;
          ssh_keys = [ "\${hcloud_ssh_key.deploy.id}" ];
          # A new deploy key would otherwise replace (and reinstall) every server.
          lifecycle.ignore_changes = [ "ssh_keys" ];
        }) enabledMachines;
        # Installs NixOS with clan once the server exists (and again if it is recreated).
        null_resource = lib.mapAttrs' (
          name: _m:
          lib.nameValuePair "install-${name}" {
            depends_on = [ "hcloud_server.${name}" ];
            triggers.server = "\${hcloud_server.${name}.id}";
            provisioner.local-exec.command = "clan machines install ${name} --update-hardware-config nixos-facter --target-host root@\${hcloud_server.${name}.ipv4_address} -i \${local_sensitive_file.deploy_key.filename} --yes";
          }
        ) enabledMachines;
      };
      # The servers' IPv4 addresses: `nix develop .#terraform -c tofu output addresses`.
      output.addresses.value = lib.mapAttrs (
        name: _m: "\${hcloud_server.${name}.ipv4_address}"
      ) enabledMachines;
    };
}
