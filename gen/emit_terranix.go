package gen

import "github.com/fleetyard/fleetyard/gen/nix"

// Pattern 7: the terranix toggle. Every Hetzner machine is listed in
// flake.modules.terranix.hetzner with its enabled flag; only enabled ones
// become resources, so flipping the flag and running `nix run .#terraform`
// creates or destroys the server while Terraform keeps its state.

// Terraform names shared by hetzner.nix and the Terraform preview (terraform.go).
const (
	tfDeployKey = "deploy_key" // tls_private_key / local_sensitive_file
	tfSSHKey    = "deploy"     // hcloud_ssh_key
	// tfPublicKey is the deploy key's public half without the newline
	// tls_private_key ends it with (hcloud's public_key is compared with
	// what the API stores, and the API has trimmed it since 2026-04-22).
	tfPublicKey   = "${trimspace(tls_private_key." + tfDeployKey + ".public_key_openssh)}"
	tfKeyFile     = ".terraform-deploy-key" // gitignored, next to config.tf.json
	tfTokenSecret = "hetzner-api-token"     // clan secret holding the API token
	tfTokenData   = "hetzner-api-token"     // data.external name
	tfHcloudSrc   = "hetznercloud/hcloud"   // provider sources
	tfExternalSrc = "hashicorp/external"    //
	tfLocalSrc    = "hashicorp/local"       //
	tfNullSrc     = "hashicorp/null"        //
	tfTLSSrc      = "hashicorp/tls"         //
	tfInstallPfx  = "install-"              // null_resource."install-<m>"
	tfWorkdir     = "terraform"             // terranixConfigurations.terraform.workdir
	tfKeyPerm     = "0600"                  //
	tfKeyAlgo     = "ED25519"               //
	tfFacter      = "nixos-facter"          // clan --update-hardware-config
	tfSSHKeyName  = "-terraform-deploy"     // hcloud_ssh_key name suffix after the clan name
	tfTokenRef    = "${data.external." + tfTokenData + ".result.token}"
	// tfStateSecret is the clan secret with the state encryption passphrase.
	tfStateSecret = "terraform-state-passphrase"
	tfStateVar    = "state_passphrase" // variable.<name>, set by TF_VAR_<name>
)

// tfEncryption is OpenTofu's state and plan encryption, given to tofu in
// the TF_ENCRYPTION environment variable by the wrapper (HCL; OpenTofu
// reads the same blocks from a terraform { encryption { … } } block). The
// state holds the Hetzner token (the result of data.external, which Terraform
// records in the state; provider blocks are not stored there) and the
// deploy key's private half (tls_private_key), so it must never be written
// in plain text: enforced = true makes tofu refuse to.
const tfEncryption = `key_provider "pbkdf2" "fleet" {
  passphrase = var.` + tfStateVar + `
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
`

// tfWrapperPrefix runs before every tofu command of `nix run .#terraform`:
// the passphrase comes from clan (the command fails, and tofu never runs,
// when it cannot be read).
//
// It also applies one resource at a time (TF_CLI_ARGS_apply, which tofu
// adds to every apply's arguments): each server's install runs
// `clan machines install` in this checkout, and concurrent installs race
// on git's index lock (nixos-anywhere's `git add`, not under clan's lock)
// and on inventory.json's installedAt (read, patched and written back
// without a lock).
//
// And it reads the admin's age key from the file the development shell
// names (devShellHook): run from a plain terminal on macOS, clan would
// look in ~/Library/Application Support and find no key to decrypt the
// passphrase and the token with (clan_lib/dirs user_config_dir).
//
// Every init upgrades (TF_CLI_ARGS_init): terranix's scripts run a plain
// `tofu init` before each command (flake-module.nix mkTfScript), the
// providers come only from the Nix plugin directory (nixpkgs' opentofu
// plugin-dir patch), and a provider in .terraform.lock.hcl may only take
// its locked version (opentofu internal/providercache/installer.go): after
// a flake update that moves one, every command of an existing checkout
// would stop at init. flake.lock pins the providers; the lock file adds
// nothing.
const tfWrapperPrefix = devShellHook + `TF_CLI_ARGS_apply="-parallelism=1"
export TF_CLI_ARGS_apply
TF_CLI_ARGS_init="-upgrade"
export TF_CLI_ARGS_init
TF_VAR_` + tfStateVar + `=$(clan secrets get ` + tfStateSecret + `)
export TF_VAR_` + tfStateVar + `
TF_ENCRYPTION=$(cat <<'ENCRYPTION'
` + tfEncryption + `ENCRYPTION
)
export TF_ENCRYPTION
`

