package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// The secrets check follows the .sops.yaml the update leaves, as sops
// does (getsops/sops config/config.go: the first creation rule whose
// path_regex matches, unanchored), not only the rules Fleetyard generates:
// an owner's own rule and the files under it are the owner's, and are
// neither "gone" nor to be re-encrypted.
func TestUpdateFollowsTheOwnersSopsRules(t *testing.T) {
	sopsBin := tooltest.Require(t, "sops", tooltest.InstallSops)
	dir := newRepo(t, readSeed(t))
	cfg := mustRead(t, dir, ".sops.yaml") + "  - path_regex: '^secrets/team/[^/]+\\.yaml$'\n    key_groups:\n      - age:\n          - *admin\n"
	if err := os.WriteFile(filepath.Join(dir, ".sops.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	const team = "secrets/team/db.yaml"
	if err := os.MkdirAll(filepath.Join(dir, "secrets", "team"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, team), []byte("password: hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	enc := exec.Command(sopsBin, "encrypt", "-i", team)
	enc.Dir = dir
	if out, err := enc.CombinedOutput(); err != nil {
		t.Fatalf("sops encrypt: %v\n%s", err, out)
	}
	commitAll(t, dir, "a team secret under the owner's own rule")

	next := readSeed(t)
	next.Description = "Reshaped."
	code, stdout, stderr := run(t, "", "update", "--spec", writeSpec(t, next), dir)
	if code != exitOK || strings.Contains(stdout+stderr, team) {
		t.Fatalf("exit %d: the owner's rule was not followed\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(mustRead(t, dir, ".sops.yaml"), "secrets/team/") {
		t.Error("the owner's rule is gone from .sops.yaml")
	}
}
