package cli

import (
	"os"
	"path/filepath"
	"slices"
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
