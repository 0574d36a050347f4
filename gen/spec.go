package gen

// Spec is a fleet spec, version 1: the contents of fleet.json. Field names
// follow the JSON contract in docs; every field has a documented default that
// [Parse] fills in.
type Spec struct {
	// Schema is the "$schema" member editors read to find the JSON Schema
	// (completion, inline docs). Generation ignores it; the generated
	// fleet.json keeps it, so the editor keeps working on the copy in the
	// repository, which is the one `fleetyard update` regenerates from.
	Schema string `json:"$schema,omitempty"`
	// Version is the spec format version; only 1 exists.
	Version int `json:"version"`
	// Name is the clan name (clan.meta.name): ^[a-z][a-z0-9-]*$.
	Name string `json:"name"`
	// Domain is the clan domain (clan.meta.domain), default "clan".
	Domain string `json:"domain,omitempty"`
	// Description is free text used in the generated README.
	Description string `json:"description,omitempty"`
	// Channels names the nixpkgs branches to follow.
	Channels Channels `json:"channels,omitempty"`
	// Admins are recovery/admin recipients that can decrypt every secret.
	Admins []Admin `json:"admins,omitempty"`
	// Users are the people with accounts on the fleet.
	Users []User `json:"users,omitempty"`
	// Machines are the NixOS and nix-darwin hosts.
	Machines []Machine `json:"machines"`
	// Overlays are the five overlay layers' contents.
	Overlays Overlays `json:"overlays,omitempty"`
	// Vars are extra clan vars generators.
	Vars []VarGenerator `json:"vars,omitempty"`
	// Checks toggles the categories of the generated test harness.
	Checks Checks `json:"checks,omitempty"`
}

// Channels are the nixpkgs branch names used for the three nixpkgs inputs.
type Channels struct {
	// Unstable is the branch of the main nixpkgs input (default "nixpkgs-unstable").
	Unstable string `json:"unstable,omitempty"`
	// NixOS is the stable branch for Linux (default "nixos-26.05").
	NixOS string `json:"nixos,omitempty"`
	// Darwin is the stable branch for macOS (default "nixpkgs-26.05-darwin").
	Darwin string `json:"darwin,omitempty"`
}

// Admin is a recovery recipient: its keys can decrypt every secret file.
type Admin struct {
	// Name is the anchor name in .sops.yaml: ^[a-z_][a-z0-9_-]*$.
	Name string `json:"name"`
	// SSHKeys are public SSH keys; ed25519 ones give age recipients.
	SSHKeys []string `json:"sshKeys,omitempty"`
	// AgeKeys are age1… recipients used as they are.
	AgeKeys []string `json:"ageKeys,omitempty"`
}

// User is a person with an account on some machines.
type User struct {
	// Name is the login name: ^[a-z_][a-z0-9_-]*$, at most 32 characters.
	Name string `json:"name"`
	// FullName is used for git and the account description.
	FullName string `json:"fullName,omitempty"`
	// Email is used for git.
	Email string `json:"email,omitempty"`
	// UID is the numeric user id; darwin users usually need one.
	UID int `json:"uid,omitempty"`
	// Admin puts the user in wheel/admin, gives sudo and trusted-users.
	Admin bool `json:"admin,omitempty"`
	// Shell is zsh, bash or fish (default zsh).
	Shell string `json:"shell,omitempty"`
	// SSHKeys are the user's authorized keys; the first ed25519 key gives
	// the user's age key.
	SSHKeys []string `json:"sshKeys,omitempty"`
	// AgeKeys are extra age1… recipients for the user.
	AgeKeys []string `json:"ageKeys,omitempty"`
	// Machines lists the machines where the account exists.
	Machines []string `json:"machines,omitempty"`
	// Home configures the user's home-manager setup.
	Home Home `json:"home,omitempty"`
	// Secrets are the names in secrets/home-manager/users/<u>/secrets.yaml.
	Secrets []string `json:"secrets,omitempty"`
}

// Home is a user's home-manager configuration.
type Home struct {
	// Aggregates are the home-manager aggregates the user gets
	// (default: core, shell, plus development for admins).
	Aggregates []string `json:"aggregates,omitempty"`
	// Standalone also exposes homeConfigurations."<u>@<system>" (default true).
	Standalone *bool `json:"standalone,omitempty"`
}

// Machine is one host of the fleet.
type Machine struct {
	// Name is the hostname and clan machine name: ^[a-z][a-z0-9-]*$.
	Name string `json:"name"`
	// Class is nixos or darwin.
	Class string `json:"class"`
	// System is the Nix system (default x86_64-linux for nixos,
	// aarch64-darwin for darwin).
	System string `json:"system,omitempty"`
	// Description is free text shown in the clan inventory.
	Description string `json:"description,omitempty"`
	// Tags are clan inventory tags (all, nixos and darwin are reserved).
	Tags []string `json:"tags,omitempty"`
	// HostKey is the machine's SSH host public key, when it exists already.
	//
	// Used for Macs only: it becomes the Mac's age key in
	// sops/machines/<name>, so the Mac decrypts its vars with its own host
	// key. clan makes NixOS machines' keys itself.
	HostKey string `json:"hostKey,omitempty"`
	// TargetHost is the deploy target (user@host).
	TargetHost string `json:"targetHost,omitempty"`
	// StateVersion is system.stateVersion (default "26.05"; darwin uses 6).
	StateVersion string `json:"stateVersion,omitempty"`
	// Zerotier is this machine's zerotier role: controller, peer or none
	// (default peer).
	Zerotier string `json:"zerotier,omitempty"`
	// Hetzner makes it a Hetzner Cloud server managed by terranix.
	Hetzner *Hetzner `json:"hetzner,omitempty"`
	// Disk is the disko layout (nixos only).
	Disk *Disk `json:"disk,omitempty"`
	// Darwin holds nix-darwin settings (darwin only).
	Darwin *Darwin `json:"darwin,omitempty"`
}

