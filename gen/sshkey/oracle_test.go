package sshkey

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// Fresh keys from the real ssh-keygen: our recipient must be the one age
// derives from the ssh-to-age identity, and age must round-trip a message
// encrypted to it.
func TestOracleRealTools(t *testing.T) {
	sshKeygen := tooltest.Require(t, "ssh-keygen", tooltest.InstallSSHKeygen)
	ageBin := tooltest.Require(t, "age", tooltest.InstallAge)
	ageKeygen := tooltest.Require(t, "age-keygen", tooltest.InstallAge)
	dir := t.TempDir()
	run := func(stdin []byte, name string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Stdin = bytes.NewReader(stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
		}
		return out
	}
	for i := 0; i < 5; i++ {
		key := filepath.Join(dir, "k"+strconv.Itoa(i))
		run(nil, sshKeygen, "-q", "-t", "ed25519", "-N", "", "-C", "oracle-"+strconv.Itoa(i), "-f", key)
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		k, err := ParseKey(string(pub))
		if err != nil {
			t.Fatal(err)
		}
		fp := strings.Fields(string(run(nil, sshKeygen, "-l", "-E", "sha256", "-f", key+".pub")))[1]
		if k.Fingerprint != fp {
			t.Errorf("key %d: fingerprint %s, ssh-keygen says %s", i, k.Fingerprint, fp)
		}
		priv, err := os.ReadFile(key)
		if err != nil {
			t.Fatal(err)
		}
		seed, err := opensshSeed(string(priv))
		if err != nil {
			t.Fatal(err)
		}
		idFile := filepath.Join(dir, "id"+strconv.Itoa(i))
		if err := os.WriteFile(idFile, []byte(ageIdentity(seed)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(run(nil, ageKeygen, "-y", idFile))); got != k.Recipient {
			t.Errorf("key %d: ours %s, age-keygen -y %s", i, k.Recipient, got)
		}
		ct := run([]byte("hi\n"), ageBin, "-r", k.Recipient)
		if pt := run(ct, ageBin, "-d", "-i", idFile); string(pt) != "hi\n" {
			t.Errorf("key %d: round trip gave %q", i, pt)
		}
	}
}
