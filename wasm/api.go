package main

// The JSON shapes globalThis.fleetyard returns to the worker, and nothing
// else: the data half of the API, as esbuild splits api.go from api_impl.go.
// The behaviour is in api_impl.go. static/ts/protocol.ts mirrors every type
// here by hand; contract_test.go fails when the two disagree.

import "github.com/fleetyard/fleetyard/gen"

// GenerateResult is what generate returns to the worker for one stream (a
// request slot: the playground's editor, each docs example). It is either a
// full answer (Base 0: Files is every file, in order) or a delta against
// the stream's answer Base, which the page holds: Files are only the files
// whose bytes or mode changed or that are new, Removed the paths that are
// gone, Order the whole path order when it is not the previous order minus
// Removed, and the Same* flags stand for a Fleet, Access or Terraform equal
// to the previous answer's. A failed generation (OK false) sends no files
// and leaves the stream's files as they were. static/ts/genstream.ts merges
// the answers back into the full result the UI reads.
type GenerateResult struct {
	// OK is true when files were generated.
	OK          bool             `json:"ok"`
	Diagnostics []gen.Diagnostic `json:"diagnostics"`
	// Error is a generation failure that is not tied to a field.
	Error string `json:"error,omitempty"`
	// Base is the answer this one applies to, 0 for a full answer.
	Base int `json:"base"`
	// Seq names this answer: the next request of the stream passes it as
	// its base.
	Seq     int       `json:"seq"`
	Files   []FileOut `json:"files"`
	Removed []string  `json:"removed,omitempty"`
	Order   []string  `json:"order,omitempty"`
	Fleet   *FleetOut `json:"fleet,omitempty"`
	// SameFleet: Fleet is the previous answer's (absent or not).
	SameFleet bool        `json:"sameFleet,omitempty"`
	Access    []AccessOut `json:"access,omitempty"`
	// SameAccess: Access is the previous answer's.
	SameAccess bool `json:"sameAccess,omitempty"`
	// Terraform is the terranix configuration as Terraform JSON text, when
	// the fleet has Hetzner machines.
	Terraform string `json:"terraform,omitempty"`
	// SameTerraform: Terraform is the previous answer's.
	SameTerraform bool `json:"sameTerraform,omitempty"`
	// ManifestLater: the manifest is still the one the page holds, an
	// earlier answer's; a settle answer brings this one's (stream.go).
	ManifestLater bool `json:"manifestLater,omitempty"`
}

// FileOut is one generated file. Its bytes are not in the JSON: they sit at
// Offset in the data blob generate returns next to it, so file contents are
// never JSON-escaped (that doubled the cost of a regeneration). ID
// (internal/fileid) lets the UI mark changed files without comparing
// contents; Binary says the bytes are not UTF-8 text.
type FileOut struct {
	Path   string `json:"path"`
	Mode   uint32 `json:"mode"`
	Size   int    `json:"size"`
	Offset int    `json:"offset"`
	ID     string `json:"id"`
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

// ShareResult is the answer of shareEncode/shareDecode: Value is the
// fragment (encode) or the spec JSON text (decode).
type ShareResult struct {
	OK       bool   `json:"ok"`
	Value    string `json:"value,omitempty"`
	Error    string `json:"error,omitempty"`
	TooLarge bool   `json:"tooLarge,omitempty"`
}
