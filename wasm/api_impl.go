package main

// The behaviour behind globalThis.fleetyard, free of syscall/js so it can be
// tested natively (api_test.go) and compared with the CLI byte for byte.
// The package keeps no mutable globals: what lives between calls (the stub
// cache, the previous generation's digests) belongs to a session, and the
// worker's main owns the only one, so a test can make as many fresh ones as
// it needs.

import (
	"errors"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/jsonw"
	"github.com/fleetyard/fleetyard/gen/sops"
	"github.com/fleetyard/fleetyard/gen/sshkey"
)

// session is the state one worker keeps between calls.
type session struct {
	// cache lives for the worker's lifetime: a keystroke that does not
	// touch users, keys or secrets reuses every encrypted stub and every key
	// derivation instead of redoing their curve arithmetic (most of a
	// regeneration's cost in wasm).
	cache *gen.Cache
	// streams is what generate last answered each stream (stream.go).
	streams streams
	// warmer is the idle warm-up's session (warm.go), nil when none runs.
	warmer *session
}

func newSession() *session {
	return &session{cache: gen.NewCache()}
}

// options decodes the entropy (hex) and time (RFC 3339) the page passes.
func (s *session) options(entropyHex, timeRFC3339 string) (gen.Options, error) {
	var opt gen.Options
	ent, ok := decodeHex(entropyHex)
	if !ok {
		return opt, errors.New("entropy must be hex (64 hex digits for 32 bytes)")
	}
	opt.Entropy = ent
	if timeRFC3339 != "" {
		t, ok := sops.ParseTimestamp(timeRFC3339)
		if !ok {
			return opt, errors.New("time must be RFC 3339 in UTC, whole seconds, like 2025-01-02T03:04:05Z")
		}
		opt.Time = t
	}
	return opt, nil
}

func fleetOf(spec *gen.Spec) *FleetOut {
	f := &FleetOut{Name: spec.Name, Machines: []MachineOut{}, Users: []UserOut{}, Admins: []string{}}
	for _, m := range spec.Machines {
		mo := MachineOut{Name: m.Name, Class: m.Class, System: m.System, Zerotier: m.Zerotier}
		if m.Hetzner != nil {
			mo.Hetzner = "off"
			if *m.Hetzner.Enabled {
				mo.Hetzner = "on"
			}
		}
		f.Machines = append(f.Machines, mo)
	}
	for _, u := range spec.Users {
		ms := u.Machines
		if ms == nil {
			ms = []string{}
		}
		f.Users = append(f.Users, UserOut{Name: u.Name, Admin: u.Admin, Machines: ms})
	}
	for _, a := range spec.Admins {
		f.Admins = append(f.Admins, a.Name)
	}
	return f
}

// The calls below keep nothing between calls, so they are plain functions.

func keys(text string) KeysResult {
	ks, errs := sshkey.Parse(text)
	res := KeysResult{Keys: []KeyOut{}, Errors: []LineErrOut{}}
	for _, k := range ks {
		res.Keys = append(res.Keys, KeyOut{Line: k.Line, Type: k.Type, Recipient: k.Recipient, Fingerprint: k.Fingerprint, Comment: k.Comment})
	}
	for _, e := range errs {
		res.Errors = append(res.Errors, LineErrOut{Line: e.Line, Msg: e.Msg, Hint: e.Hint, Private: e.Private})
	}
	return res
}

// jsonString encodes a result for the worker. jsonw writes the same JSON
// as encoding/json for these plain types, without linking its encoder.
// Pass a pointer: the generated AppendJSON methods have pointer receivers.
func jsonString(v any) string { return string(jsonw.Marshal(v)) }