// terranixPattern is pattern 7, the terranix toggle: Hetzner Cloud servers
// created and installed by Terraform, with srvos hardware profiles.
var terranixPattern = pattern{
	name: "terranix-toggle", page: true,
	inputs: func(s *fleet) []string {
		if hasHetzner(s) {
			return []string{inTerranix, inSrvos}
		}
		return nil
	},
	machine: func(_ *fleet, m *machine, mm *machineModule) {
		if m.Class != classNixOS || m.Hetzner == nil {
			return
		}
		if m.System == "aarch64-linux" {
			mm.importAt(importHardware, machineHetznerArmImport)
		} else {
			mm.importAt(importHardware, machineHetznerImport)
		}
		mm.bindAt(bindCloudInit, machineNoMetadataKeys)
	},
	tests:     terranixTests,
	bootstrap: terranixBootstrap,
	emit:      emitTerranix,
}

func emitTerranix(b *build) {
	s := b.spec
	if !hasHetzner(s) {
		return
	}
	b.add("modules/terranix/base.nix", fixedTerranixBase)
	b.addNix("modules/terranix/hetzner.nix", terranixHetznerFile(s))
	b.add("modules/terranix/config.nix", fixedTerranixConfig)
}

func terranixHetznerFile(s *fleet) nix.File {
	var machines []nix.Binding
	for _, m := range s.Machines {
		if m.Hetzner == nil {
			continue
		}
		h := m.Hetzner
		machines = append(machines, nix.Bind(nix.Set(
			nix.Bind(nix.Bool(h.Enabled), "enabled"),
			nix.Bind(nix.Str(h.ServerType), "serverType"),
			nix.Bind(nix.Str(h.Location), "location"),
			nix.Bind(nix.Str(h.Image), "image"),
		), m.Name))
	}
	resources := nix.Set(
		tfDeployKeyBinding,
		tfKeyFileBinding,
		nix.Bind(nix.Set(
			nix.Bind(nix.Str(s.Name+tfSSHKeyName), "name"),
			tfPublicKeyBinding,
		), "hcloud_ssh_key", tfSSHKey),
		tfServersBinding,
		tfInstallBinding,
	)
	return nix.File{
		Header: []string{
			"Hetzner Cloud servers (terranix). Set enabled = false and run `nix run .#terraform`",
			"to destroy a server; set it back to true to recreate and reinstall it. Terraform",
			"state is kept either way. A new location or image replaces the server too: a new",
			"install at a new address. fleet.json is the source of these values.",
		},
		Body: nix.Set(nix.Bind(nix.Module([]string{"lib"}, nix.Let{
			Binds: []nix.Binding{
				nix.Bind(nix.Set(machines...), "machines"),
				tfEnabledBinding,
			},
			Body: nix.Set(
				tfProvidersBinding,
				nix.Bind(resources, "resource"),
				tfAddressesBinding,
			),
		}), "flake", "modules", "terranix", "hetzner")),
	}
}

