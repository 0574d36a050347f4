package gen

import "strconv"

// Field documents one field of the fleet spec. [Reference] lists them all;
// the JSON Schema ([Schema]) and the docs site's spec reference page are
// both generated from that list, so the two cannot drift apart. A test
// checks that the list covers exactly the fields of the Go types.
type Field struct {
	// Path names the field: "machines[].hetzner.serverType" ("[]" stands
	// for any element of a list).
	Path string `json:"path"`
	// Type is string, integer, boolean, object, string[] or object[].
	Type string `json:"type"`
	// Required fields must be present (and, for strings, non-empty).
	Required bool `json:"required,omitempty"`
	// Default is what an absent field means: a JSON literal ("clan",
	// true) when it is a constant, otherwise a short explanation.
	Default string `json:"default,omitempty"`
	// Enum lists the allowed values (of each element, for lists).
	Enum []string `json:"enum,omitempty"`
	// Pattern is the regular expression values (or elements) must match.
	Pattern string `json:"pattern,omitempty"`
	// MaxLength bounds the length of values (or elements), 0 for none.
	MaxLength int `json:"maxLength,omitempty"`
	// MaxItems bounds the number of elements of a list, 0 for none.
	MaxItems int `json:"maxItems,omitempty"`
	// Description says what the field is for, in one or two sentences.
	Description string `json:"description"`
}

// named is a helper for fields checked by a name rule.
func named(path string, required bool, r *nameRule, desc string) Field {
	return Field{Path: path, Type: "string", Required: required, Pattern: r.Pattern, MaxLength: r.Max, Description: desc + " Allowed: " + r.What + "."}
}

// withDefault documents what an absent field means.
func (f Field) withDefault(d string) Field {
	f.Default = d
	return f
}

func namedList(path string, r *nameRule, desc string) Field {
	f := named(path, false, r, desc)
	f.Type = "string[]"
	return f
}

// Reference returns the documentation of every spec field, parents before
// their children, in the order of the Go types. The caller owns the slice.
func Reference() []Field {
	fields := reference()
	for i := range fields {
		fields[i].MaxItems, _ = listLimit(fields[i].Path)
	}
	return fields
}

