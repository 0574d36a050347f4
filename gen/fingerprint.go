package gen

import (
	"sync"

	"github.com/fleetyard/fleetyard/gen/internal/keyenc"
)

// Fingerprints are the memo keys of incremental regeneration: a file that
// is a function of one machine (or user) is reprinted only when that
// entity's fingerprint changes. A fingerprint spells out every field the
// entity has (length-prefixed, so no two values run together), not only
// the fields today's emitters read, so that an emitter reading one more
// field can never be served stale bytes; TestFingerprintCoversEveryField
// changes each field in turn and requires the fingerprint to change.

// memoKey is an entity's fingerprint as a string, computed on first use and
// then shared by every file keyed on that entity: a machine's fingerprint
// enters its module's key, its disko file's, and the key of every user file
// that names it, and a 1000-machine fleet spent a tenth of a warm
// regeneration rebuilding the same bytes (and garbage) for each. The
// entity's free text comes last, so its bare fingerprint is a prefix.
type memoKey struct {
	once sync.Once
	text string
	bare int // len of the bare fingerprint
}

func (k *memoKey) get(mk func() (fingerprint, int)) *memoKey {
	k.once.Do(func() {
		f, n := mk()
		k.text, k.bare = string(f), n
	})
	return k
}

// keys computes m's fingerprints once.
func (m *machine) keys() *memoKey {
	return m.fp.get(func() (fingerprint, int) {
		f := fingerprint(make([]byte, 0, 256)).machine(m, withoutText)
		return f.machineText(m), len(f)
	})
}

// key is m's fingerprint: every field and its users' names.
func (m *machine) key() string { return m.keys().text }

// bareKey is m's fingerprint without its description: the key of the
// files that do not show it (its module's body, its disk layout, its line
// in clan/machines.nix). Only the machine module's header comment,
// the inventory and the README do, and the playground's "every machine
// changed" edit is mostly descriptions: under key() it reprinted a
// hundred machine modules and disk layouts whose bodies stayed the same
// (TestBareKeysLeaveOutOnlyUnreadText holds every file keyed so to it).
func (m *machine) bareKey() string { k := m.keys(); return k.text[:k.bare] }

// keys computes u's fingerprints once.
func (u *user) keys() *memoKey {
	return u.fp.get(func() (fingerprint, int) {
		f := fingerprint(make([]byte, 0, 256)).user(u, withoutText)
		return f.userText(u), len(f)
	})
}

// key is u's fingerprint: every field and its machines' names and classes.
func (u *user) key() string { return u.keys().text }

// bareKey is u's fingerprint without its full name and email, which only
// the user's account modules, home module and the README show: the key
// of the files that name the user without them (the machine modules, the
// clan users service, the home secrets and configurations).
func (u *user) bareKey() string { k := u.keys(); return k.text[:k.bare] }

// text says whether a fingerprint spells out an entity's free text (a
// machine's description, a user's full name and email) or leaves it out.
type text bool

const (
	withText    text = true
	withoutText text = false
)

// fingerprint accumulates length-prefixed values.
type fingerprint []byte

func (f fingerprint) str(s string) fingerprint { return keyenc.Str(f, s) }

func (f fingerprint) strs(ss []string) fingerprint { return keyenc.Strs(f, ss) }

func (f fingerprint) num(n int) fingerprint { return keyenc.Int(f, int64(n)) }

func (f fingerprint) flag(b bool) fingerprint {
	if b {
		return append(f, 't')
	}
	return append(f, 'f')
}

// machine appends every field of m (the description only withText), and
// the names of its users.
func (f fingerprint) machine(m *machine, t text) fingerprint {
	f = f.str(m.Name).str(string(m.Class)).str(m.System).strs(m.Tags).
		str(m.HostKey).str(m.TargetHost).str(m.StateVersion).str(string(m.Zerotier))
	f = f.hetzner(m.Hetzner).str(m.Disk.Layout).str(m.Disk.Device).str(m.Darwin.PrimaryUser).str(string(m.Darwin.Networking))
	f = f.num(len(m.users))
	for _, u := range m.users {
		f = f.str(u.Name)
	}
	if t {
		f = f.machineText(m)
	}
	return f
}

// machineText appends m's free text: its description.
func (f fingerprint) machineText(m *machine) fingerprint { return f.str(m.Description) }

// hetzner appends every field of a machine's hetzner block, or that it
// has none.
func (f fingerprint) hetzner(h *hetzner) fingerprint {
	if h == nil {
		return append(f, '-')
	}
	return append(f, 'H').flag(h.Enabled).str(h.ServerType).str(h.Location).str(h.Image)
}

// user appends every field of u (the full name and email only withText),
// and the names of its machines.
func (f fingerprint) user(u *user, t text) fingerprint {
	f = f.str(u.Name).num(u.UID).flag(u.Admin).str(u.Shell).
		strs(u.SSHKeys).strs(u.AgeKeys).strs(u.Aggregates).flag(u.Standalone).strs(u.Secrets).strs(u.Machines)
	f = f.num(len(u.machines))
	for _, m := range u.machines {
		f = f.str(m.Name).str(string(m.Class))
	}
	if t {
		f = f.userText(u)
	}
	return f
}

// userText appends u's free text: their full name and email.
func (f fingerprint) userText(u *user) fingerprint { return f.str(u.FullName).str(u.Email) }
