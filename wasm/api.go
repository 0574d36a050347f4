package main

// The functions behind globalThis.fleetyard, free of syscall/js so they can
// be tested natively (api_test.go) and compared with the CLI byte for byte.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/share"
	"github.com/fleetyard/fleetyard/gen/sshkey"
	"github.com/fleetyard/fleetyard/gen/update"
)

// GenerateResult is what generate returns to the worker.
type GenerateResult struct {
	// OK is true when files were generated.
	OK          bool             `json:"ok"`
	Diagnostics []gen.Diagnostic `json:"diagnostics"`
	// Error is a generation failure that is not tied to a field.
	Error  string      `json:"error,omitempty"`
	Files  []FileOut   `json:"files"`
	Fleet  *FleetOut   `json:"fleet,omitempty"`
	Access []AccessOut `json:"access"`
	// Terraform is the terranix configuration as Terraform JSON text, when
	// the fleet has Hetzner machines.
	Terraform string `json:"terraform,omitempty"`
}

// FileOut is one generated file. Its bytes are not in the JSON: they sit at
// Offset in the data blob generate returns next to it, so file contents are
// never JSON-escaped (that doubled the cost of a regeneration). SHA256 lets
// the UI mark changed files without comparing contents; Binary says the bytes
// are not UTF-8 text.
type FileOut struct {
	Path   string `json:"path"`
	Mode   uint32 `json:"mode"`
	Size   int    `json:"size"`
	Offset int    `json:"offset"`
	SHA256 string `json:"sha256"`
	Binary bool   `json:"binary,omitempty"`
}

// FleetOut is the spec after defaults, reduced to what the fleet picture
// draws.
type FleetOut struct {
	Name     string       `json:"name"`
	Machines []MachineOut `json:"machines"`
	Users    []UserOut    `json:"users"`
	Admins   []string     `json:"admins"`
}

// MachineOut is one machine of FleetOut.
type MachineOut struct {
	Name     string `json:"name"`
	Class    string `json:"class"`
	System   string `json:"system"`
	Zerotier string `json:"zerotier"`
	// Hetzner is "on", "off" or "" (not a cloud machine).
	Hetzner string `json:"hetzner"`
}

// UserOut is one user of FleetOut.
type UserOut struct {
	Name     string   `json:"name"`
	Admin    bool     `json:"admin"`
	Machines []string `json:"machines"`
}

// AccessOut is one secret file and who can decrypt it.
type AccessOut struct {
	Path    string      `json:"path"`
	Tier    string      `json:"tier"`
	Readers []ReaderOut `json:"readers"`
}

// ReaderOut is one recipient of a secret file.
type ReaderOut struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Recipient string `json:"recipient"`
}

// stubCache lives for the worker's lifetime: a keystroke that does not
// touch users, keys or secrets reuses every encrypted stub and every key
// derivation instead of redoing their curve arithmetic (most of a
// regeneration's cost in wasm).
var stubCache = gen.NewCache()

// options decodes the entropy (hex) and time (RFC 3339) the page passes.
func options(entropyHex, timeRFC3339 string) (gen.Options, error) {
	opt := gen.Options{Cache: stubCache}
	ent, err := hex.DecodeString(entropyHex)
	if err != nil {
		return opt, errors.New("entropy must be hex (64 hex digits for 32 bytes)")
	}
	opt.Entropy = ent
	if timeRFC3339 != "" {
		t, err := time.Parse(time.RFC3339, timeRFC3339)
		if err != nil {
			return opt, errors.New("time must be RFC 3339, like 2025-01-02T03:04:05Z")
		}
		opt.Time = t.UTC().Truncate(time.Second)
	}
	return opt, nil
}

// digest is a file's hash and text-ness, remembered between calls.
type digest struct {
	data   []byte
	sum    string
	binary bool
}

// lastDigests holds the previous generation's digests by path. A typical
// edit changes a few files, so comparing bytes (memcmp) and hashing only
// what changed keeps SHA-256, slow without hardware support in wasm, off the
// hot path. It only ever holds one generation.
var lastDigests = map[string]digest{}

func digestOf(path string, data []byte, next map[string]digest) digest {
	d, ok := lastDigests[path]
	if !ok || !bytes.Equal(d.data, data) {
		sum := sha256.Sum256(data)
		d = digest{data: data, sum: hex.EncodeToString(sum[:]), binary: !utf8.Valid(data)}
	}
	next[path] = d
	return d
}