func reference() []Field {
	return []Field{
		{Path: "$schema", Type: "string", Description: "Where editors find the JSON Schema of fleet.json, for completion and inline docs: the docs site's /schema/fleet.v1.json, or a file written by fleetyard schema. Generation ignores it; the generated fleet.json keeps it."},
		{Path: "version", Type: "integer", Required: true, Enum: []string{"1"}, Description: "Spec format version. Only version 1 exists."},
		named("name", true, &ruleClanName, "Name of the clan (clan.meta.name); also used in the README and archive names."),
		named("domain", false, &ruleDomain, "Domain of the clan (clan.meta.domain). clan names each machine <machine>.<domain>, but publishes those names nowhere: they resolve only where your DNS or /etc/hosts has them.").withDefault(`"clan"`),
		{Path: "description", Type: "string", Description: "Free text about the fleet, shown at the top of the generated README."},
		{Path: "channels", Type: "object", Description: "The nixpkgs branches behind the three nixpkgs inputs: unstable for everything, a stable one per platform for hotfixes."},
		named("channels.unstable", false, &ruleBranch, "Branch of the main nixpkgs input, which clan-core, nix-darwin and home-manager follow: clan-core needs nixpkgs 25.11 or later, and the pinned nix-darwin "+develRelease+" or later in a fleet with Macs.").withDefault(`"nixpkgs-unstable"`),
		named("channels.nixos", false, &ruleBranch, "Stable branch used on Linux (input nixpkgs-linux-stable).").withDefault(strconv.Quote(defaultNixOSBranch)),
		named("channels.darwin", false, &ruleBranch, "Stable branch used on macOS (input nixpkgs-darwin-stable).").withDefault(strconv.Quote(defaultDarwinBranch)),

		{Path: "admins", Type: "object[]", Description: "Recovery recipients: their keys can decrypt every secret (the &admin anchor in .sops.yaml and a clan admin key). Needed as soon as there are secrets."},
		named("admins[].name", true, &ruleUser, "Name of the admin key (sops/users/<name> and the .sops.yaml anchor). Must not equal a user's name."),
		{Path: "admins[].sshKeys", Type: "string[]", Description: "SSH public keys (ssh-ed25519 …); each is converted to an age recipient exactly as ssh-to-age does."},
		{Path: "admins[].ageKeys", Type: "string[]", Description: "age1… recipients, used as they are."},

		{Path: "users", Type: "object[]", Description: "People with accounts on some of the machines."},
		named("users[].name", true, &ruleUser, "Login name."),
		{Path: "users[].fullName", Type: "string", Description: "Full name, for the account description and git."},
		{Path: "users[].email", Type: "string", Pattern: `^[^@\s<>"]+@[^@\s<>"]+$`, MaxLength: 254, Description: "Email address, for git."},
		{Path: "users[].uid", Type: "integer", Description: "Numeric user id. Darwin accounts need one (nix-darwin manages only accounts with a fixed uid); darwin ids start at 501, NixOS ones at 1000. Absent: NixOS picks one."},
		{Path: "users[].admin", Type: "boolean", Default: "false", Description: "Admin rights: the wheel group on NixOS, password-less sudo, Nix trusted user, and candidate primary user of darwin machines. On a Mac the rights are given by name (sudoers, trusted-users); an account nix-darwin creates is not a macOS administrator."},
		{Path: "users[].shell", Type: "string", Default: `"zsh"`, Enum: enumShell, Description: "Login shell."},
		{Path: "users[].sshKeys", Type: "string[]", Description: "Authorized SSH public keys. The first ed25519 key also gives the user's age key (for their secrets and the clan keyring); RSA and ECDSA keys work for login only."},
		{Path: "users[].ageKeys", Type: "string[]", Description: "Extra age1… recipients for the user's secrets."},
		namedList("users[].machines", &ruleHostname, "Machines on which the account exists (names from machines)."),
		{Path: "users[].home", Type: "object", Description: "The user's home-manager setup."},
		namedList("users[].home.aggregates", &ruleAggregate, "home-manager aggregates the user imports (flake.modules.homeManager.<name>).").withDefault("core and shell, plus development for admins; an empty list takes it too"),
		{Path: "users[].home.standalone", Type: "boolean", Default: "true", Description: `Also expose homeConfigurations."<user>@<system>" for use without NixOS or nix-darwin.`},
		namedList("users[].secrets", &ruleFileName, "Names of the user's secrets in secrets/home-manager/users/<user>/secrets.yaml (sops-nix). Needs an age key and an admin."),

		{Path: "machines", Type: "object[]", Required: true, Description: "The NixOS and nix-darwin hosts. At least one."},
		named("machines[].name", true, &ruleHostname, "Hostname, clan machine name, terranix key and vars directory."),
		{Path: "machines[].class", Type: "string", Required: true, Enum: enumClass, Description: "Operating system: nixos or darwin (nix-darwin on macOS)."},
		{Path: "machines[].system", Type: "string", Enum: enumSystem, Default: "x86_64-linux for nixos, aarch64-darwin for darwin", Description: "Nix system; must match the class."},
		{Path: "machines[].description", Type: "string", Description: "Free text, shown in the clan inventory and the README."},
		namedList("machines[].tags", &ruleTag, "Clan inventory tags (all, nixos and darwin are added by clan itself)."),
		{Path: "machines[].hostKey", Type: "string", Description: "Macs: the Mac's SSH host public key (/etc/ssh/ssh_host_ed25519_key.pub, once Remote Login is on), or an age1… recipient, whose identity you then put in /var/lib/sops-nix/key.txt on the Mac. The Mac decrypts its clan vars with it (sops/machines/<name>/key.json, .sops.yaml host rule), so a local darwin-rebuild needs no upload. A Mac with users needs it or a targetHost. Not used for NixOS machines: clan makes their keys."},
		named("machines[].targetHost", false, &ruleTargetHost, "Deploy target for clan ([user@]host[:port]). `clan machines update` without a name deploys the machines that have one: the others are marked clan.core.deployment.requireExplicitUpdate. Use an address your workstation reaches: clan resolves no <name>.<domain> names. For a Mac, name the account that deploys it (user@host): without a user clan logs in as root, whom nothing authorizes on a Mac. Any user but root must be an admin user with an account on the machine (clan switches through sudo). An IPv6 address goes in brackets; a NixOS machine listens for SSH on port 22 after its install."),
		named("machines[].stateVersion", false, &ruleStateVersion, "system.stateVersion: the release the machine was first installed with (nix-darwin: 1 to "+maxDarwinStateVersion+").").withDefault(strconv.Quote(defaultStateVersion) + " for nixos, " + strconv.Quote(defaultDarwinStateVersion) + " for darwin"),
		{Path: "machines[].zerotier", Type: "string", Enum: enumZerotier, Default: `"peer"`, Description: "Role in the clan zerotier network. At most one controller, and it must be a nixos machine."},
		{Path: "machines[].hetzner", Type: "object", Description: "Makes the machine a Hetzner Cloud server managed by terranix (nixos, x86_64-linux or aarch64-linux only)."},
		{Path: "machines[].hetzner.enabled", Type: "boolean", Default: "true", Description: "Whether the server exists; false destroys it on the next apply and keeps its configuration."},
		named("machines[].hetzner.serverType", false, &ruleHetzner, "Hetzner server type (cx23, cpx21, …; cax… for aarch64-linux).").withDefault(`"cx43"`),
		named("machines[].hetzner.location", false, &ruleHetzner, "Hetzner location (fsn1, nbg1, hel1, …).").withDefault(`"fsn1"`),
		named("machines[].hetzner.image", false, &ruleHetzner, "Image the server boots before clan installs NixOS on it.").withDefault(`"debian-12"`),
		{Path: "machines[].disk", Type: "object", Default: "ext4 on /dev/sda for nixos", Description: "disko disk layout (nixos only)."},
		{Path: "machines[].disk.layout", Type: "string", Enum: enumLayout, Default: `"ext4"`, Description: "Root file system. zfs makes datasets for /, /nix and /home, and clan's ZFS auto-snapshots take / and /home."},
		named("machines[].disk.device", false, &ruleDevice, "The install disk; its contents are erased on install.").withDefault(`"/dev/sda"`),
		{Path: "machines[].darwin", Type: "object", Description: "nix-darwin settings (darwin only)."},
		named("machines[].darwin.primaryUser", false, &ruleUser, "system.primaryUser: an admin user with an account on this machine.").withDefault("the first admin user on the machine"),
		{Path: "machines[].darwin.networking", Type: "string", Enum: enumNetworking, Default: `"homebrew"`, Description: "How the Mac joins zerotier: the homebrew cask, a nix-managed launchd daemon, or not at all."},

		{Path: "overlays", Type: "object", Description: "Contents of overlay layers 2 to 5 (layer 1, the channels, is always there)."},
		{Path: "overlays.hotfixes", Type: "object[]", Description: "Layer 2: packages taken from the stable channel because they are broken on unstable."},
		named("overlays.hotfixes[].package", true, &ruleAttr, "nixpkgs attribute name (not stable or unstable, the channels of layer 1)."),
		{Path: "overlays.hotfixes[].platforms", Type: "string[]", Enum: enumPlatform, Default: `["darwin","linux"]`, Description: "Where to apply the hotfix. An empty list means both platforms, as when it is left out."},
		{Path: "overlays.hotfixes[].reason", Type: "string", Description: "Why unstable is broken; kept as a comment next to the hotfix."},
		named("overlays.hotfixes[].added", false, &ruleDate, "Date the hotfix was added, so stale ones stand out."),
		{Path: "overlays.packages", Type: "object[]", Description: "Layer 3: custom packages in pkgs/by-name."},
		named("overlays.packages[].name", true, &rulePackage, "Package name (pkgs/by-name/<name>/package.nix); not stable or unstable, nor terraform next to hetzner machines."),
		{Path: "overlays.packages[].version", Type: "string", Description: "Version of the package stub."},
		{Path: "overlays.packages[].description", Type: "string", Description: "meta.description of the package stub."},
		{Path: "overlays.overrides", Type: "object[]", Description: "Layer 4: changes to existing packages with overrideAttrs."},
		named("overlays.overrides[].package", true, &ruleAttr, "nixpkgs attribute name (not stable or unstable)."),
		{Path: "overlays.overrides[].doCheck", Type: "boolean", Description: "Sets doCheck (false skips the test suite). Absent: unchanged."},
		{Path: "overlays.overrides[].reason", Type: "string", Description: "Why the override exists; kept as a comment."},
		{Path: "overlays.flakeOverlays", Type: "object[]", Description: "Layer 5: overlays from other flakes, each added as a flake input."},
		named("overlays.flakeOverlays[].input", true, &ruleAttr, "Flake input name; must not clash with the generated inputs (nixpkgs, clan-core, …)."),
		{Path: "overlays.flakeOverlays[].url", Type: "string", Required: true, Pattern: `^[A-Za-z][A-Za-z0-9+.-]*:[^\s"\\` + "`" + `]+$`, Description: "Flake reference of the input (github:owner/repo, git+https://…, path:…)."},
		named("overlays.flakeOverlays[].overlay", false, &ruleAttr, "Attribute of inputs.<input>.overlays to apply.").withDefault(`"default"`),

		{Path: "vars", Type: "object[]", Description: "Extra clan vars generators (machine secrets and values, created by clan vars generate)."},
		named("vars[].name", true, &ruleFileName, "Generator name (clan.core.vars.generators.<name>)."),
		namedList("vars[].machines", &ruleHostname, "Machines that get this generator."),
		{Path: "vars[].share", Type: "boolean", Default: "false", Description: "Share one value between all the machines instead of one per machine."},
		{Path: "vars[].prompts", Type: "object[]", Description: "Values asked from the operator while generating."},
		named("vars[].prompts[].name", true, &ruleFileName, "Prompt name; the script reads it from $prompts/<name>."),
		{Path: "vars[].prompts[].type", Type: "string", Enum: enumPrompt, Default: `"line"`, Description: "How the value is asked for."},
		{Path: "vars[].prompts[].description", Type: "string", Description: "Question shown to the operator."},
		{Path: "vars[].files", Type: "object[]", Description: "Files the generator produces. At least one."},
		named("vars[].files[].name", true, &ruleFileName, "File name; the script writes it to $out/<name>."),
		{Path: "vars[].files[].secret", Type: "boolean", Default: "true", Description: "Encrypt the file (false stores it in plain text, for public values)."},
		{Path: "vars[].files[].neededFor", Type: "string", Enum: enumNeededFor, Default: `"services"`, Description: "Where the file goes and when it exists: services and users are sops-nix secrets (users ones decrypted before the accounts are made); activation files are plain files clan uploads at each install and update; partitioning files exist only during clan machines install. A Mac gets users and services files, and activation ones only without a hostKey."},
		namedList("vars[].runtimeInputs", &ruleAttr, "nixpkgs packages the script runs (top-level attribute names, like openssl): clan puts them and coreutils on its PATH, and nothing else."),
		{Path: "vars[].script", Type: "string", Description: "Shell script that writes every file to $out/<file>, reading prompts from $prompts/<prompt>. Required when there are files."},

		{Path: "checks", Type: "object", Description: "Which parts of the generated test harness to include."},
		{Path: "checks.nixUnit", Type: "boolean", Default: "true", Description: "nix-unit tests of the flake's structure."},
		{Path: "checks.integration", Type: "boolean", Default: "true", Description: "NixOS VM tests (built on Linux with KVM only)."},
		{Path: "checks.validation", Type: "boolean", Default: "true", Description: "Consistency checks: naming, home configurations, .sops.yaml against the key files."},
		{Path: "checks.performance", Type: "boolean", Default: "false", Description: "Evaluation-time budget check."},
	}
}
