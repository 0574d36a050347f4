package gen

import (
	"slices"
	"sync"
)

// The resolved model. Spec and its types are the wire format: what a user
// wrote, with optional fields as pointers and empty strings meaning "use
// the default". Emitters never see that. They read a fleet, built once per
// parse by resolve from the normalized spec (normalize.go):
//
//   - every default is already applied, so no emitter asks "is it set?";
//   - optional blocks that only exist for one class (disk for NixOS, darwin
//     for Macs) are values, read only where the class says they apply;
//   - booleans are plain booleans;
//   - names are resolved to pointers once (machine → users with an account,
//     user → machines), so no emitter searches a list by name;
//   - the keyring (who holds which age key) is derived once.
//
// Field names follow the wire types so that a reader can map one onto the
// other without a table.

// fleet is a resolved spec: what Generate, Fleet.Access and Fleet.Terraform read.
type fleet struct {
	// spec is the normalized wire form (defaults written out). fleet.json
	// prints it, so the file the user edits next says what was assumed.
	spec *Spec
	// id numbers the fleets a Cache parses (0 without one); edit relates
	// this one's text to the one parsed before it (replay.go).
	id   uint64
	edit fleetEdit

	Name, Domain, Description string
	Channels                  Channels
	Admins                    []Admin
	Users                     []*user
	Machines                  []*machine
	Overlays                  Overlays
	Vars                      []*varGen
	Checks                    checks

	machine map[string]*machine // by name
	user    map[string]*user    // by name

	keys    keyring // valid when keysErr is nil
	keysErr error

	// inputs are the flake inputs some pattern needs (gatherInputs).
	inputs map[string]bool

	// secrets are the Access rows, built on first use (secretFiles): the
	// .sops.yaml rules, the stubs, the README and the playground's matrix
	// all read the same rows.
	secretsOnce sync.Once
	secrets     []SecretFile
	// cache is the Cache that parsed the fleet (nil for Parse): it
	// remembers the last rows by what they are built from (accessMemo).
	cache *Cache
}

// secretFiles returns the fleet's Access rows, nil when its keys do not
// resolve (validation reported why). They are built once per fleet and
// shared: callers must not modify them.
func (f *fleet) secretFiles() []SecretFile {
	f.secretsOnce.Do(func() {
		if f.keysErr == nil {
			f.secrets = f.cache.accessMemo(f)
		}
	})
	return f.secrets
}

// machine is a resolved spec machine.
type machine struct {
	Name                string
	Class               class
	System, Description string
	Tags                []string
	HostKey, TargetHost string
	StateVersion        string
	Zerotier            zerotierRole
	// Hetzner is nil unless the spec has a hetzner block; Enabled says
	// whether Terraform creates the server (a disabled one keeps its
	// configuration so it can be switched back on).
	Hetzner *hetzner
	Disk    Disk   // NixOS machines only
	Darwin  darwin // Macs only

	// users have an account here, in spec user order.
	users []*user

	fp memoKey // fingerprint(nil).machine(m, withText), computed once
}

// darwin is a Mac's resolved settings.
type darwin struct {
	PrimaryUser string // resolved: the spec's choice or the first admin on the Mac
	Networking  networking
}

// hetzner is a resolved Hetzner block.
type hetzner struct {
	Enabled                     bool
	ServerType, Location, Image string
}

// user is a resolved spec user.
type user struct {
	Name, FullName, Email string
	UID                   int
	Admin                 bool
	Shell                 string
	SSHKeys, AgeKeys      []string
	Aggregates            []string // home-manager aggregates
	Standalone            bool     // standalone home configurations
	Secrets               []string
	Machines              []string // as the spec lists them

	// machines the user has an account on, in spec machine order, each
	// once (unknown names were reported by validation).
	machines []*machine

	fp memoKey // fingerprint(nil).user(u, withText), computed once
}

// varGen is a resolved clan vars generator.
type varGen struct {
	Name     string
	Machines []string
	Share    bool
	Prompts  []VarPrompt // Type defaulted
	Files    []varFile
	// RuntimeInputs are nixpkgs attribute names (validated: ruleAttr).
	RuntimeInputs []string
	Script        string
}

// varFile is a resolved generator output file.
type varFile struct {
	Name      string
	Secret    bool
	NeededFor string
}

// checks says which check categories the harness has.
type checks struct {
	NixUnit, Integration, Validation, Performance bool
}

