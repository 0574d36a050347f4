package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestPinnedRunUsesTheLockedInput runs the README's `nix run --inputs-from .
// <input>` commands with the real nix, as eval in place of run (the same
// resolution of the name, without building anything), against a registry
// whose "tool" entry points elsewhere than the flake's "tool" input:
//   - the name resolves to the flake's locked input, not to the global
//     registry's entry (which follows the project's default branch, not the
//     revision the modules were checked against); without --inputs-from the
//     registry wins, so the check is not vacuous;
//   - with flakesFlag the command works where no nix.conf enables flakes (a
//     Mac's first switch, under sudo).
func TestPinnedRunUsesTheLockedInput(t *testing.T) {
	nixBin := tooltest.Require(t, "nix", tooltest.InstallNix)
	sh := tooltest.Require(t, "sh", tooltest.InstallSh)
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
	// A shell with nix first on PATH (sh finds "nix" as the README does) and
	// a nix.conf of our own: the registry above, flakes on or off.
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(nixBin, filepath.Join(bin, "nix")); err != nil {
		t.Fatal(err)
	}
	run := func(flakesOn bool, command string) (string, error) {
		t.Helper()
		conf := "flake-registry = " + filepath.Join(dir, "registry.json")
		if flakesOn {
			conf += "\nexperimental-features = nix-command flakes"
		} else {
			conf += "\nexperimental-features ="
		}
		cmd := exec.Command(sh, "-c", command)
		cmd.Dir = filepath.Join(dir, "repo")
		cmd.Env = append(os.Environ(),
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"HOME="+filepath.Join(dir, "home"), // no user nix.conf or registry
			"NIX_CONFIG="+conf)
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			err = &runError{err, string(ee.Stderr)}
		}
		return string(out), err
	}
	if _, err := run(true, "nix flake lock"); err != nil {
		if os.Getenv("CI") == "" && strings.Contains(err.Error(), "ermission denied") {
			t.Skipf("nix cannot write its store here (run as root, as CI does): %v", err)
		}
		t.Fatalf("nix flake lock: %v", err)
	}
	asEval := func(command string) string {
		return strings.Replace(command, " run ", " eval --raw ", 1) + "#which"
	}
	for _, tc := range []struct {
		name     string
		flakesOn bool
		command  string
		want     string
	}{
		{"pinned", true, asEval(pinnedRun("tool")), "pinned"},
		{"pinned, flakes by flag", false, asEval(pinnedRun("tool", flakesFlag)), "pinned"},
		{"registry without --inputs-from", true, "nix eval --raw tool#which", "registry"},
	} {
		got, err := run(tc.flakesOn, tc.command)
		if err != nil || got != tc.want {
			t.Errorf("%s: %s gave %q, %v; want %q", tc.name, tc.command, got, err, tc.want)
		}
	}
	// And flakes are really off without the flag, so the second case is
	// the flag's doing.
	if _, err := run(false, asEval(pinnedRun("tool"))); err == nil {
		t.Errorf("%s worked with flakes off", asEval(pinnedRun("tool")))
	}
}

type runError struct {
	err    error
	stderr string
}

func (e *runError) Error() string { return e.err.Error() + ": " + strings.TrimSpace(e.stderr) }
