package sharelink

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestRoundTripExamples(t *testing.T) {
	for _, name := range []string{"minimal", "seed"} {
		spec, err := os.ReadFile("../../content/examples/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		frag, err := Encode(spec)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(frag, "1.") || strings.ContainsAny(frag, "+/=#&?") {
			t.Errorf("%s: fragment %q is not URL-safe version-1 form", name, frag[:20])
		}
		again, _ := Encode(spec)
		if again != frag {
			t.Errorf("%s: Encode is not deterministic", name)
		}
		back, err := Decode(frag)
		if err != nil || !bytes.Equal(back, spec) {
			t.Errorf("%s: Decode(Encode(x)) != x (%v)", name, err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	// Incompressible text: hex of a simple LCG stream, 20k characters.
	var b strings.Builder
	b.WriteString(`{"description":"`)
	x := uint32(1)
	for b.Len() < 20000 {
		x = x*1664525 + 1013904223
		b.WriteByte("0123456789abcdef"[x>>28])
	}
	b.WriteString(`"}`)
	if _, err := Encode([]byte(b.String())); err != ErrTooLarge {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func deflate(b []byte) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write(b)
	w.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func TestDecodeErrors(t *testing.T) {
	bomb := deflate(bytes.Repeat([]byte{' '}, MaxSpec+10))
	tests := []struct{ frag, want string }{
		{"", "not a Fleetyard link"},
		{"hello", "not a Fleetyard link"},
		{"2.abc", `version "2" is not supported`},
		{"1.***", "bad base64"},
		{"1." + base64.RawURLEncoding.EncodeToString([]byte("not deflate at all")), "bad compressed data"},
		{"1." + bomb, "more than 1 MiB"},
		// Only a short run of digits is repeated as the version: anything
		// else could carry terminal escapes or a pasted key.
		{"\x1b[2K\a.abc", "this link format is not supported"},
		{"12345.abc", "this link format is not supported"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA.abc", "this link format is not supported"},
	}
	for _, tt := range tests {
		_, err := Decode(tt.frag)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%.20q): %v, want error containing %q", tt.frag, err, tt.want)
			continue
		}
		for _, r := range err.Error() {
			if !strconv.IsPrint(r) {
				t.Errorf("Decode(%.20q): error %q holds unprintable %U", tt.frag, err, r)
			}
		}
	}
}

// TestLinkBomb: a 5.4 KB link used to expand to a 4 MiB spec that the
// playground then parsed and generated. Links now carry at most MaxSpec,
// and Decode stops decompressing there.
func TestLinkBomb(t *testing.T) {
	spec := []byte(`{"version":1,"name":"x","description":"` + strings.Repeat(" ", 4<<20-64) + `","machines":[]}`)
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(spec)
	w.Close()
	frag := "1." + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	if len(frag) > 6000 {
		t.Fatalf("the test link is %d characters; it should be about 5.4 KB", len(frag))
	}
	out, err := Decode(frag)
	if err == nil || !strings.Contains(err.Error(), "more than 1 MiB") {
		t.Fatalf("a %d-character link expanding to %d bytes: got %d bytes, %v", len(frag), len(spec), len(out), err)
	}
}

// TestEncodeAgreesWithDecode: a spec over MaxSpec would compress into a
// short link that Decode refuses, so Encode refuses it; at MaxSpec the
// link opens.
func TestEncodeAgreesWithDecode(t *testing.T) {
	at := bytes.Repeat([]byte{' '}, MaxSpec)
	frag, err := Encode(at)
	if err != nil {
		t.Fatalf("Encode at MaxSpec: %v", err)
	}
	if back, err := Decode(frag); err != nil || len(back) != MaxSpec {
		t.Fatalf("Decode of a MaxSpec link: %d bytes, %v", len(back), err)
	}
	if _, err := Encode(append(at, ' ')); err != ErrTooLarge {
		t.Fatalf("Encode over MaxSpec: %v, want ErrTooLarge", err)
	}
}

// FuzzDecode: links come from anywhere; Decode must never panic, and what it
// accepts must re-encode to something that decodes to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add("1." + deflate([]byte(`{"version":1}`)))
	f.Add("1.")
	f.Add("0.x")
	f.Add("1.AAAA")
	f.Fuzz(func(t *testing.T, frag string) {
		spec, err := Decode(frag)
		if err != nil {
			return
		}
		again, err := Encode(spec)
		if err == ErrTooLarge {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(again)
		if err != nil || !bytes.Equal(back, spec) {
			t.Fatalf("re-encoded link does not round-trip: %v", err)
		}
	})
}
