package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/sshkey"
)

// endless yields its line over and over, up to total bytes, and counts
// what was read: a 133 MB paste without holding 133 MB.
type endless struct {
	line        string
	total, read int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.total {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && e.read < e.total {
		c := copy(p[n:], e.line[e.read%len(e.line):])
		n += c
		e.read += c
	}
	return n, nil
}

// TestKeysInputLimit: `fleetyard keys` read all of stdin (133 MB took
// 1.5 GB and two minutes). It now reads one byte past sshkey.MaxInput and
// refuses with a message.
func TestKeysInputLimit(t *testing.T) {
	in := &endless{line: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture\n", total: 133 << 20}
	var o, e bytes.Buffer
	start := time.Now()
	code := Main([]string{"keys"}, Env{Stdin: in, Stdout: &o, Stderr: &e})
	if code != exitFail || !strings.Contains(e.String(), "the input is larger than the limit of 1 MiB") || o.Len() != 0 {
		t.Fatalf("exit %d, stdout %d bytes, stderr %q", code, o.Len(), e.String())
	}
	if in.read > sshkey.MaxInput+1<<16 {
		t.Errorf("read %d bytes of stdin; the limit is %d", in.read, sshkey.MaxInput)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestValidateInputLimit: a spec larger than gen.MaxSpecBytes is refused
// without being read whole.
func TestValidateInputLimit(t *testing.T) {
	in := &endless{line: `{"version":1,"description":"` + strings.Repeat("x", 1000), total: 64 << 20}
	var o, e bytes.Buffer
	code := Main([]string{"validate", "-"}, Env{Stdin: in, Stdout: &o, Stderr: &e})
	if code != exitFail || !strings.Contains(e.String(), "<stdin>:1:1: the spec is larger than 4 MiB, the limit") {
		t.Fatalf("exit %d, stderr %q", code, e.String())
	}
	if in.read > gen.MaxSpecBytes+1<<16 {
		t.Errorf("read %d bytes of stdin; the limit is %d", in.read, gen.MaxSpecBytes)
	}
}

// TestValidateEchoesSafely: `fleetyard validate` printed a private key
// pasted as an object key, and raw escapes that could rewrite the
// terminal line (a forged "ok").
func TestValidateEchoesSafely(t *testing.T) {
	const age = "AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W"
	for _, spec := range []string{
		`{"version":1,"` + age + `" 1}`,
		`{"version":1,"` + age + `":1,"` + age + `":2}`,
		`{"version":1,"name":"f","x\u001b[1A\u001b[2K\rfleet.json: ok\u0007" 1}`,
		`{"version":1,"name":"f","machines":[{"name":"a\u001b]0;pwned\u0007","class":"nixos"}],"users":[{"name":"u","machines":["b"]}]}`,
	} {
		code, stdout, stderr := run(t, spec, "validate", "-")
		if code != exitFail {
			t.Errorf("exit %d for %q", code, spec)
		}
		out := stdout + stderr
		if strings.Contains(out, "AGE-SECRET-KEY") || strings.ContainsAny(out, "\x1b\x07\r") {
			t.Errorf("output repeats private key material or control characters:\n%q", out)
		}
	}
}
