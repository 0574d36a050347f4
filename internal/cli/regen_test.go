package cli

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// Regenerating over a repository, with gen -o or update (one pipeline),
// must not leave access behind: removing an admin removes every file that
// granted them something, or refuses it and says exactly what to run.

// regenerate runs cmd ("gen" or "update") with spec s over dir.
func regenerate(t *testing.T, cmd, dir string, s *gen.Spec) (int, string, string) {
	t.Helper()
	if cmd == "gen" {
		return run(t, "", "gen", "-o", dir, writeSpec(t, s))
	}
	return run(t, "", "update", "--spec", writeSpec(t, s), dir)
}

// withoutCrs58 is the seed fleet after its admin user crs58 left: raquel
// becomes an admin and the Mac's primary user, and the vars generator goes
// too.
func withoutCrs58(t *testing.T) *gen.Spec {
	s := readSeed(t)
	s.Users = s.Users[1:]
	s.Users[0].Admin = true
	for i := range s.Machines {
		if s.Machines[i].Darwin != nil {
			s.Machines[i].Darwin.PrimaryUser = "raquel"
		}
	}
	s.Vars = nil
	return s
}

func TestRegenerateRemovesAdmin(t *testing.T) {
	const edited = "modules/darwin/users/crs58.nix"
	gone := []string{
		"modules/clan/inventory/services/users/crs58.nix", // wheel on their machines
		"modules/system/users/crs58.nix",
		"modules/home/users/crs58/default.nix",
		"modules/home/users/crs58/secrets.nix",
		"modules/clan/vars/api-token.nix", // the removed vars generator
	}
	for _, cmd := range []string{"gen", "update"} {
		for _, clan := range []bool{false, true} {
			name := cmd + "/no clan state"
			if clan {
				name = cmd + "/with clan state"
			}
			t.Run(name, func(t *testing.T) {
				dir := newRepo(t, readSeed(t))
				for _, p := range append(gone, edited, "sops/users/crs58/key.json") {
					if !exists(dir, p) {
						t.Fatalf("the seed does not generate %s", p)
					}
				}
				insertAfter(t, filepath.Join(dir, edited), 1, "# user: crs58's own tweak")
				if clan {
					fakeClanState(t, dir, "cinnabar")
				}
				commitAll(t, dir, "edits")

				code, stdout, stderr := regenerate(t, cmd, dir, withoutCrs58(t))
				if code != exitFail {
					t.Fatalf("exit %d, want %d (files need the user)\n%s\n%s", code, exitFail, stdout, stderr)
				}
				for _, p := range gone {
					if exists(dir, p) {
						t.Errorf("%s survived", p)
					}
				}
				// Refused, each with its exact command.
				refused := map[string][]string{
					edited: {"git rm " + edited},
					"secrets/home-manager/users/crs58/secrets.yaml": {"git rm secrets/home-manager/users/crs58/secrets.yaml"},
				}
				if clan {
					refused["sops/users/crs58/key.json"] = []string{"clan secrets users remove crs58", "clan vars fix"}
				} else if exists(dir, "sops/users/crs58/key.json") {
					t.Errorf("sops/users/crs58/key.json survived with no clan state to re-encrypt")
				}
				for p, cmds := range refused {
					if !exists(dir, p) {
						t.Errorf("%s was removed; it should be refused and listed", p)
					}
					if !containsInOrder(stderr, append([]string{"  " + p + ": "}, cmds...)) {
						t.Errorf("stderr does not list %s with %q:\n%s", p, cmds, stderr)
					}
				}
				// Nothing else in the repository still names crs58.
				filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					rel, _ := filepath.Rel(dir, p)
					rel = filepath.ToSlash(rel)
					if rel == ".git" {
						return filepath.SkipDir
					}
					if d.Type().IsRegular() && refused[rel] == nil && strings.Contains(mustRead(t, dir, rel), "crs58") {
						t.Errorf("%s still names crs58 and is not listed", rel)
					}
					return nil
				})
			})
		}
	}
}

// containsInOrder reports whether s has each of parts after the previous.
func containsInOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// Changing a user's SSH key: their secrets file is kept (it holds real
// values) but still encrypted for the old key. The run lists the sops
// commands; running them with the real sops, as the admin, leaves a file
// the new key opens and the old one does not, and the next run is clean.
func TestRegenerateChangedKeyPrintsSopsCommands(t *testing.T) {
	sopsBin := tooltest.Require(t, "sops", tooltest.InstallSops)
	ids := ageIdentities(t)
	const secret = "secrets/home-manager/users/raquel/secrets.yaml"
	for _, cmd := range []string{"gen", "update"} {
		t.Run(cmd, func(t *testing.T) {
			dir := newRepo(t, readSeed(t))
			next := readSeed(t)
			// raquel's key was bob's fixture; it is revoked for carol's.
			next.Users[1].SSHKeys = []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL8Gz7JgctzariPvQR31SEpAkYAuS70vuNPkKD8U9S8+ carol@fixture"}
			code, stdout, stderr := regenerate(t, cmd, dir, next)
			if code != exitFail {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			want := []string{
				"  " + secret + ": ",
				"\n      sops updatekeys -y " + secret + "\n",
				"      sops rotate -i " + secret + "\n",
			}
			if !containsInOrder(stderr, want) || !strings.Contains(stdout, "REKEY     "+secret) {
				t.Fatalf("the commands are not listed:\n%s\n%s", stdout, stderr)
			}
			if strings.Contains(stderr, "users/crs58/secrets.yaml") {
				t.Errorf("crs58's readers did not change, yet the file is listed:\n%s", stderr)
			}
			commitAll(t, dir, "regenerated")

			sops := func(identity string, args ...string) (string, error) {
				c := exec.Command(sopsBin, args...)
				c.Dir = dir
				keyFile := filepath.Join(t.TempDir(), "key.txt")
				os.WriteFile(keyFile, []byte(ids[identity]+"\n"), 0o600)
				c.Env = append(os.Environ(), "SOPS_AGE_KEY=", "SOPS_AGE_SSH_PRIVATE_KEY_FILE=/nonexistent", "HOME="+t.TempDir(), "SOPS_AGE_KEY_FILE="+keyFile)
				out, err := c.CombinedOutput()
				return string(out), err
			}
			// Run exactly what was printed, as the admin, from the root.
			for _, line := range strings.Split(stderr, "\n") {
				fields := strings.Fields(line)
				if !strings.HasPrefix(line, "      sops ") || fields[len(fields)-1] != secret {
					continue
				}
				if out, err := sops("admin", fields[1:]...); err != nil {
					t.Fatalf("%s: %v\n%s", line, err, out)
				}
			}
			if out, err := sops("carol", "-d", secret); err != nil || !strings.Contains(out, "github-token: REPLACE_ME") {
				t.Errorf("the new key cannot decrypt %s: %v\n%s", secret, err, out)
			}
			if out, err := sops("bob", "-d", secret); err == nil {
				t.Errorf("the revoked key still decrypts %s:\n%s", secret, out)
			}
			commitAll(t, dir, "re-encrypted")
			if code, stdout, stderr := regenerate(t, cmd, dir, next); code != exitOK {
				t.Errorf("after the commands, a second run still needs the user: exit %d\n%s\n%s", code, stdout, stderr)
			}
		})
	}
}

// ageIdentities reads the fixture age identities by name.
func ageIdentities(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "gen", "testdata", "secrets", "age-identities.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if p := strings.Split(sc.Text(), "\t"); len(p) == 3 && !strings.HasPrefix(p[0], "#") {
			out[p[0]] = p[2]
		}
	}
	return out
}
