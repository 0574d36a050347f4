package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// encodingJSON is encoding/json's encoding of v with HTML escaping off (as
// jsonw and generateJSON write).
func encodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// nastyStrings are the strings JSON encoders get wrong: quotes, escapes,
// control characters, JavaScript's line separators, HTML characters,
// astral characters and bytes that are not UTF-8 (paths can hold those).
var nastyStrings = []string{"", "plain", `a "quoted" \path\`, "tab\tnew\nline\rfeed\f\b", "\x00\x01\x1f\x7f", "sep\u2028par\u2029", "<a href='x'>&amp;</a>", "emoji 🚀 ü", "bad \xff\xfe utf-8 \xe2\x82", "modules/machines/nixos/\xc3/default.nix"}

func randomString(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		// Random bytes, valid UTF-8 or not.
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b)
	}
	return nastyStrings[rng.IntN(len(nastyStrings))]
}

// randomResult fills every field of a GenerateResult, sometimes leaving
// slices nil or empty and pointers nil (omitempty and null both matter).
func randomResult(rng *rand.Rand) GenerateResult {
	str := func() string { return randomString(rng) }
	strs := func() []string {
		switch rng.IntN(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		out := make([]string, 1+rng.IntN(3))
		for i := range out {
			out[i] = str()
		}
		return out
	}
	n := func() int { return rng.IntN(4) }
	r := GenerateResult{OK: rng.IntN(2) == 0, Error: str(), Base: rng.IntN(1 << 20), Seq: rng.IntN(1 << 30), Removed: strs(), Order: strs(),
		SameFleet: rng.IntN(2) == 0, SameAccess: rng.IntN(2) == 0, Terraform: str(), SameTerraform: rng.IntN(2) == 0, ManifestLater: rng.IntN(2) == 0}
	if rng.IntN(4) > 0 {
		for range n() {
			r.Diagnostics = append(r.Diagnostics, gen.Diagnostic{Path: str(), Line: rng.IntN(500), Col: rng.IntN(80), Severity: gen.Severity(str()), Message: str(), Hint: str()})
		}
		if r.Diagnostics == nil {
			r.Diagnostics = []gen.Diagnostic{}
		}
	}
	if rng.IntN(4) > 0 {
		r.Files = []FileOut{}
		for range n() {
			r.Files = append(r.Files, FileOut{Path: str(), Mode: uint32(rng.IntN(0o1000)), Size: rng.IntN(1 << 20), Offset: rng.IntN(1 << 24), ID: str(), Binary: rng.IntN(2) == 0})
		}
	}
	if rng.IntN(2) == 0 {
		f := &FleetOut{Name: str(), Admins: strs()}
		if rng.IntN(4) > 0 {
			f.Machines = []MachineOut{}
			for range n() {
				f.Machines = append(f.Machines, MachineOut{Name: str(), Class: str(), System: str(), Zerotier: str(), Hetzner: str()})
			}
		}
		if rng.IntN(4) > 0 {
			f.Users = []UserOut{}
			for range n() {
				f.Users = append(f.Users, UserOut{Name: str(), Admin: rng.IntN(2) == 0, Machines: strs()})
			}
		}
		r.Fleet = f
	}
	for range n() {
		a := AccessOut{Path: str(), Tier: str()}
		if rng.IntN(4) > 0 {
			a.Readers = []ReaderOut{}
			for range n() {
				a.Readers = append(a.Readers, ReaderOut{Kind: str(), Name: str(), Recipient: str()})
			}
		}
		r.Access = append(r.Access, a)
	}
	return r
}

// TestGenerateJSONMatchesEncodingJSON: the hand-written encoder writes
// exactly encoding/json's bytes for random answers full of strings that
// need escaping, so what the worker parses is valid JSON with the field
// names and omissions api.go declares.
func TestGenerateJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		r := randomResult(rng)
		got := generateJSON(&r)
		if want := encodingJSON(t, r); !bytes.Equal(got, want) {
			t.Fatalf("answer %d:\n got %s\nwant %s", i, got, want)
		}
		var back GenerateResult
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("answer %d does not decode: %v\n%s", i, err, got)
		}
		if !json.Valid(got) {
			t.Fatalf("answer %d is not valid JSON", i)
		}
	}
}

// TestGenerateJSONCoversEveryField: a new field in api.go's answer types
// makes this fail until the encoder writes it (the random test above would
// only catch it by luck if the field were usually empty).
func TestGenerateJSONCoversEveryField(t *testing.T) {
	full := GenerateResult{OK: true, Diagnostics: []gen.Diagnostic{{Path: "p", Line: 1, Col: 2, Severity: "error", Message: "m", Hint: "h"}}, Error: "e", Base: 1, Seq: 2,
		Files:   []FileOut{{Path: "f", Mode: 0o644, Size: 3, Offset: 4, ID: "s", Binary: true}},
		Removed: []string{"r"}, Order: []string{"o"}, SameFleet: true, SameAccess: true, Terraform: "t", SameTerraform: true, ManifestLater: true,
		Fleet:  &FleetOut{Name: "n", Machines: []MachineOut{{"a", "b", "c", "d", "e"}}, Users: []UserOut{{Name: "u", Admin: true, Machines: []string{"a"}}}, Admins: []string{"x"}},
		Access: []AccessOut{{Path: "p", Tier: "t", Readers: []ReaderOut{{"k", "n", "r"}}}}}
	// Every struct field set: a zero field here would hide a missing line.
	var walk func(v reflect.Value, where string)
	walk = func(v reflect.Value, where string) {
		switch v.Kind() {
		case reflect.Pointer:
			walk(v.Elem(), where)
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), where)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Field(i).IsZero() {
					t.Errorf("%s.%s is zero in the test value: set it", where, v.Type().Field(i).Name)
				}
				walk(v.Field(i), where+"."+v.Type().Field(i).Name)
			}
		}
	}
	walk(reflect.ValueOf(full), "GenerateResult")
	if got, want := generateJSON(&full), encodingJSON(t, full); !bytes.Equal(got, want) {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// BenchmarkAnswerJSON measures the hand-written encoder on a full answer
// for large.json (560 files, 100 machines' fleet and access rows): the
// answer a first generation or a reset sends. (jsonw no longer writes such
// types by reflection: it panics and asks for an AppendJSON method, so the
// old comparison with it is gone.)
func BenchmarkAnswerJSON(b *testing.B) {
	res, _ := newSession().generate(example(b, "large"), zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
	if !res.OK {
		b.Fatal(res.Error)
	}
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			generateJSON(&res)
		}
	})
}
