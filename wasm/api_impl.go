package main

// The behaviour behind globalThis.fleetyard, free of syscall/js so it can be
// tested natively (api_test.go) and compared with the CLI byte for byte.
// The package keeps no mutable globals: what lives between calls (the stub
// cache, the previous generation's digests) belongs to a session, and the
// worker's main owns the only one, so a test can make as many fresh ones as
// it needs.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"unicode/utf8"

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
	// digests holds the previous generation's digests by path. A typical
	// edit changes a few files, so comparing bytes (memcmp) and hashing only
	// what changed keeps SHA-256, slow without hardware support in wasm, off
	// the hot path. It only ever holds one generation, and starts nil
	// (reading a nil map finds nothing).
	digests map[string]digest
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

// digest is a file's hash and text-ness, remembered between calls.
type digest struct {
	data   []byte
	sum    string
	binary bool
}

// digestOf returns path's digest, reusing the previous generation's when
// the bytes are the same, and records it in next.
func (s *session) digestOf(path string, data []byte, next map[string]digest) digest {
	d, ok := s.digests[path]
	if !ok || !bytes.Equal(d.data, data) {
		sum := sha256.Sum256(data)
		d = digest{data: data, sum: hex.EncodeToString(sum[:]), binary: !utf8.Valid(data)}
	}
	next[path] = d
	return d
}

// generate returns the result and the data blob its files point into.
func (s *session) generate(specJSON, entropyHex, timeRFC3339 string) (GenerateResult, []byte) {
	res := GenerateResult{Diagnostics: []gen.Diagnostic{}, Files: []FileOut{}, Access: []AccessOut{}}
	opt, err := s.options(entropyHex, timeRFC3339)
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	spec, diags := s.cache.Parse([]byte(specJSON))
	if diags != nil {
		res.Diagnostics = diags
	}
	if spec == nil || gen.HasErrors(diags) {
		return res, nil
	}
	res.Fleet = fleetOf(spec.Spec())
	files, err := gen.Generate(spec, opt)
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	res.OK = true
	res.Files = make([]FileOut, len(files))
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	blob := make([]byte, 0, size)
	next := make(map[string]digest, len(files))
	for i, f := range files {
		d := s.digestOf(f.Path, f.Data, next)
		res.Files[i] = FileOut{Path: f.Path, Mode: f.Mode, Size: len(f.Data), Offset: len(blob), SHA256: d.sum, Binary: d.binary}
		blob = append(blob, f.Data...)
	}
	s.digests = next
	for _, sf := range spec.Access() {
		a := AccessOut{Path: sf.Path, Tier: sf.Tier, Readers: []ReaderOut{}}
		for _, r := range sf.Readers {
			a.Readers = append(a.Readers, ReaderOut{Kind: r.Kind, Name: r.Name, Recipient: r.Recipient})
		}
		res.Access = append(res.Access, a)
	}
	if tf := spec.Terraform(); len(tf) > 0 {
		res.Terraform = string(tf)
	}
	return res, blob
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
func jsonString(v any) string { return string(jsonw.Marshal(v)) }
