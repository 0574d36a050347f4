package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestPinnedRunUsesTheLockedInput: the README's `nix run --inputs-from .
// nix-darwin` and `… home-manager` resolve the name to this flake's locked
// input, not to the global registry's entry of the same name (which follows
// the project's default branch, not the revision the modules were checked
// against). Run with the real nix against a registry whose "tool" entry
// points elsewhere than the flake's "tool" input.
func TestPinnedRunUsesTheLockedInput(t *testing.T) {
	nixBin := tooltest.Require(t, "nix", tooltest.InstallNix)
	dir := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pinned/flake.nix", `{ outputs = { self }: { which = "pinned"; }; }`)
	write("newest/flake.nix", `{ outputs = { self }: { which = "registry"; }; }`)
	write("registry.json", `{"version": 2, "flakes": [{"from": {"type": "indirect", "id": "tool"}, "to": {"type": "path", "path": "`+filepath.Join(dir, "newest")+`"}}]}`)
	write("repo/flake.nix", `{ inputs.tool.url = "path:`+filepath.Join(dir, "pinned")+`"; outputs = { self, tool }: { }; }`)

	// pinnedRun's flags, with eval in place of run: the same resolution of
	// "tool", without building anything.
	words := strings.Fields(pinnedRun("tool"))
	if len(words) < 3 || words[0] != "nix" || words[1] != "run" || words[len(words)-1] != "tool" {
		t.Fatalf("pinnedRun = %q, want nix run <flags> tool", pinnedRun("tool"))
	}
	flags := words[2 : len(words)-1]
	nixCmd := func(args ...string) (string, error) {
		cmd := exec.Command(nixBin, args...)
		cmd.Dir = filepath.Join(dir, "repo")
		cmd.Env = append(os.Environ(),
			"HOME="+filepath.Join(dir, "home"), // no user registry
			"NIX_CONFIG=experimental-features = nix-command flakes\nflake-registry = "+filepath.Join(dir, "registry.json"))
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			err = &runError{err, string(ee.Stderr)}
		}
		return string(out), err
	}
	if _, err := nixCmd("flake", "lock"); err != nil {
		if os.Getenv("CI") == "" && strings.Contains(err.Error(), "ermission denied") {
			t.Skipf("nix cannot write its store here (run as root, as CI does): %v", err)
		}
		t.Fatalf("nix flake lock: %v", err)
	}
	got, err := nixCmd(append(append([]string{"eval", "--raw"}, flags...), "tool#which")...)
	if err != nil {
		t.Fatalf("nix eval %s tool#which: %v", strings.Join(flags, " "), err)
	}
	if got != "pinned" {
		t.Errorf("with %q, tool resolved to the %s flake, want the locked input", strings.Join(flags, " "), got)
	}
	// The control: without the flags the registry's entry wins, so the
	// check above is not vacuous.
	if got, err := nixCmd("eval", "--raw", "tool#which"); err != nil || got != "registry" {
		t.Errorf("without flags: %q, %v; want the registry's flake", got, err)
	}
}

type runError struct {
	err    error
	stderr string
}

func (e *runError) Error() string { return e.err.Error() + ": " + strings.TrimSpace(e.stderr) }