// resolve builds the model from a normalized spec. It does not validate:
// Parse has, and a spec with errors never reaches an emitter. Unknown names
// in references are skipped (validation reported them).
func resolve(s *Spec, cache *Cache) *fleet {
	f := &fleet{
		spec:        s,
		cache:       cache,
		Name:        s.Name,
		Domain:      s.Domain,
		Description: s.Description,
		Channels:    s.Channels,
		Admins:      s.Admins,
		Overlays:    s.Overlays,
		Checks: checks{
			NixUnit:     on(s.Checks.NixUnit),
			Integration: on(s.Checks.Integration),
			Validation:  on(s.Checks.Validation),
			Performance: on(s.Checks.Performance),
		},
		machine: make(map[string]*machine, len(s.Machines)),
		user:    make(map[string]*user, len(s.Users)),
	}
	ms := make([]machine, len(s.Machines))
	f.Machines = make([]*machine, len(s.Machines))
	pos := make(map[string]int, len(s.Machines))
	for i, w := range s.Machines {
		m := &ms[i]
		*m = machine{
			Name: w.Name, Class: class(w.Class), System: w.System, Description: w.Description,
			Tags: w.Tags, HostKey: w.HostKey, TargetHost: w.TargetHost,
			StateVersion: w.StateVersion, Zerotier: zerotierRole(w.Zerotier),
		}
		if h := w.Hetzner; h != nil {
			m.Hetzner = &hetzner{Enabled: on(h.Enabled), ServerType: h.ServerType, Location: h.Location, Image: h.Image}
		}
		if w.Disk != nil {
			m.Disk = *w.Disk
		}
		if w.Darwin != nil {
			m.Darwin = darwin{PrimaryUser: w.Darwin.PrimaryUser, Networking: networking(w.Darwin.Networking)}
		}
		f.Machines[i] = m
		if _, dup := f.machine[w.Name]; !dup {
			f.machine[w.Name] = m
			pos[w.Name] = i
		}
	}
	us := make([]user, len(s.Users))
	f.Users = make([]*user, len(s.Users))
	for i, w := range s.Users {
		u := &us[i]
		*u = user{
			Name: w.Name, FullName: w.FullName, Email: w.Email, UID: w.UID,
			Admin: w.Admin, Shell: w.Shell, SSHKeys: w.SSHKeys, AgeKeys: w.AgeKeys,
			Aggregates: w.Home.Aggregates, Standalone: on(w.Home.Standalone),
			Secrets: w.Secrets, Machines: w.Machines,
		}
		f.Users[i] = u
		if _, dup := f.user[w.Name]; !dup {
			f.user[w.Name] = u
		}
		// Spec machine order, each machine once.
		idx := make([]int, 0, len(w.Machines))
		for _, n := range w.Machines {
			if j, ok := pos[n]; ok {
				idx = append(idx, j)
			}
		}
		// An insertion sort for the usual few machines, sortStable (which
		// allocates) for many, and a loop rather than sort.Ints and
		// slices.Compact: those would be the wasm module's only int
		// instantiations of the generic sort (about 13 KB of code).
		if len(idx) > 16 {
			sortStable(idx, func(a, b *int) bool { return *a < *b })
		}
		for k := 1; k < len(idx); k++ {
			for m := k; m > 0 && idx[m] < idx[m-1]; m-- {
				idx[m], idx[m-1] = idx[m-1], idx[m]
			}
		}
		n := 0
		for _, j := range idx {
			if n == 0 || idx[n-1] != j {
				idx[n] = j
				n++
			}
		}
		idx = idx[:n]
		u.machines = make([]*machine, len(idx))
		for k, j := range idx {
			u.machines[k] = f.Machines[j]
			f.Machines[j].users = append(f.Machines[j].users, u)
		}
	}
	f.Vars = make([]*varGen, len(s.Vars))
	for i, w := range s.Vars {
		// A machine listed twice is a warning (validate.go); once each here,
		// or its file would bind clan.machines.<m>.… twice and not parse.
		v := &varGen{Name: w.Name, Machines: onceEach(w.Machines), Share: w.Share, Prompts: w.Prompts, RuntimeInputs: w.RuntimeInputs, Script: w.Script}
		v.Files = make([]varFile, len(w.Files))
		for j, fl := range w.Files {
			v.Files[j] = varFile{Name: fl.Name, Secret: on(fl.Secret), NeededFor: fl.NeededFor}
		}
		f.Vars[i] = v
	}
	f.keys, f.keysErr = buildKeyring(s, cache)
	f.inputs = gatherInputs(f)
	return f
}

// onceEach is list without its repeats, each first occurrence kept in
// place: list itself when it has none.
func onceEach(list []string) []string {
	var out []string
	for i, s := range list {
		switch {
		case slices.Contains(list[:i], s):
			if out == nil {
				out = append([]string(nil), list[:i]...)
			}
		case out != nil:
			out = append(out, s)
		}
	}
	if out == nil {
		return list
	}
	return out
}

// on reads a normalized optional boolean (nil only in specs that skipped
// normalize, which resolve never sees; false is the safe reading).
func on(b *bool) bool { return b != nil && *b }

// admins returns the admin users with an account on m, in spec order.
func (m *machine) admins() []*user {
	var out []*user
	for _, u := range m.users {
		if u.Admin {
			out = append(out, u)
		}
	}
	return out
}
