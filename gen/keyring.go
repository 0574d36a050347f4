package gen

import (
	"errors"
	"slices"
	"strconv"
)

// keyHolder is someone (or some machine) holding age keys, with the .sops.yaml
// anchor of each key.
type keyHolder struct {
	Kind       string // "admin", "user" or "machine"
	Name       string
	Index      int      // position in the spec's admins, users or machines
	Recipients []string // age1…, in spec order, without repeats
	Anchors    []string // one per recipient
}

// keyring is every age recipient the spec gives, grouped by holder and
// sorted by name within each group, so the output does not depend on the
// order of the spec's lists.
type keyring struct {
	Admins   []keyHolder
	Users    []keyHolder // only users with at least one age key
	Machines []keyHolder // only darwin machines with a convertible hostKey
}

// Anchor names in .sops.yaml:
//
//	admin  "a":     &a, then &a-2, &a-3 … for further keys
//	user   "u":     &u-user, then &u-user-2 …
//	machine "m":    &m
//
// The "-user" suffix keeps a user and a machine of the same name apart (a
// common case). The remaining clashes (an admin and a machine with the same
// name; a machine called "u-user" next to user "u"; "a-2" next to an admin
// "a" with two keys) are reported as errors naming both holders, rather than
// renamed silently, because the anchors are what people read and grep.
func anchorsFor(kind, name string, n int) []string {
	base := name
	if kind == "user" {
		base = name + "-user"
	}
	out := make([]string, n)
	for i := range out {
		out[i] = base
		if i > 0 {
			out[i] = base + "-" + strconv.Itoa(i+1)
		}
	}
	return out
}

// buildKeyring resolves recipients:
//   - admins: every ssh-ed25519 key, then every ageKeys entry;
//   - users: the first ssh-ed25519 key (the user's age key, as in clan and
//     sops-nix), then every ageKeys entry;
//   - machines: hostKey when it is ssh-ed25519 (or a raw age1… key).
//
// SSH keys that cannot become age keys (RSA, ECDSA, security keys) are
// skipped here; validation reports them. An ageKeys entry or hostKey that
// does not parse is an error, because dropping it would silently lock
// someone out.
//
// Parse builds the keyring of a spec twice, in validation (anchor clashes)
// and in resolve: with a Cache, the second time is the first's result.
func buildKeyring(s *Spec, cache *Cache) (keyring, error) {
	if cache == nil {
		return keyringOf(s, nil)
	}
	cache.mu.Lock()
	last := cache.ring
	cache.mu.Unlock()
	if last.spec == s {
		return last.kr, last.err
	}
	kr, err := keyringOf(s, cache)
	cache.mu.Lock()
	cache.ring = builtRing{spec: s, kr: kr, err: err}
	cache.mu.Unlock()
	return kr, err
}

// builtRing is the keyring built last, for the spec it was built from
// (read-only from Parse's defaults on, so its address names its content).
type builtRing struct {
	spec *Spec
	kr   keyring
	err  error
}

