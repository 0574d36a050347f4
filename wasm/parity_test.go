//go:build fytools || !(js && wasm)

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestArchiveParity compares the full module's downloads and share links
// with the CLI's. internal/parity runs it compiled for GOOS=js under Node,
// passing in FLEETYARD_PARITY the SHA-256 of what the native build makes for
// the same inputs, as lines "example kind sha256" (kind: tar.gz, zip or
// share), and the entropy and time in FLEETYARD_PARITY_ENTROPY and
// FLEETYARD_PARITY_TIME.
func TestArchiveParity(t *testing.T) {
	want := os.Getenv("FLEETYARD_PARITY")
	if want == "" {
		t.Skip("run by internal/parity (TestFullModuleUnderWasm), which passes the native hashes")
	}
	for _, line := range strings.Split(strings.TrimSpace(want), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("FLEETYARD_PARITY line %q: want \"example kind sha256\"", line)
		}
		spec := example(t, f[0])
		var data []byte
		if f[1] == "share" {
			res := shareEncode(spec)
			if !res.OK {
				t.Fatalf("%s: shareEncode: %s", f[0], res.Error)
			}
			data = []byte(res.Value)
		} else {
			var err error
			if data, err = newSession().archive(spec, os.Getenv("FLEETYARD_PARITY_ENTROPY"), os.Getenv("FLEETYARD_PARITY_TIME"), f[1]); err != nil {
				t.Fatalf("%s %s: %v", f[0], f[1], err)
			}
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != f[2] {
			t.Errorf("%s %s: the module gives SHA-256 %s, the native build %s", f[0], f[1], got, f[2])
		}
	}
}