// The parts of terranixHetznerFile that no spec value changes, as static
// data (composite literals; built by calls they were most of the function's
// 22 KB of wasm code). Terraform references are ${…} in plain Nix strings.
var (
	// machineNoMetadataKeys keeps the deploy key out of the installed
	// system: srvos's Hetzner hardware modules import its cloud-init mixin
	// (services.cloud-init.enable), nixpkgs' cloud-init module defaults to
	// users = [ "root" ] and disable_root = false with the ssh module on,
	// and cloud-init's cc_ssh then writes the server's Hetzner SSH keys
	// (hcloud_ssh_key.deploy, whose private half Terraform keeps) into
	// /root/.ssh/authorized_keys at first boot, which sshd reads next to
	// NixOS's own. allow_public_ssh_keys = false makes cc_ssh skip them.
	machineNoMetadataKeys = nix.Binding{
		Comment: []string{"cloud-init (on with srvos's Hetzner module) would give root the Terraform deploy key",
			"from the server's metadata at first boot; root keeps only the keys NixOS sets."},
		Path:  []string{"services", "cloud-init", "settings", "allow_public_ssh_keys"},
		Value: nix.Bool(false),
	}
	tfDeployKeyBinding = nix.Binding{
		Comment: []string{"A key for the install only: nixos-anywhere logs in to the new server with it, and the",
			"installed system leaves it out of root's keys (allow_public_ssh_keys in the machine's module)."},
		Path:  []string{"tls_private_key", tfDeployKey, "algorithm"},
		Value: &nix.String{Parts: []nix.Part{{Text: tfKeyAlgo}}},
	}
	tfKeyFileBinding = nix.Binding{
		Path: []string{"local_sensitive_file", tfDeployKey},
		Value: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"filename"}, Value: &nix.String{Parts: []nix.Part{{Text: "${path.module}/" + tfKeyFile}}}},
			{Path: []string{"file_permission"}, Value: &nix.String{Parts: []nix.Part{{Text: tfKeyPerm}}}},
			{Path: []string{"content"}, Value: &nix.String{Parts: []nix.Part{{Text: "${tls_private_key." + tfDeployKey + ".private_key_openssh}"}}}},
		}},
	}
	tfPublicKeyBinding = nix.Binding{
		Comment: []string{"Trimmed: the key ends in a newline, which Hetzner's API drops, and OpenTofu",
			"stops the apply when the stored key differs from the planned one."},
		Path:  []string{"public_key"},
		Value: &nix.String{Parts: []nix.Part{{Text: tfPublicKey}}},
	}
	tfServersBinding = nix.Binding{
		Path: []string{"hcloud_server"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mapAttrs"}}, Args: []nix.Expr{
			nix.Lambda{Param: "name", Body: nix.Lambda{Param: "m", Body: nix.Attrs{Binds: []nix.Binding{
				{Inherit: []string{"name"}},
				{Path: []string{"server_type"}, Value: nix.Select{X: nix.Ident("m"), Attrs: []string{"serverType"}}},
				{Path: []string{"location"}, Value: nix.Select{X: nix.Ident("m"), Attrs: []string{"location"}}},
				{Path: []string{"image"}, Value: nix.Select{X: nix.Ident("m"), Attrs: []string{"image"}}},
				{Path: []string{"ssh_keys"}, Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "${hcloud_ssh_key." + tfSSHKey + ".id}"}}}}},
				{
					Comment: []string{"A new deploy key would otherwise replace (and reinstall) every server."},
					Path:    []string{"lifecycle", "ignore_changes"},
					Value:   nix.List{&nix.String{Parts: []nix.Part{{Text: "ssh_keys"}}}},
				},
			}}}},
			nix.Ident("enabledMachines"),
		}},
	}
	tfInstallBinding = nix.Binding{
		Comment: []string{"Installs NixOS with clan once the server exists (and again if it is recreated)."},
		Path:    []string{"null_resource"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mapAttrs'"}}, Args: []nix.Expr{
			nix.Lambda{Param: "name", Body: nix.Lambda{Param: "_m", Body: nix.Apply{
				Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"nameValuePair"}},
				Args: []nix.Expr{
					nix.String{Parts: []nix.Part{{Text: tfInstallPfx}, {Expr: nix.Ident("name")}}},
					nix.Attrs{Binds: []nix.Binding{
						{Path: []string{"depends_on"}, Value: nix.List{nix.String{Parts: []nix.Part{{Text: "hcloud_server."}, {Expr: nix.Ident("name")}}}}},
						{Path: []string{"triggers", "server"}, Value: nix.String{Parts: []nix.Part{{Text: "${hcloud_server."}, {Expr: nix.Ident("name")}, {Text: ".id}"}}}},
						{Path: []string{"provisioner", "local-exec", "command"}, Value: nix.String{Parts: []nix.Part{
							{Text: "clan machines install "}, {Expr: nix.Ident("name")},
							{Text: " --update-hardware-config " + tfFacter + " --target-host root@${hcloud_server."}, {Expr: nix.Ident("name")},
							{Text: ".ipv4_address} -i ${local_sensitive_file." + tfDeployKey + ".filename} --yes"},
						}}},
					}},
				},
			}}},
			nix.Ident("enabledMachines"),
		}},
	}
	// tfAddressesBinding is a Terraform output: Hetzner picks a server's
	// address, the README's installs, updates and known_hosts lines need it
	// where the spec names no reachable targetHost, and only the
	// (encrypted) state holds it. terranix's flake
	// module exports a dev shell per configuration with the wrapped tofu
	// (terranixConfigurations.<name>.result.devShell), which decrypts it.
	tfAddressesBinding = nix.Binding{
		Comment: []string{"The servers' IPv4 addresses: `nix develop .#terraform -c tofu output addresses`."},
		Path:    []string{"output", "addresses", "value"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mapAttrs"}}, Args: []nix.Expr{
			nix.Lambda{Param: "name", Body: nix.Lambda{Param: "_m", Body: nix.String{Parts: []nix.Part{{Text: "${hcloud_server."}, {Expr: nix.Ident("name")}, {Text: ".ipv4_address}"}}}}},
			nix.Ident("enabledMachines"),
		}},
	}
	tfEnabledBinding = nix.Binding{
		Path: []string{"enabledMachines"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"filterAttrs"}}, Args: []nix.Expr{
			nix.Lambda{Param: "_", Body: nix.Lambda{Param: "m", Body: nix.Select{X: nix.Ident("m"), Attrs: []string{"enabled"}}}},
			nix.Ident("machines"),
		}},
	}
	tfProvidersBinding = nix.Binding{
		Path: []string{"terraform", "required_providers"},
		Value: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"tls", "source"}, Value: &nix.String{Parts: []nix.Part{{Text: tfTLSSrc}}}},
			{Path: []string{"local", "source"}, Value: &nix.String{Parts: []nix.Part{{Text: tfLocalSrc}}}},
			{Path: []string{"null", "source"}, Value: &nix.String{Parts: []nix.Part{{Text: tfNullSrc}}}},
		}},
	}
)