// generate returns the result and the data blob its files point into.
func generate(specJSON, entropyHex, timeRFC3339 string) (GenerateResult, []byte) {
	res := GenerateResult{Diagnostics: []gen.Diagnostic{}, Files: []FileOut{}, Access: []AccessOut{}}
	opt, err := options(entropyHex, timeRFC3339)
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	spec, diags := stubCache.Parse([]byte(specJSON))
	if diags != nil {
		res.Diagnostics = diags
	}
	if spec == nil || gen.HasErrors(diags) {
		return res, nil
	}
	res.Fleet = fleetOf(spec)
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
		d := digestOf(f.Path, f.Data, next)
		res.Files[i] = FileOut{Path: f.Path, Mode: f.Mode, Size: len(f.Data), Offset: len(blob), SHA256: d.sum, Binary: d.binary}
		blob = append(blob, f.Data...)
	}
	lastDigests = next
	for _, sf := range stubCache.Access(spec) {
		a := AccessOut{Path: sf.Path, Tier: sf.Tier, Readers: []ReaderOut{}}
		for _, r := range sf.Readers {
			a.Readers = append(a.Readers, ReaderOut{Kind: r.Kind, Name: r.Name, Recipient: r.Recipient})
		}
		res.Access = append(res.Access, a)
	}
	if tf := gen.TerraformJSON(spec); len(tf) > 0 {
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
			if m.Hetzner.Enabled {
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

// archive returns the .tar.gz or .zip the CLI writes for the same inputs:
// root directory = spec name.
func archive(specJSON, entropyHex, timeRFC3339, format string) ([]byte, error) {
	opt, err := options(entropyHex, timeRFC3339)
	if err != nil {
		return nil, err
	}
	spec, diags := stubCache.Parse([]byte(specJSON))
	if spec == nil || gen.HasErrors(diags) {
		return nil, errors.New("the spec has errors; fix the diagnostics before exporting")
	}
	files, err := gen.Generate(spec, opt)
	if err != nil {
		return nil, err
	}
	switch format {
	case "tar.gz":
		return gen.TarGz(spec.Name, files), nil
	case "zip":
		return gen.Zip(spec.Name, files), nil
	}
	return nil, errors.New("archive format must be \"tar.gz\" or \"zip\"")
}

// KeysResult is what keys returns: the keys it converted and one error per
// line it could not use. Messages never contain key material.
type KeysResult struct {
	Keys   []KeyOut     `json:"keys"`
	Errors []LineErrOut `json:"errors"`
}

// KeyOut is one converted key.
type KeyOut struct {
	Line        int    `json:"line"`
	Type        string `json:"type"`
	Recipient   string `json:"recipient"`
	Fingerprint string `json:"fingerprint"`
	Comment     string `json:"comment"`
}

// LineErrOut is one line that gave no key.
type LineErrOut struct {
	Line    int    `json:"line"`
	Msg     string `json:"msg"`
	Hint    string `json:"hint,omitempty"`
	Private bool   `json:"private"`
}

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

// ShareResult is the answer of shareEncode/shareDecode: Value is the
// fragment (encode) or the spec JSON text (decode).
type ShareResult struct {
	OK       bool   `json:"ok"`
	Value    string `json:"value,omitempty"`
	Error    string `json:"error,omitempty"`
	TooLarge bool   `json:"tooLarge,omitempty"`
}

func shareEncode(specJSON string) ShareResult {
	frag, err := share.Encode([]byte(specJSON))
	if err != nil {
		return ShareResult{Error: err.Error(), TooLarge: errors.Is(err, share.ErrTooLarge)}
	}
	return ShareResult{OK: true, Value: frag}
}

func shareDecode(frag string) ShareResult {
	spec, err := share.Decode(frag)
	if err != nil {
		return ShareResult{Error: err.Error()}
	}
	return ShareResult{OK: true, Value: string(spec)}
}

func schema() []byte { return gen.Schema() }

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only unsupported values fail; all our types are plain.
		return `{"error":"internal: cannot encode the result"}`
	}
	return string(b)
}

// changes returns the playground's "Update my repo" download: a .zip of the
// files the spec generates differently from the starting point (baseJSON,
// the repository's recorded spec), with UPDATE.txt naming the
// `fleetyard update` command that merges them into the repository.
func changes(specJSON, baseJSON, entropyHex, timeRFC3339 string) ([]byte, error) {
	opt, err := options(entropyHex, timeRFC3339)
	if err != nil {
		return nil, err
	}
	spec, diags := stubCache.Parse([]byte(specJSON))
	if spec == nil || gen.HasErrors(diags) {
		return nil, errors.New("the spec has errors; fix the diagnostics before downloading the changes")
	}
	baseText, _, _, err := gen.Migrate([]byte(baseJSON))
	if err != nil {
		return nil, err
	}
	base, diags := gen.Parse(baseText)
	if base == nil || gen.HasErrors(diags) {
		return nil, errors.New("the starting point's fleet.json does not validate; load the repository's fleet.json again, or use Download instead")
	}
	return update.Download(spec, base, opt)
}