// keyringOf is buildKeyring without the Cache's copy of the last one.
func keyringOf(s *Spec, cache *Cache) (keyring, error) {
	var kr keyring
	for i, a := range s.Admins {
		var rs []string
		for _, k := range a.SSHKeys {
			if r, ok := ed25519Recipient(cache, k); ok {
				rs = append(rs, r)
			}
		}
		for j, k := range a.AgeKeys {
			r, err := ageRecipient(cache, k)
			if err != nil {
				return kr, errors.New("admins[" + strconv.Itoa(i) + "].ageKeys[" + strconv.Itoa(j) + "]: " + err.Error())
			}
			rs = append(rs, r)
		}
		if h, ok := holder("admin", i, a.Name, rs); ok {
			kr.Admins = append(kr.Admins, h)
		}
	}
	for i, u := range s.Users {
		var rs []string
		for _, k := range u.SSHKeys {
			if r, ok := ed25519Recipient(cache, k); ok {
				rs = append(rs, r)
				break
			}
		}
		for j, k := range u.AgeKeys {
			r, err := ageRecipient(cache, k)
			if err != nil {
				return kr, errors.New("users[" + strconv.Itoa(i) + "].ageKeys[" + strconv.Itoa(j) + "]: " + err.Error())
			}
			rs = append(rs, r)
		}
		if h, ok := holder("user", i, u.Name, rs); ok {
			kr.Users = append(kr.Users, h)
		}
	}
	for i, m := range s.Machines {
		// Only Macs: clan creates a NixOS machine's age key itself at
		// `clan vars generate` and uploads it as key.txt, but only when
		// sops/machines/<m> does not exist yet
		// (clan_lib/vars/secret_modules/sops.py: ensure_machine_key returns
		// early, populate_dir skips a key "not managed by us"), and without
		// that key.txt clan's sops module leaves sops.age.keyFile unset
		// (nixosModules/clanCore/vars/secret/sops). A Mac is activated
		// locally, so it decrypts with its own SSH host key instead.
		if m.HostKey == "" || class(m.Class) != classDarwin {
			continue
		}
		k, err := cache.parseKey(m.HostKey)
		if err != nil {
			return kr, errors.New("machines[" + strconv.Itoa(i) + "].hostKey: " + err.Error())
		}
		if h, ok := holder("machine", i, m.Name, []string{k.Recipient}); ok {
			kr.Machines = append(kr.Machines, h)
		}
	}
	for _, hs := range [][]keyHolder{kr.Admins, kr.Users, kr.Machines} {
		sortStable(hs, func(a, b *keyHolder) bool { return a.Name < b.Name })
	}
	seen := map[string]keyHolder{}
	for _, hs := range [][]keyHolder{kr.Admins, kr.Users, kr.Machines} {
		for _, h := range hs {
			for _, a := range h.Anchors {
				if prev, dup := seen[a]; dup {
					return kr, &anchorClash{Anchor: a, First: prev, Second: h}
				}
				seen[a] = h
			}
		}
	}
	return kr, nil
}

// anchorClash is two key holders whose .sops.yaml anchors would be the
// same. The checker reports it on the second holder's name.
type anchorClash struct {
	Anchor        string
	First, Second keyHolder
}

func (e *anchorClash) Error() string {
	return ".sops.yaml anchor &" + e.Anchor + " would name both " + e.First.Kind + " " + strconv.Quote(e.First.Name) +
		" and " + e.Second.Kind + " " + strconv.Quote(e.Second.Name) + "; rename one of them"
}

// path is the spec field of h's name.
func (h keyHolder) path() string {
	switch h.Kind {
	case "admin":
		return idx("admins", h.Index) + ".name"
	case "user":
		return idx("users", h.Index) + ".name"
	}
	return idx("machines", h.Index) + ".name"
}

func holder(kind string, index int, name string, rs []string) (keyHolder, bool) {
	rs = uniq(rs)
	if len(rs) == 0 {
		return keyHolder{}, false
	}
	return keyHolder{Kind: kind, Name: name, Index: index, Recipients: rs, Anchors: anchorsFor(kind, name, len(rs))}, true
}

func ed25519Recipient(cache *Cache, line string) (string, bool) {
	k, err := cache.parseKey(line)
	if err != nil || k.Type != "ssh-ed25519" {
		return "", false
	}
	return k.Recipient, true
}

func ageRecipient(cache *Cache, s string) (string, error) {
	k, err := cache.parseKey(s)
	if err != nil {
		return "", err
	}
	return k.Recipient, nil
}

// uniq drops repeats, keeping the first occurrence.
func uniq(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// clanUsers is the clan keyring's sops/users/<name>/key.json content: spec
// admins and admin users, each with the union of their recipients (an admin
// and a user may share a name; then they are one clan user). Sorted by name,
// recipients sorted within.
func clanUsers(s *fleet, kr keyring) []keyHolder {
	admin := map[string]bool{}
	for _, u := range s.Users {
		if u.Admin {
			admin[u.Name] = true
		}
	}
	byName := map[string][]string{}
	for _, h := range kr.Admins {
		byName[h.Name] = append(byName[h.Name], h.Recipients...)
	}
	for _, h := range kr.Users {
		if admin[h.Name] {
			byName[h.Name] = append(byName[h.Name], h.Recipients...)
		}
	}
	var out []keyHolder
	for name, rs := range byName {
		rs = uniq(rs)
		slices.Sort(rs)
		out = append(out, keyHolder{Kind: "admin", Name: name, Recipients: rs})
	}
	sortStable(out, func(a, b *keyHolder) bool { return a.Name < b.Name })
	return out
}