// terranixTests: the terranix modules behind `nix run .#terraform` exist.
func terranixTests(s *fleet) []nix.Binding {
	if !hasHetzner(s) {
		return nil
	}
	return []nix.Binding{unitTest("testTerranixModulesExist",
		"The terranix modules behind nix run .#terraform exist (lists what is missing).",
		missingFrom(selfModules("terranix"), []string{"base", "hetzner"}), nix.List{})}
}

// terranixBootstrap: the secrets Terraform reads, then the servers.
func terranixBootstrap(s *fleet) []readmeStep {
	if !hasHetzner(s) {
		return nil
	}
	var cloud, disabled []string
	for _, m := range s.Machines {
		if m.Hetzner != nil {
			if m.Hetzner.Enabled {
				cloud = append(cloud, m.Name)
			} else {
				disabled = append(disabled, m.Name)
			}
		}
	}
	return []readmeStep{
		{rank: stepCloudTokens, title: "Store the Hetzner Cloud token and the Terraform state passphrase", body: func(w *mdWriter) {
			w.WriteString("Terraform reads both from clan at plan/apply time. The state (which holds the token\n" +
				"and the deploy key) is encrypted with OpenTofu state encryption under that passphrase.\n" +
				"\n")
			w.code(
				"clan secrets set --group "+adminGroup+" "+tfTokenSecret+"   # paste the token",
				"head -c 32 /dev/urandom | base64 | clan secrets set --group "+adminGroup+" "+tfStateSecret,
			)
		}},
		{rank: stepCloud, title: "Create the cloud servers and install them", body: func(w *mdWriter) {
			if len(cloud) > 0 {
				w.line("Creates ", readmeCodeList(cloud), " on Hetzner Cloud and installs NixOS on each with")
				w.line("`clan machines install` (run by Terraform, one at a time). Use `nix run .#terraform.plan` to preview.")
			} else {
				// hetzner.nix declares the deploy key and its hcloud_ssh_key
				// outside the per-machine maps: they exist either way.
				w.WriteString("No Hetzner machine is enabled, so this creates no server yet, only the deploy key\n" +
					"and its Hetzner Cloud SSH key entry.\n")
			}
			if len(disabled) > 0 {
				w.line("Disabled (not created): ", readmeCodeList(disabled), ". Set `hetzner.enabled` to true in")
				w.WriteString("`fleet.json` (or `enabled = true` in `modules/terranix/hetzner.nix`) and run it again;\n" +
					"setting it back to false destroys the server on the next run.\n")
			}
			if len(cloud) > 0 {
				// clan_lib/machines/install.py: after --update-hardware-config
				// it commits the report, and it records installedAt in
				// inventory.json (persist_state), committed too.
				w.WriteString("Each install commits `machines/<machine>/facter.json` (the hardware facts clan reads\n" +
					"from then on) and `inventory.json` (the install time) by itself.\n")
			}
			w.WriteString("Commit the encrypted `terraform/terraform.tfstate` so every admin shares it. Nothing\n" +
				"locks it: run Terraform from an up-to-date checkout, one admin at a time, and push the\n" +
				"state right after.\n" +
				"\n")
			w.code("nix run .#terraform", "git add terraform/terraform.tfstate && git commit -m 'terraform state'")
			if len(cloud) > 0 {
				// Hetzner picks the addresses: later steps ask for
				// root@<address> (tfAddressesBinding).
				// terranix's flake-module.nix: only its scripts (init,
				// plan, apply, destroy) link config.tf.json into
				// terraform/, as a link into the Nix store (no GC root);
				// the dev shell's tofu only changes into it. The state's
				// encryption (TF_ENCRYPTION, set by the wrapper) reads
				// var.state_passphrase, which only that configuration
				// declares, so without the link tofu cannot read the state.
				w.WriteString("Their addresses, for the `<address>` of the steps below (or see the Hetzner Console). On a\n" +
					"new checkout, or after a garbage collection, run `init` first: the state's encryption reads a\n" +
					"variable that only the configuration declares, and only terranix's scripts link it (from the\n" +
					"Nix store, which a garbage collection may empty) into `terraform/`.\n" +
					"\n")
				w.code("nix run .#terraform.init   # on a new checkout, or after a garbage collection",
					"nix develop .#terraform -c tofu output addresses")
				// clan_lib/machines/nixos_anywhere.py: nixos-anywhere
				// hardcodes StrictHostKeyChecking=no for the install;
				// clan_cli/machines/update.py: --host-key-check ask.
				w.WriteString("The install checks no host key (nixos-anywhere), and the first `clan machines update`\n" +
					"would ask you to accept whatever key answers. Trust each server's own instead, clan's,\n" +
					"kept in `vars/` (`ssh-keygen -R` drops an older entry for a reused address):\n" +
					"\n")
				knownHostsCode(w, s, true)
			}
		}},
	}
}
