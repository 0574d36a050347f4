package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestKnownHostsCodeRuns runs the README's known_hosts block (knownHostsCode)
// with the real ssh-keygen, twice, in a home that has never used ssh: the
// first run must create ~/.ssh (0700) and the file rather than stop at
// `ssh-keygen -R`'s "Cannot stat" (exit 255, OpenSSH ssh-keygen.c
// do_known_hosts), and each run leaves exactly one entry for the address,
// holding the key clan keeps in vars/. The seed's cloud servers get the
// block from the terranix step; a NixOS machine on its own hardware from
// the machines' install step.
func TestKnownHostsCodeRuns(t *testing.T) {
	sshKeygen := tooltest.Require(t, "ssh-keygen", tooltest.InstallSSHKeygen)
	own := strings.Replace(string(readExample(t, "minimal.json")), `"class": "nixos" }`, `"class": "nixos", "targetHost": "root@203.0.113.9" }`, 1)
	for name, spec := range map[string]string{"seed": string(readExample(t, "seed.json")), "minimal, own hardware": own} {
		t.Run(name, func(t *testing.T) {
			files := runEmitters(t, parseSpec(t, []byte(spec)), plainEmitters)
			block := shellBlockWith(files["README.md"], "ssh-keygen -R <address>")
			if block == nil {
				t.Fatalf("no block with ssh-keygen -R in the README")
			}
			// A machine clan reaches by a name (the seed's cinnabar.zt)
			// needs the same entry under that name: the README says so and
			// names it, and the run below adds it as told. An address
			// (minimal's) needs nothing more.
			note := "run the last two lines again with that name in place of `<address>`"
			hostName := map[string]string{"seed": "cinnabar.zt"}[name]
			if got := strings.Contains(files["README.md"], note); got != (hostName != "") {
				t.Errorf("README says %q: %v, want %v", note, got, hostName != "")
			}
			if hostName != "" && !strings.Contains(files["README.md"], note+": `cinnabar` (`"+hostName+"`).") {
				t.Errorf("the README does not name cinnabar and %s", hostName)
			}
			const address = "203.0.113.7"
			repo, home := t.TempDir(), filepath.Join(t.TempDir(), "home")
			os.MkdirAll(home, 0o755)
			pub := filepath.Join(repo, "vars/per-machine/server/openssh/ssh.id_ed25519.pub/value")
			os.MkdirAll(filepath.Dir(pub), 0o755)
			os.WriteFile(pub, []byte(aliceKey+"\n"), 0o644)
			// ssh-keygen finds ~/.ssh/known_hosts through the password
			// database, not $HOME, so the test names the file.
			script := strings.NewReplacer(
				"ssh-keygen -R <address>", sshKeygen+` -R `+address+` -f "$HOME/.ssh/known_hosts"`,
				"<address>", address,
				"<machine>", "server",
			).Replace(strings.Join(block, "\n"))
			hosts := []string{address}
			if hostName != "" {
				script += "\n" + strings.NewReplacer(
					"ssh-keygen -R <address>", sshKeygen+` -R `+hostName+` -f "$HOME/.ssh/known_hosts"`,
					"<address>", hostName,
					"<machine>", "server",
				).Replace(strings.Join(block[1:], "\n"))
				hosts = append(hosts, hostName)
			}
			for run := 1; run <= 2; run++ {
				cmd := exec.Command("sh", "-e", "-c", script)
				cmd.Dir, cmd.Env = repo, append(os.Environ(), "HOME="+home)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("run %d of\n%s\n%v: %s", run, script, err, out)
				}
				kh := filepath.Join(home, ".ssh", "known_hosts")
				for _, host := range hosts {
					out, err := exec.Command(sshKeygen, "-F", host, "-f", kh).Output()
					if err != nil {
						t.Fatalf("run %d: ssh-keygen -F %s finds nothing: %v", run, host, err)
					}
					if n := strings.Count(string(out), "ssh-ed25519 "); n != 1 || !strings.Contains(string(out), strings.Fields(aliceKey)[1]) {
						t.Errorf("run %d: %d entries for %s, want exactly one with the key in vars/:\n%s", run, n, host, out)
					}
				}
			}
			if fi, err := os.Stat(filepath.Join(home, ".ssh")); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("~/.ssh: %v %v, want mode 700", fi, err)
			}
		})
	}
}

// shellBlockWith returns the lines of the first fenced block of md that
// holds a line starting with prefix, or nil.
func shellBlockWith(md, prefix string) []string {
	var block []string
	in, hit := false, false
	for _, l := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(l, "```") && !in:
			in, block, hit = true, nil, false
		case strings.HasPrefix(l, "```"):
			if hit {
				return block
			}
			in = false
		case in:
			block = append(block, l)
			hit = hit || strings.HasPrefix(l, prefix)
		}
	}
	return nil
}

// TestHostIsName: the README asks for a second known_hosts entry only for
// a targetHost that ssh will look up by name, not by address.
func TestHostIsName(t *testing.T) {
	for host, want := range map[string]bool{
		"cinnabar.zt": true, "localhost": true, "mac-1.local": true, "1password.example": true,
		"203.0.113.7": false, "10.0.0.1": false, "2001:db8::1": false, "::1": false, "": false,
	} {
		if got := hostIsName(host); got != want {
			t.Errorf("hostIsName(%q) = %v, want %v", host, got, want)
		}
	}
}
