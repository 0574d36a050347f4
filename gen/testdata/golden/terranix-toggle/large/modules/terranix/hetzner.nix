# Hetzner Cloud servers (terranix). Set enabled = false and run `nix run .#terraform`
# to destroy a server; set it back to true to recreate and reinstall it. Terraform
# state is kept either way. A new location or image replaces the server too: a new
# install at a new address. fleet.json is the source of these values.
{
  flake.modules.terranix.hetzner =
    { lib, ... }:
    let
      machines = {
        node-001 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-003 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-005 = {
          enabled = true;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-007 = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-011 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-013 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-015 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-017 = {
          enabled = true;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-021 = {
          enabled = true;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-023 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-025 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-027 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-031 = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-033 = {
          enabled = true;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-035 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-037 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-041 = {
          enabled = true;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-043 = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-045 = {
          enabled = true;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-047 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-051 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-053 = {
          enabled = true;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-055 = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-057 = {
          enabled = true;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-061 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-063 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-065 = {
          enabled = true;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-067 = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-071 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-073 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-075 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-077 = {
          enabled = true;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-081 = {
          enabled = true;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-083 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-085 = {
          enabled = true;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-087 = {
          enabled = false;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-091 = {
          enabled = false;
          serverType = "cx23";
          location = "nbg1";
          image = "debian-12";
        };
        node-093 = {
          enabled = true;
          serverType = "cax21";
          location = "fsn1";
          image = "debian-12";
        };
        node-095 = {
          enabled = false;
          serverType = "cx23";
          location = "hel1";
          image = "debian-12";
        };
        node-097 = {
          enabled = true;
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
          name = "large-fleet-terraform-deploy";
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
