package sshkey

import (
	"crypto/ed25519"
	"github.com/fleetyard/fleetyard/gen/bech32"
	"strconv"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics, messages never repeat key material, private
// material never reaches any output, and the refusals agree with
// ContainsPrivate. The seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture\n")
	f.Fuzz(func(t *testing.T, in string) {
		keys, errs := Parse(in)
		lines := splitLines(in)
		anyPrivate := false
		for _, e := range errs {
			if e.Line < 1 || e.Line > len(lines) {
				t.Fatalf("error line %d of %d", e.Line, len(lines))
			}
			if e.Msg == "" || e.Hint == "" {
				t.Fatalf("empty message or hint: %+v", e)
			}
			if w := leak(in, e.Error()); w != "" {
				t.Fatalf("error %q repeats input %q", e.Error(), w)
			}
			if ContainsPrivate(e.Error()) {
				t.Fatalf("error holds private marker: %q", e.Error())
			}
			anyPrivate = anyPrivate || e.Private
		}
		if anyPrivate != ContainsPrivate(in) {
			t.Fatalf("Private errors %v, ContainsPrivate %v", anyPrivate, !anyPrivate)
		}
		for _, k := range keys {
			if k.Line < 1 || k.Line > len(lines) {
				t.Fatalf("key line %d of %d", k.Line, len(lines))
			}
			line := lines[k.Line-1]
			if privateKind(line) != privNone {
				t.Fatalf("key from a private line %d", k.Line)
			}
			for _, s := range []string{k.Type, k.Recipient, k.Fingerprint, k.Comment} {
				if ContainsPrivate(s) {
					t.Fatalf("key field holds private material: %q", s)
				}
			}
			if !strings.Contains(line, k.Comment) {
				t.Fatalf("comment %q not from line %q", k.Comment, line)
			}
			if _, _, err := bech32.Decode(k.Recipient); err != nil || !strings.HasPrefix(k.Recipient, "age1") || len(k.Recipient) != 62 {
				t.Fatalf("bad recipient %q", k.Recipient)
			}
			if (k.Type == "age") != (k.Fingerprint == "") {
				t.Fatalf("type %q with fingerprint %q", k.Type, k.Fingerprint)
			}
		}
	})
}

// BenchmarkParse100 parses a paste of 100 distinct ed25519 keys.
func BenchmarkParse100(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 100; i++ {
		seed := make([]byte, ed25519.SeedSize)
		seed[0], seed[1] = byte(i), 0x5a
		pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
		sb.WriteString(edLine(pub, "user"+strconv.Itoa(i)+"@bench"))
		sb.WriteByte('\n')
	}
	text := sb.String()
	if keys, errs := Parse(text); len(keys) != 100 || len(errs) != 0 {
		b.Fatalf("%d keys, %v", len(keys), errs)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(text)
	}
}
