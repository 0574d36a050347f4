package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestMacAgeKeyStepRuns: a Mac whose hostKey is an age recipient decrypts
// with that key's identity in /var/lib/sops-nix/key.txt. sops-nix's
// nix-darwin module reads age.keyFile (null by default) and would add the
// SSH host key through sshKeyPaths; clan sets keyFile only for a machine
// with its own sops/secrets/<m>-age.key (clanCore/vars/secret/sops,
// secretUploadDirectory), which such a Mac has not. The README's commands
// put an identity there, readable by its owner only, and check it with
// age-keygen -y: run here with sudo dropped and the directory moved.
func TestMacAgeKeyStepRuns(t *testing.T) {
	keygen := tooltest.Require(t, "age-keygen", "apt-get install age")
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	spec := `{"version":1,"name":"t","users":[{"name":"al","admin":true,"uid":501,"sshKeys":["` + aliceKey + `"],"machines":["mac","mbp"]}],` +
		`"machines":[{"name":"mac","class":"darwin","hostKey":"` + id.Recipient().String() + `"},{"name":"mbp","class":"darwin","hostKey":"` + bobKey + `"}]}`
	files := runEmitters(t, parseSpec(t, []byte(spec)), plainEmitters)

	mod := files["modules/machines/darwin/mac/default.nix"]
	for _, want := range []string{"sops.age.keyFile = \"" + macAgeKeyFile + "\";\n", "sops.age.sshKeyPaths = [ ];\n"} {
		if !strings.Contains(mod, want) {
			t.Errorf("the age-keyed Mac's module lacks %q:\n%s", want, mod)
		}
	}
	if other := files["modules/machines/darwin/mbp/default.nix"]; !strings.Contains(other, `sops.age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];`) || strings.Contains(other, "keyFile") {
		t.Errorf("the SSH-keyed Mac no longer decrypts with its host key:\n%s", other)
	}

	code, ok := readmeStepAllCode(files["README.md"], "Check the Macs' keys")
	if !ok {
		t.Fatal("no \"Check the Macs' keys\" step in the README")
	}
	keyDir := filepath.Join(t.TempDir(), "var", "lib", "sops-nix")
	fix := strings.NewReplacer("sudo ", "", macAgeKeyDir, keyDir,
		"nix "+flakesFlag+" shell --inputs-from . nixpkgs#age -c age-keygen", keygen)
	var install, store, check string
	for _, l := range code {
		switch {
		case strings.HasPrefix(l, "sudo install -d"):
			install = fix.Replace(l)
		case strings.Contains(l, "cat > "):
			store = fix.Replace(l)
		case strings.Contains(l, "age-keygen -y") && strings.Contains(l, "# on mac,"):
			check = fix.Replace(l)
		}
	}
	if install == "" || store == "" || check == "" {
		t.Fatalf("the step lacks a command (install %q, store %q, check %q):\n%q", install, store, check, code)
	}
	sh := func(line, stdin string) string {
		t.Helper()
		cmd := exec.Command("sh", "-c", line)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return string(out)
	}
	sh(install, "")
	sh(store, id.String()+"\n")
	for path, mode := range map[string]os.FileMode{keyDir: 0o700, filepath.Join(keyDir, "key.txt"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v %v, want mode %o", path, fi, err, mode)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(keyDir, "key.txt")); string(data) != id.String()+"\n" {
		t.Errorf("key.txt holds %q, want the identity pasted", data)
	}
	got := strings.TrimSpace(sh(check, ""))
	if want := id.Recipient().String(); got != want || !strings.HasSuffix(check, "must print "+want) {
		t.Errorf("the check printed %q; it says it must print %q", got, check[strings.LastIndex(check, " ")+1:])
	}
}
