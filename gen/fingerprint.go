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
// regeneration rebuilding the same bytes (and garbage) for each.
type memoKey struct {
	once sync.Once
	text string
}

func (k *memoKey) get(mk func() fingerprint) string {
	k.once.Do(func() { k.text = string(mk()) })
	return k.text
}

// key is m's fingerprint: every field and its users' names.
func (m *machine) key() string {
	return m.fp.get(func() fingerprint { return fingerprint(make([]byte, 0, 256)).machine(m) })
}

// key is u's fingerprint: every field and its machines' names and classes.
func (u *user) key() string {
	return u.fp.get(func() fingerprint { return fingerprint(make([]byte, 0, 256)).user(u) })
}

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

// machine appends every field of m, and the names of its users.
func (f fingerprint) machine(m *machine) fingerprint {
	f = f.str(m.Name).str(string(m.Class)).str(m.System).str(m.Description).strs(m.Tags).
		str(m.HostKey).str(m.TargetHost).str(m.StateVersion).str(string(m.Zerotier))
	f = f.hetzner(m.Hetzner).str(m.Disk.Layout).str(m.Disk.Device).str(m.Darwin.PrimaryUser).str(string(m.Darwin.Networking))
	f = f.num(len(m.users))
	for _, u := range m.users {
		f = f.str(u.Name)
	}
	return f
}

// hetzner appends every field of a machine's hetzner block, or that it
// has none.
func (f fingerprint) hetzner(h *hetzner) fingerprint {
	if h == nil {
		return append(f, '-')
	}
	return append(f, 'H').flag(h.Enabled).str(h.ServerType).str(h.Location).str(h.Image)
}

// user appends every field of u, and the names of its machines.
func (f fingerprint) user(u *user) fingerprint {
	f = f.str(u.Name).str(u.FullName).str(u.Email).num(u.UID).flag(u.Admin).str(u.Shell).
		strs(u.SSHKeys).strs(u.AgeKeys).strs(u.Aggregates).flag(u.Standalone).strs(u.Secrets).strs(u.Machines)
	f = f.num(len(u.machines))
	for _, m := range u.machines {
		f = f.str(m.Name).str(string(m.Class))
	}
	return f
}
