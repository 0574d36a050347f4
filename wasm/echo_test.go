package main

import (
	"strings"
	"testing"
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
