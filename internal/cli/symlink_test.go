package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A repository can carry committed symbolic links. gen -o and update must
// never write through one: not into a file outside (overwriting it and
// widening its mode), not into a directory outside, not by creating the
// target of a dangling link. The whole run is refused before anything is
// written, with a message naming the link.
func TestGenRefusesSymlinks(t *testing.T) {
	tests := []struct {
		name string
		// plant makes the link inside dir, pointing into outside, and
		// returns the path (relative to dir) the message must name.
		plant func(t *testing.T, dir, outside string) string
	}{
		{"README.md to a file outside", func(t *testing.T, dir, outside string) string {
			must(t, os.Symlink(filepath.Join(outside, "victim"), filepath.Join(dir, "README.md")))
			return "README.md"
		}},
		{"modules to a directory outside", func(t *testing.T, dir, outside string) string {
			must(t, os.Symlink(outside, filepath.Join(dir, "modules")))
			return "modules"
		}},
		{"dangling link under secrets/", func(t *testing.T, dir, outside string) string {
			const rel = "secrets/home-manager/users/crs58/secrets.yaml"
			must(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755))
			must(t, os.Symlink(filepath.Join(outside, "created-by-gen"), filepath.Join(dir, rel)))
			return rel
		}},
	}
	for _, cmd := range []string{"gen", "update"} {
		for _, tt := range tests {
			t.Run(cmd+"/"+tt.name, func(t *testing.T) {
				outside := t.TempDir()
				victim := filepath.Join(outside, "victim")
				must(t, os.WriteFile(victim, []byte("the user's own file\n"), 0o600))
				var dir string
				var args []string
				if cmd == "gen" {
					dir = t.TempDir()
					args = []string{"gen", "-o", dir, seedSpec}
				} else {
					// A generated repository that later gained the link.
					dir = newRepo(t, readSeed(t))
					for _, p := range []string{"README.md", "modules", "secrets"} {
						must(t, os.RemoveAll(filepath.Join(dir, p)))
					}
					commitAll(t, dir, "a committed link is coming")
					args = []string{"update", "--force", "--spec", seedSpec, dir}
				}
				link := tt.plant(t, dir, outside)
				before := treeHash(t, dir)

				code, stdout, stderr := run(t, "", args...)
				if code == exitOK {
					t.Fatalf("exit 0 with a link at %s\n%s\n%s", link, stdout, stderr)
				}
				want := link + " is a symbolic link; Fleetyard does not write through links: remove it or replace it with"
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
				st, err := os.Stat(victim)
				if err != nil || st.Mode().Perm() != 0o600 {
					t.Errorf("the victim's mode changed: %v %v", st.Mode(), err)
				}
				if got, _ := os.ReadFile(victim); string(got) != "the user's own file\n" {
					t.Errorf("the victim was overwritten: %q", got)
				}
				entries, _ := os.ReadDir(outside)
				if len(entries) != 1 {
					t.Errorf("files appeared outside the repository: %v", entries)
				}
				if treeHash(t, dir) != before {
					t.Errorf("a refused run changed the repository")
				}
			})
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
