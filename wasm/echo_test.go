package main

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/sharelink"
)

// TestDiagnosticsSafeInWorker: the wasm module returned the same raw text
// as the CLI (a private key pasted as a member name, escapes), so the
// worker was no second line of defence. Its diagnostics now come out of
// gen.Parse already safe.
func TestDiagnosticsSafeInWorker(t *testing.T) {
	const age = "AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W"
	for _, spec := range []string{
		`{"version":1,"` + age + `" 1}`,
		`{"version":1,"` + age + `":1,"` + age + `":2}`,
		`{"version":1,"name":"f","x\u001b[2K\u2028ok\u0007" 1}`,
	} {
		res, _ := newSession().generate(spec, zeroEntropy, "2026-01-01T00:00:00Z", "", 0)
		if res.OK || len(res.Diagnostics) == 0 {
			t.Fatalf("no diagnostics for %q", spec)
		}
		for _, d := range res.Diagnostics {
			text := d.Path + d.Message + d.Hint
			if strings.Contains(text, "AGE-SECRET-KEY") || strings.ContainsAny(text, "\x1b\x07\u2028") {
				t.Errorf("diagnostic repeats private key material or control characters: %q", text)
			}
		}
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
