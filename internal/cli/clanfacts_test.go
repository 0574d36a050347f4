package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestClanFacts: the machines clan finds are the directories under
// machines/ and the keys of inventory.json's "machines" (clan-core
// modules/clan/module.nix), merged and sorted; links and files are not
// directories, and an inventory.json that does not parse adds nothing.
func TestClanFacts(t *testing.T) {
	tests := []struct {
		name      string
		inventory string
		want      []string
	}{
		{"both", `{"machines": {"zinc": {"installedAt": 1}, "cinnabar": {}}, "meta": {}}`, []string{"cinnabar", "gone", "zinc"}},
		{"no inventory", "", []string{"cinnabar", "gone"}},
		{"broken inventory", `{"machines": `, []string{"cinnabar", "gone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, p := range []string{"machines/gone", "machines/cinnabar", "sops/secrets/cinnabar-age.key", "sops/secrets/hetzner-api-token", "elsewhere"} {
				if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			os.WriteFile(filepath.Join(dir, "machines/README"), []byte("a file"), 0o644)
			os.Symlink("../elsewhere", filepath.Join(dir, "machines/linked"))
			if tt.inventory != "" {
				os.WriteFile(filepath.Join(dir, "inventory.json"), []byte(tt.inventory), 0o644)
			}
			tr, err := openTree(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.close()
			c := clanFacts(tr)
			if !slices.Equal(c.Machines, tt.want) {
				t.Errorf("machines = %q, want %q", c.Machines, tt.want)
			}
			if want := []string{"cinnabar-age.key", "hetzner-api-token"}; !slices.Equal(c.Secrets, want) {
				t.Errorf("secrets = %q, want %q", c.Secrets, want)
			}
		})
	}
}

// TestUpdateNotesMachinesClanFinds: an installed machine leaves
// machines/<name> (its hardware report) and an inventory.json entry, and
// clan-core (modules/clan/module.nix) keeps either in its inventory after
// the spec drops it. update reads both from the repository and says how to
// retire the machine, even one dropped by an earlier update.
func TestUpdateNotesMachinesClanFinds(t *testing.T) {
	dir := newRepo(t, readSeed(t))
	for p, data := range map[string]string{
		"machines/gone/facter.json":        "{}",
		"machines/cinnabar/facter.json":    "{}",
		"inventory.json":                   `{"machines": {"cinnabar": {"installedAt": 1}, "left": {"installedAt": 2}}}`,
		"sops/secrets/gone-age.key/secret": "ENC",
	} {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commitAll(t, dir, "installed")
	code, stdout, stderr := run(t, "", "update", "-n", dir)
	if code != exitOK {
		t.Fatalf("update -n: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"note: clan finds a machine gone that the spec does not have",
		"note: clan finds a machine left that the spec does not have",
		"    clan machines delete gone\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("update -n lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "machine cinnabar") {
		t.Errorf("cinnabar is in the spec, yet a note names it:\n%s", stdout)
	}
}
