package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen/sshkey"
)

// aliceKey is the base64 body of the alice.pub fixture, for lines with
// comments of the tests' choosing.
const aliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT"

// keyFixture reads a throwaway key from gen/sshkey's test fixtures.
func keyFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "gen", "sshkey", "testdata", "ssh", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestKeys(t *testing.T) {
	in := aliceKey + " alice@fixture\n" +
		"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 rsa\n"
	code, stdout, stderr := run(t, in, "keys")
	if code != exitFail {
		t.Errorf("exit %d, want 1 (one line failed)", code)
	}
	if !strings.HasPrefix(stdout, "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3\tSHA256:") || !strings.Contains(stdout, "\talice@fixture") {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.Contains(stderr, "line 2") {
		t.Errorf("stderr %q lacks the failing line number", stderr)
	}
}

func TestKeysReport(t *testing.T) {
	cinnabar := strings.Fields(keyFixture(t, "host-cinnabar.pub"))[1]
	tests := []struct {
		name, in, out, errs string
		ok                  bool
	}{
		{
			name: "ssh, rsa, hostile comment and age",
			in: keyFixture(t, "alice.pub") + "\n" + keyFixture(t, "rsa-user.pub") +
				"cinnabar\tssh-ed25519 " + cinnabar + " a\tb\x1b[31m\u009b\n" +
				"age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny\n",
			out: "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3\tSHA256:iW3LDWM9G8B0X2Y7M2E4tr39Zo2bM8U5+rcuh3pVcww\talice@fixture\n" +
				"age1uwyhqz4mxlqwkjvhr23zy4aeq0359azp6fw7fq7wx73z0kdsla7qjc36x5\tSHA256:DHn9vDltHhLCpDLKK/zJtWuKYc2xhy49xR9sn+/pQFM\ta b [31m \n" +
				"age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny\t\t\n",
			errs: "line 3: RSA keys have no age equivalent (add an ed25519 key: ssh-keygen -t ed25519)\n",
		},
		{
			name: "one key",
			in:   keyFixture(t, "alice.pub"),
			out:  "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3\tSHA256:iW3LDWM9G8B0X2Y7M2E4tr39Zo2bM8U5+rcuh3pVcww\talice@fixture\n",
			ok:   true,
		},
		{
			name: "nothing",
			in:   "\n# nothing here\n",
			errs: "no keys found on stdin (pipe in public key lines, as in `fleetyard keys < ~/.ssh/id_ed25519.pub`, or age1… recipients)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, ok := keysReport(tt.in)
			if out != tt.out || errs != tt.errs || ok != tt.ok {
				t.Errorf("keysReport:\nout  %q\nwant %q\nerrs %q\nwant %q\nok %v, want %v", out, tt.out, errs, tt.errs, ok, tt.ok)
			}
		})
	}
}

// TestKeysCommentColumn: a key comment is the user's text printed on a
// terminal. Control characters used to become spaces while bidi overrides
// went through, so a comment could make the line display in another order
// than the bytes say (the "Trojan Source" trick).
func TestKeysCommentColumn(t *testing.T) {
	tests := []struct{ name, comment, want string }{
		{"plain", "alice@laptop", "alice@laptop"},
		{"non-ASCII letters stay", "zoë@café", "zoë@café"},
		{"tab", "a\tb", "a b"},
		{"escape sequence", "a\x1b[2Jb", "a [2Jb"},
		{"C1 CSI", "a\u009bb", "a b"},
		{"right-to-left override", "\u202eevil\u202c@host", " evil @host"},
		{"left-to-right isolate", "a\u2066b\u2069c", "a b c"},
		{"right-to-left mark", "a\u200fb", "a b"},
		{"no-break space", "a\u00a0b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, ok := keysReport(aliceKey + " " + tt.comment + "\n")
			if !ok {
				t.Fatalf("not ok: %q", errs)
			}
			cols := strings.Split(strings.TrimSuffix(out, "\n"), "\t")
			if len(cols) != 3 || cols[2] != tt.want {
				t.Errorf("comment column of %q: %q, want %q", out, cols[len(cols)-1], tt.want)
			}
		})
	}
}

// TestKeysReportPrivate: a private key pasted among public ones fails the
// command and none of it reaches stdout or stderr.
func TestKeysReportPrivate(t *testing.T) {
	for _, name := range []string{"alice", "rsa-user", "encrypted-ed25519"} {
		t.Run(name, func(t *testing.T) {
			priv := keyFixture(t, name)
			out, errs, ok := keysReport(priv + "\n" + keyFixture(t, "bob.pub"))
			if ok {
				t.Error("ok with a private key in the input")
			}
			if sshkey.ContainsPrivate(out) || sshkey.ContainsPrivate(errs) {
				t.Errorf("private key marker in the output: %q %q", out, errs)
			}
			for _, line := range strings.Split(priv, "\n") {
				line = strings.TrimSpace(line)
				if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(out+errs, line[:16]) {
					t.Errorf("output repeats the private key line %q", line)
				}
			}
		})
	}
}

// FuzzKeysReport: whatever is pasted, every output line has three columns
// of printable characters, one line per key, and nothing private.
func FuzzKeysReport(f *testing.F) {
	f.Add(aliceKey + " \u202eevil\u202c\n")
	f.Add(aliceKey + " a\tb\x1b]0;title\a\n" + "age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny\n")
	f.Fuzz(func(t *testing.T, in string) {
		keys, _ := sshkey.Parse(in)
		out, errs, ok := keysReport(in)
		lines := strings.Split(out, "\n")
		if lines[len(lines)-1] != "" && out != "" {
			t.Fatalf("output does not end in a newline: %q", out)
		}
		if out != "" && len(lines)-1 != len(keys) {
			t.Fatalf("%d lines for %d keys: %q", len(lines)-1, len(keys), out)
		}
		for _, line := range lines[:len(lines)-1] {
			cols := strings.Split(line, "\t")
			if len(cols) != 3 {
				t.Fatalf("line %q has %d columns", line, len(cols))
			}
			for _, r := range line {
				if r != '\t' && !strconv.IsPrint(r) {
					t.Fatalf("line %q holds unprintable %U", line, r)
				}
			}
		}
		if ok && errs != "" || sshkey.ContainsPrivate(out) || sshkey.ContainsPrivate(errs) {
			t.Fatalf("ok %v, out %q, errs %q", ok, out, errs)
		}
	})
}
