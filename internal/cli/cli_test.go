package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seedSpec = "../../content/examples/seed.json"

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &o, Stderr: &e})
	return code, o.String(), e.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{nil, exitUsage, "Usage: fleetyard"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"gen", "--nope", seedSpec}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{"gen", seedSpec}, exitUsage, "exactly one of -o DIR, --tar, --zip"},
		{[]string{"gen", "--tar", "--zip", seedSpec}, exitUsage, "exactly one of"},
		{[]string{"gen", "--tar", "--entropy", "abcd", seedSpec}, exitUsage, "--entropy must be 64 hex digits"},
		{[]string{"gen", "--tar", "--time", "yesterday", seedSpec}, exitUsage, "is not RFC 3339"},
		{[]string{"validate"}, exitUsage, "Usage: fleetyard validate"},
		{[]string{"keys", "extra"}, exitUsage, "reads the keys from standard input: fleetyard keys < extra"},
		// The command names itself and the file it could not read.
		{[]string{"validate", "no-such.json"}, exitFail, "fleetyard validate: spec no-such.json: no such file; name the fleet.json to read"},
		{[]string{"gen", "-o", "out", "no-such.json"}, exitFail, "fleetyard gen: spec no-such.json: no such file"},
		{[]string{"gen", "-o", seedSpec, seedSpec}, exitUsage, "fleetyard gen: -o " + seedSpec + ": a file is there, not a directory"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("fleetyard %q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	code, stdout, _ := run(t, "", "--help")
	if code != exitOK || !strings.Contains(stdout, "gen") || !strings.Contains(stdout, "serve") {
		t.Fatalf("help: exit %d, %q", code, stdout)
	}
}

const entropy = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

func TestGenArchivesReproducible(t *testing.T) {
	for _, kind := range []string{"--tar", "--zip"} {
		_, a, errA := run(t, "", "gen", kind, "--entropy", entropy, "--time", "2026-01-01T00:00:00Z", seedSpec)
		_, b, _ := run(t, "", "gen", seedSpec, "--time", "2026-01-01T00:00:00Z", kind, "--entropy", entropy)
		if a == "" || a != b {
			t.Errorf("%s: two runs with the same entropy/time differ or are empty (stderr %q)", kind, errA)
		}
	}
}

func TestGenFromStdinMatchesFile(t *testing.T) {
	data, err := os.ReadFile(seedSpec)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"gen", "--tar", "--entropy", entropy, "--time", "2026-01-01T00:00:00Z"}
	_, fromFile, _ := run(t, "", append(args, seedSpec)...)
	_, fromStdin, _ := run(t, string(data), append(args, "-")...)
	if fromFile == "" || fromFile != fromStdin {
		t.Fatal("gen from stdin differs from gen from the file")
	}
}

// Regenerating over a repository keeps every file under secrets/ byte for
// byte; one that is not encrypted is kept too, but refused with the
// command that encrypts it.
func TestGenDirKeepsExistingSecrets(t *testing.T) {
	const rel = "secrets/home-manager/users/crs58/secrets.yaml"
	tests := []struct {
		name   string
		edit   func(stub []byte) []byte
		code   int
		stderr string
	}{
		// What `sops edit` leaves: still encrypted for the same keys.
		{"edited with sops", func(stub []byte) []byte { return append([]byte("# real values inside\n"), stub...) }, exitOK, ""},
		{"decrypted in place", func([]byte) []byte { return []byte("real: secret\n") }, exitFail, "      sops encrypt -i " + rel + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			code, _, stderr := run(t, "", "gen", "-o", dir, seedSpec)
			if code != exitOK {
				t.Fatalf("gen -o: exit %d: %s", code, stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "flake.nix")); err != nil {
				t.Fatal("flake.nix not written:", err)
			}
			secret := filepath.Join(dir, filepath.FromSlash(rel))
			stub, err := os.ReadFile(secret)
			if err != nil {
				t.Fatal("the seed example must produce a secrets stub:", err)
			}
			mine := tt.edit(stub)
			os.WriteFile(secret, mine, 0o644)
			code, stdout, stderr := run(t, "", "gen", "-o", dir, seedSpec)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("regenerate: exit %d, want %d\n%s\n%s", code, tt.code, stdout, stderr)
			}
			if got, _ := os.ReadFile(secret); string(got) != string(mine) {
				t.Fatalf("existing secrets file was overwritten: %q", got)
			}
		})
	}
}

func TestValidateReportsPositions(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"version\": 1,\n  \"name\": \"x\",\n  \"machines\": [ { \"name\": \"a\", \"class\": \"nixos\", \"colour\": 1 } ]\n}\n"), 0o644)
	code, _, stderr := run(t, "", "validate", bad)
	if code != exitFail {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitFail, stderr)
	}
	if !strings.Contains(stderr, bad+":4:") || !strings.Contains(stderr, "machines[0].colour") {
		t.Errorf("diagnostic lacks file:line:col or path: %q", stderr)
	}
	code, stdout, _ := run(t, "", "validate", seedSpec)
	if code != exitOK || !strings.Contains(stdout, "ok") {
		t.Errorf("seed.json: exit %d %q", code, stdout)
	}
}
