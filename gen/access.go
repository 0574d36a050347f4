package gen

import (
	"slices"
	"strings"
)

// Reader is one age key that can open a secret file.
type Reader struct {
	// Kind is "admin", "user" or "machine", or "group" for clan's admins
	// group (every clan admin: the spec's admins and admin users).
	Kind string `json:"kind"`
	// Name is the admin, user or machine name from the spec, or the group's.
	Name string `json:"name"`
	// Recipient is the age1… recipient.
	Recipient string `json:"recipient"`
	// Anchor is the key's anchor in .sops.yaml (without the &).
	Anchor string `json:"anchor"`
}

// Tiers of [SecretFile]: who encrypts the files, and how readers are chosen.
const (
	// TierSopsNix files are sops-nix files encrypted per .sops.yaml.
	TierSopsNix = "sops-nix"
	// TierClanVars files are clan vars: encrypted by `clan vars generate`
	// for the machines that deploy them and the clan admins.
	TierClanVars = "clan vars"
	// TierClanSecrets files are clan secrets (`clan secrets set`),
	// encrypted for the admins group.
	TierClanSecrets = "clan secrets"
)

// SecretFile is one secret location and who can decrypt it. It is the
// single source of truth for the .sops.yaml creation rules, the recipients
// of the encrypted stubs, the README and the playground's
// who-can-decrypt-what matrix, so they cannot disagree.
type SecretFile struct {
	// Tier is TierSopsNix, TierClanVars or TierClanSecrets. Only sops-nix
	// files have a Rule; clan decides the recipients of the others when it
	// writes them, from its keyring (sops/users, sops/machines,
	// sops/groups).
	Tier string `json:"tier"`
	// Path is the file Fleetyard writes (Stub is true), or a glob such as
	// secrets/hosts/<m>/*.yaml for a place the rule covers but where
	// Fleetyard writes nothing.
	Path string `json:"path"`
	// Rule is the anchored path_regex of the .sops.yaml creation rule
	// (sops-nix files only).
	Rule string `json:"rule,omitempty"`
	// Stub says Fleetyard writes an encrypted placeholder file at Path.
	Stub bool `json:"stub"`
	// Readers are the keys of the rule's single key group (any one of them
	// decrypts), in .sops.yaml order: admins, then the user or machine.
	// For clan files: the admins group, then the machines. A reader's
	// Recipient is empty when clan creates the key (a NixOS machine's age
	// key, made by `clan vars generate`).
	// A recipient can appear twice under two names (an admin who is also a
	// user with the same key); [SecretFile.Recipients] drops the repeat.
	Readers []Reader `json:"readers"`
}

// Recipients returns the distinct recipients in reader order: what the
// .sops.yaml rule lists and what the file is encrypted for.
func (f SecretFile) Recipients() []string {
	rs := make([]string, len(f.Readers))
	for i, r := range f.Readers {
		rs[i] = r.Recipient
	}
	return uniq(rs)
}

// Access lists the secret locations of the fleet: the sops-nix files in
// .sops.yaml rule order (specific before general: users, hosts, shared),
// then the clan vars and clan secrets the repository will hold once the
// README's bootstrap has run. Users without an age key and machines without
// a key known in advance get no sops-nix rule: nothing could decrypt for
// them. It returns nil when the spec's keys cannot be resolved (Generate
// reports why).
func (f *Fleet) Access() []SecretFile {
	return slices.Clone(f.m.secretFiles())
}

func access(spec *fleet, kr keyring) []SecretFile {
	secrets := map[string]bool{}
	for _, u := range spec.Users {
		if len(u.Secrets) > 0 {
			secrets[u.Name] = true
		}
	}
	var admins []Reader
	for _, h := range kr.Admins {
		admins = append(admins, readers(h)...)
	}
	with := func(rs ...[]Reader) []Reader {
		out := append([]Reader{}, admins...)
		for _, r := range rs {
			out = append(out, r...)
		}
		return out
	}
	var out []SecretFile
	var everyone [][]Reader
	for _, h := range kr.Users {
		f := SecretFile{
			Path:    userSecretsDir(h.Name) + "*.yaml",
			Rule:    "^" + quoteRegexp(userSecretsDir(h.Name)) + `[^/]+\.yaml$`,
			Readers: with(readers(h)),
		}
		if secrets[h.Name] {
			f.Path, f.Stub = userSecretsFile(h.Name), true
		}
		out = append(out, f)
		everyone = append(everyone, readers(h))
	}
	for _, h := range kr.Machines {
		out = append(out, SecretFile{
			Path:    hostSecretsDir(h.Name) + "*.yaml",
			Rule:    "^" + quoteRegexp(hostSecretsDir(h.Name)) + `[^/]+\.yaml$`,
			Readers: with(readers(h)),
		})
		everyone = append(everyone, readers(h))
	}
	if shared := with(everyone...); len(shared) > 0 {
		out = append(out, SecretFile{
			Path:    sharedSecretsFile,
			Rule:    "^" + quoteRegexp(sharedSecretsFile) + "$",
			Readers: shared,
		})
	}
	for i := range out {
		out[i].Tier = TierSopsNix
	}
	return append(out, clanAccess(spec, kr)...)
}

