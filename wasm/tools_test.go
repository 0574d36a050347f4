//go:build fytools || !(js && wasm)

package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/internal/sharelink"
)

// Tests of the calls only the full module has (tools.go).

// TestArchiveMatchesCLI: archive gives archive.TarGz/archive.Zip bytes with the spec
// name as the root directory, as `fleetyard gen --tar/--zip` writes.
func TestArchiveMatchesCLI(t *testing.T) {
	spec := example(t, "seed")
	s, _ := gen.Parse([]byte(spec))
	files, _ := gen.Generate(s, gen.Options{Entropy: make([]byte, 32), Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	for format, want := range map[string][]byte{"tar.gz": archive.TarGz(s.Spec().Name, files), "zip": archive.Zip(s.Spec().Name, files)} {
		got, err := newSession().archive(spec, zeroEntropy, "2025-01-01T00:00:00Z", format)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from gen (%d vs %d bytes)", format, len(got), len(want))
		}
	}
	if _, err := newSession().archive(spec, zeroEntropy, "2025-01-01T00:00:00Z", "rar"); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := newSession().archive(`{"version":1}`, zeroEntropy, "2025-01-01T00:00:00Z", "zip"); err == nil {
		t.Error("invalid spec exported")
	}
}

func TestShareRoundTrip(t *testing.T) {
	spec := example(t, "seed")
	enc := shareEncode(spec)
	if !enc.OK {
		t.Fatal(enc.Error)
	}
	if want, _ := sharelink.Encode([]byte(spec)); enc.Value != want {
		t.Error("fragment differs from sharelink.Encode")
	}
	dec := shareDecode(enc.Value)
	if !dec.OK || dec.Value != spec {
		t.Errorf("round trip: %+v", dec)
	}
	// Incompressible text: a description of chained hashes, longer than a link holds.
	var desc strings.Builder
	h := sha256.Sum256([]byte("seed"))
	for desc.Len() < 2*sharelink.MaxFragment {
		h = sha256.Sum256(h[:])
		desc.WriteString(hex.EncodeToString(h[:]))
	}
	huge := `{"version":1,"name":"x","description":"` + desc.String() + `","machines":[{"name":"a","class":"nixos"}]}`
	if big := shareEncode(huge); big.OK || !big.TooLarge || big.Error == "" {
		t.Errorf("oversized spec: ok %v tooLarge %v, want tooLarge with a message", big.OK, big.TooLarge)
	}
	if bad := shareDecode("2.abc"); bad.OK || bad.Error == "" {
		t.Errorf("bad fragment: %+v", bad)
	}
}

// TestChangesZip: the "Update my repo" download holds the new spec, the
// files that differ from the starting point and UPDATE.txt, and nothing
// under secrets/ or vars/.
func TestChangesZip(t *testing.T) {
	base := example(t, "seed")
	var doc map[string]any
	if err := json.Unmarshal([]byte(base), &doc); err != nil {
		t.Fatal(err)
	}
	doc["machines"] = append(doc["machines"].([]any), map[string]any{"name": "newbox", "class": "nixos"})
	next, _ := json.Marshal(doc)
	s := newSession()
	data, err := s.changes(string(next), base, zeroEntropy, "2025-01-01T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if strings.Contains(f.Name, "/secrets/") || strings.Contains(f.Name, "/vars/") {
			t.Errorf("%s is in the download", f.Name)
		}
	}
	for _, want := range []string{"test-clan-changes/fleet.json", "test-clan-changes/UPDATE.txt", "test-clan-changes/modules/machines/nixos/newbox/default.nix"} {
		if !names[want] {
			t.Errorf("download lacks %s (has %v)", want, names)
		}
	}
	if names["test-clan-changes/modules/home/core/packages.nix"] {
		t.Errorf("an unchanged file is in the download")
	}
	if _, err := s.changes(string(next), `{"version": 1}`, zeroEntropy, ""); err == nil || !strings.Contains(err.Error(), "starting point") {
		t.Errorf("an invalid starting point: err = %v", err)
	}
}

// TestShareDecodeBomb: the worker decodes links through internal/sharelink, which
// refuses one that expands past sharelink.MaxSpec (a 5 KB link used to hand
// the worker a 4 MiB spec).
func TestShareDecodeBomb(t *testing.T) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(`{"description":"` + strings.Repeat(" ", 4<<20) + `"}`))
	w.Close()
	frag := sharelink.Version + "." + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	if res := shareDecode(frag); res.OK || !strings.Contains(res.Error, "more than 1 MiB") {
		t.Errorf("a %d-character link expanding to 4 MiB opened: %q", len(frag), res.Error)
	}
}
