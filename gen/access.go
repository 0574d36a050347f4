package gen

import "strings"

// Reader is one age key that can open a secret file.
type Reader struct {
	// Kind is "admin", "user" or "machine".
	Kind string `json:"kind"`
	// Name is the admin, user or machine name from the spec.
	Name string `json:"name"`
	// Recipient is the age1… recipient.
	Recipient string `json:"recipient"`
	// Anchor is the key's anchor in .sops.yaml (without the &).
	Anchor string `json:"anchor"`
}

// SecretFile is one sops-nix secret location and who can decrypt it. It is
// the single source of truth for the .sops.yaml creation rules, the
// recipients of the encrypted stubs, the README and the playground's
// who-can-decrypt-what matrix, so they cannot disagree.
type SecretFile struct {
	// Path is the file Fleetyard writes (Stub is true), or a glob such as
	// secrets/hosts/<m>/*.yaml for a place the rule covers but where
	// Fleetyard writes nothing.
	Path string `json:"path"`
	// Rule is the anchored path_regex of the .sops.yaml creation rule.
	Rule string `json:"rule"`
	// Stub says Fleetyard writes an encrypted placeholder file at Path.
	Stub bool `json:"stub"`
	// Readers are the keys of the rule's single key group (any one of them
	// decrypts), in .sops.yaml order: admins, then the user or machine.
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

// Access lists the sops-nix secret locations of spec, in .sops.yaml rule
// order (specific before general: users, hosts, shared). Users without an
// age key and machines without a hostKey get no rule: nothing could decrypt
// for them. It returns nil when the spec's keys cannot be resolved (Generate
// reports why).
func Access(spec *Spec) []SecretFile {
	kr, err := buildKeyring(spec)
	if err != nil {
		return nil
	}
	return access(spec, kr)
}

// Access is [Access] with key derivations remembered across calls. The
// playground asks for the access matrix after every regeneration; without
// the cache it re-parsed every SSH key (curve arithmetic, slow in wasm).
func (c *Cache) Access(spec *Spec) []SecretFile {
	kr, err := resolveKeyring(spec, c)
	if err != nil {
		return nil
	}
	return access(spec, kr)
}

func access(spec *Spec, kr keyring) []SecretFile {
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