// clanAccess lists what clan encrypts: each machine's vars, the shared
// vars, and the clan secrets the README has the admins create. clan
// encrypts vars for the machines that deploy them, the admin running
// `clan vars generate` and the machine's default groups (clan_lib/vars/
// secret_modules/sops.py, _set): every clan admin through the admins
// group (emit_base.go).
func clanAccess(s *fleet, kr keyring) []SecretFile {
	// One reader for the group, not one per admin: clan encrypts to the
	// group, whose members are sops/groups/admins (clanUsers), and a row per
	// machine times every admin would grow as machines × admins.
	admins := []Reader{{Kind: "group", Name: adminGroup}}
	machineKey := map[string]string{}
	for _, h := range kr.Machines {
		machineKey[h.Name] = h.Recipients[0]
	}
	machine := func(name string) Reader {
		return Reader{Kind: "machine", Name: name, Recipient: machineKey[name]}
	}
	with := func(machines ...string) []Reader {
		out := make([]Reader, 0, len(admins)+len(machines))
		out = append(out, admins...)
		for _, m := range machines {
			out = append(out, machine(m))
		}
		return out
	}
	var out []SecretFile
	vars := func(path string, machines ...string) {
		out = append(out, SecretFile{Tier: TierClanVars, Path: path, Readers: with(machines...)})
	}
	for _, m := range s.Machines {
		if machineHasVars(s, m) {
			vars("vars/per-machine/"+m.Name+"/*", m.Name)
		}
	}
	// Files a generator marks deploy = false are encrypted for the admins
	// only (clan_lib/vars/_types.py: no machines for an undeployed file):
	// the emergency shell's plain password (clanServices/emergency-access),
	// the users' plain passwords (clanServices/users: only the hash is
	// deployed) and the key of the SSH certificate authority that the
	// sshd server role creates by default (clanServices/sshd, certificate).
	nixos := hasClass(s, classNixOS)
	if nixos {
		vars("vars/per-machine/*/emergency-access/password")
	}
	for _, u := range s.Users {
		var on []string
		for _, m := range u.machines {
			if m.Class == classNixOS {
				on = append(on, m.Name)
			}
		}
		if len(on) > 0 {
			gen := "vars/shared/user-password-" + u.Name + "/"
			vars(gen+"user-password-hash", on...)
			vars(gen + "user-password")
		}
	}
	if nixos {
		vars("vars/shared/openssh-ca/id_ed25519")
	}
	// clan's zerotier service keeps each member's identity in a shared
	// generator deployed to that member only (clanServices/zerotier).
	if controller(s) != nil {
		for _, m := range s.Machines {
			if m.Class == classNixOS && m.Zerotier != zerotierNone {
				vars("vars/shared/zerotier-identity-"+m.Name+"/*", m.Name)
			}
		}
	}
	for _, g := range s.Vars {
		if g.Share && generatorHasSecret(g) {
			vars("vars/shared/"+g.Name+"/*", g.Machines...)
		}
	}
	secret := func(name string) {
		out = append(out, SecretFile{Tier: TierClanSecrets, Path: "sops/secrets/" + name + "/secret", Readers: with()})
	}
	for _, m := range s.Machines {
		if _, own := machineKey[m.Name]; !own && machineHasVars(s, m) {
			secret(m.Name + "-age.key")
		}
	}
	if hasHetzner(s) {
		secret(tfTokenSecret)
		secret(tfStateSecret)
	}
	return out
}

// machineHasVars reports whether clan generates secret vars for m: every
// NixOS machine has some (its SSH host key from the sshd service, the
// emergency-access password); a Mac has its users' SSH keys and the spec's
// generators listing it.
func machineHasVars(s *fleet, m *machine) bool {
	if m.Class == classNixOS {
		return true
	}
	for _, u := range s.Users {
		if containsMachine(u.machines, m) {
			return true
		}
	}
	for _, g := range s.Vars {
		if contains(g.Machines, m.Name) && generatorHasSecret(g) {
			return true
		}
	}
	return false
}

// sopsNixFiles keeps the sops-nix files of files: the ones .sops.yaml has
// rules for.
func sopsNixFiles(files []SecretFile) []SecretFile {
	var out []SecretFile
	for _, f := range files {
		if f.Tier == TierSopsNix {
			out = append(out, f)
		}
	}
	return out
}

func readers(h keyHolder) []Reader {
	out := make([]Reader, len(h.Recipients))
	for i, r := range h.Recipients {
		out[i] = Reader{Kind: h.Kind, Name: h.Name, Recipient: r, Anchor: h.Anchors[i]}
	}
	return out
}

const sharedSecretsFile = "secrets/shared.yaml"

func userSecretsDir(u string) string { return "secrets/home-manager/users/" + u + "/" }
func hostSecretsDir(m string) string { return "secrets/hosts/" + m + "/" }

// userSecretsFile is the sops file of user u, relative to the repository
// root. The home-manager user module sets sops.defaultSopsFile to it (as a
// path from the module's location) and declares sops.secrets.<name> = { };
// for each of the user's secrets.
func userSecretsFile(u string) string { return userSecretsDir(u) + "secrets.yaml" }

// quoteRegexp escapes the regexp metacharacters of s, like
// regexp.QuoteMeta; written out because importing regexp for this alone
// would add its whole engine to the wasm module.
func quoteRegexp(s string) string {
	const special = `\.+*?()|[]{}^$`
	var b []byte
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(special, s[i]) >= 0 {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}