// Hetzner describes a Hetzner Cloud server for the terranix toggle.
type Hetzner struct {
	// Enabled creates the server; false destroys it on the next apply.
	// Default true when the hetzner block is present.
	Enabled *bool `json:"enabled"`
	// ServerType is the Hetzner server type (default "cx43").
	ServerType string `json:"serverType,omitempty"`
	// Location is the Hetzner location (default "fsn1").
	Location string `json:"location,omitempty"`
	// Image is the bootstrap image (default "debian-12").
	Image string `json:"image,omitempty"`
}

// Disk is a disko layout.
type Disk struct {
	// Layout is zfs or ext4 (default ext4).
	Layout string `json:"layout,omitempty"`
	// Device is the install disk (default /dev/sda).
	Device string `json:"device,omitempty"`
}

// Darwin holds nix-darwin settings.
type Darwin struct {
	// PrimaryUser is system.primaryUser; an admin user on this machine.
	PrimaryUser string `json:"primaryUser,omitempty"`
	// Networking is how zerotier joins: homebrew, launchd or none
	// (default homebrew).
	Networking string `json:"networking,omitempty"`
}

// Overlays are the contents of overlay layers 2–5 (layer 1, channels, is
// always present).
type Overlays struct {
	// Hotfixes take packages from the stable channel (layer 2).
	Hotfixes []Hotfix `json:"hotfixes,omitempty"`
	// Packages are custom packages in pkgs/by-name (layer 3).
	Packages []Package `json:"packages,omitempty"`
	// Overrides modify existing packages with overrideAttrs (layer 4).
	Overrides []Override `json:"overrides,omitempty"`
	// FlakeOverlays apply overlays of other flakes (layer 5).
	FlakeOverlays []FlakeOverlay `json:"flakeOverlays,omitempty"`
}

// Hotfix takes a package from the stable channel on some platforms.
type Hotfix struct {
	// Package is the nixpkgs attribute name.
	Package string `json:"package"`
	// Platforms are linux and/or darwin (default both).
	Platforms []string `json:"platforms,omitempty"`
	// Reason is why unstable is broken; kept as a comment.
	Reason string `json:"reason,omitempty"`
	// Added is the date the hotfix was added (YYYY-MM-DD).
	Added string `json:"added,omitempty"`
}

// Package is a custom package in pkgs/by-name.
type Package struct {
	// Name is the attribute and directory name under pkgs/by-name.
	Name string `json:"name"`
	// Version is the package version.
	Version string `json:"version,omitempty"`
	// Description becomes meta.description.
	Description string `json:"description,omitempty"`
}

// Override modifies an existing package with overrideAttrs.
type Override struct {
	// Package is the nixpkgs attribute name.
	Package string `json:"package"`
	// DoCheck, when set, sets doCheck.
	DoCheck *bool `json:"doCheck,omitempty"`
	// Reason is kept as a comment next to the override.
	Reason string `json:"reason,omitempty"`
}

// FlakeOverlay adds a flake input and applies one of its overlays.
type FlakeOverlay struct {
	// Input is the flake input name.
	Input string `json:"input"`
	// URL is the flake reference.
	URL string `json:"url"`
	// Overlay is the attribute of inputs.<input>.overlays (default "default").
	Overlay string `json:"overlay,omitempty"`
}

// VarGenerator is an extra clan vars generator.
type VarGenerator struct {
	// Name is the generator name (clan.core.vars.generators.<name>).
	Name string `json:"name"`
	// Machines are the machines that get the generator.
	Machines []string `json:"machines,omitempty"`
	// Share makes one value shared by all listed machines (vars/shared).
	Share bool `json:"share,omitempty"`
	// Prompts are asked during `clan vars generate`.
	Prompts []VarPrompt `json:"prompts,omitempty"`
	// Files are what the script writes to $out.
	Files []VarFile `json:"files,omitempty"`
	// RuntimeInputs are the nixpkgs packages (top-level attribute names,
	// like "openssl") the script runs; clan puts them and coreutils on its
	// PATH, and nothing else.
	RuntimeInputs []string `json:"runtimeInputs,omitempty"`
	// Script writes each file to $out/<file>, reading prompts from $prompts/<p>.
	Script string `json:"script,omitempty"`
}

// VarPrompt asks the operator for a value during `clan vars generate`.
type VarPrompt struct {
	// Name is the prompt name; the script reads $prompts/<name>.
	Name string `json:"name"`
	// Type is hidden, line, multiline or multiline-hidden (default line).
	Type string `json:"type,omitempty"`
	// Description is shown when prompting.
	Description string `json:"description,omitempty"`
}

// VarFile is one file a generator produces.
type VarFile struct {
	// Name is the file name under $out.
	Name string `json:"name"`
	// Secret defaults to true.
	Secret *bool `json:"secret,omitempty"`
	// NeededFor is partitioning, activation, users or services (default
	// services). A Mac gets users and services files, and activation
	// files only without a hostKey.
	NeededFor string `json:"neededFor,omitempty"`
}

// Checks toggles test-harness categories.
type Checks struct {
	// NixUnit adds evaluation tests with nix-unit (default true).
	NixUnit *bool `json:"nixUnit,omitempty"`
	// Integration adds NixOS VM tests (default true).
	Integration *bool `json:"integration,omitempty"`
	// Validation adds naming and keyring checks (default true).
	Validation *bool `json:"validation,omitempty"`
	// Performance adds an evaluation-time check (default false).
	Performance *bool `json:"performance,omitempty"`
}
