// Package nixtest runs the real nix-instantiate from tests: parsing generated
// files and evaluating expressions to JSON.
//
// nix-instantiate is run so that it needs neither a daemon nor a writable
// /nix/var, and cannot be influenced by the caller's Nix configuration:
//
//   - --readonly-mode: never write to the store or its database;
//   - HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME and NIX_STATE_DIR point into a
//     fresh per-test temporary directory (Nix otherwise wants ~/.cache and
//     /nix/var state, which fail as an unprivileged user or in a sandbox);
//   - NIX_REMOTE is empty (no daemon) and NIX_PATH is empty (no <nixpkgs>);
//   - NIX_CONF_DIR points at an empty directory so /etc/nix/nix.conf
//     (substituters, experimental features, …) does not apply.
//
// The expression or file is passed through a temporary file, not argv, so
// large generated files do not hit the argument length limit.
package nixtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// Tool is the executable this package runs.
const Tool = "nix-instantiate"

// Available reports whether nix-instantiate can be found, for callers (such
// as fuzz targets) that check extra properties when it exists instead of
// skipping.
func Available() bool {
	_, err := tooltest.Look(Tool)
	return err == nil
}

// Run executes nix-instantiate with args in the hermetic environment
// described in the package comment and returns stdout, stderr and the exit
// error. It skips (or fails in CI) when the tool is missing.
func Run(t testing.TB, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	bin := tooltest.Require(t, Tool, tooltest.InstallNix)
	return run(t, bin, args...)
}

func run(t testing.TB, bin string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, append([]string{"--readonly-mode"}, args...)...)
	cmd.Dir = dir
	cmd.Env = env(dir)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

func env(dir string) []string {
	e := []string{
		"HOME=" + dir,
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"NIX_STATE_DIR=" + filepath.Join(dir, "state"),
		"NIX_REMOTE=",
		"NIX_PATH=",
		"NIX_CONF_DIR=" + filepath.Join(dir, "etc"),
	}
	if p := os.Getenv("PATH"); p != "" {
		e = append(e, "PATH="+p)
	}
	return e
}

// NixInstantiate runs nix-instantiate with args and returns its stdout,
// failing the test with stderr when it exits non-zero.
func NixInstantiate(t testing.TB, args ...string) []byte {
	t.Helper()
	out, errOut, err := Run(t, args...)
	if err != nil {
		t.Fatalf("nix-instantiate %q: %v\n%s", args, err, errOut)
	}
	return out
}

// writeTemp stores src as a .nix file in a fresh temporary directory.
func writeTemp(t testing.TB, src []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "input.nix")
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Parse checks that src is valid Nix by running `nix-instantiate --parse`
// on it, failing the test with Nix's message and a numbered listing of src
// otherwise. Note that Nix's parser also rejects free variables that are
// not bound by a lambda, let or with (e.g. a bare `pkgs` at top level).
func Parse(t testing.TB, src []byte) {
	t.Helper()
	p := writeTemp(t, src)
	if _, errOut, err := Run(t, "--parse", p); err != nil {
		t.Fatalf("nix-instantiate --parse failed: %v\n%s\n--- source ---\n%s", err, errOut, numbered(src))
	}
}

// ParseErr is like Parse but returns Nix's error output instead of failing,
// for tests that expect a parse error. It returns nil when src parses.
func ParseErr(t testing.TB, src []byte) []byte {
	t.Helper()
	p := writeTemp(t, src)
	if _, errOut, err := Run(t, "--parse", p); err != nil {
		if len(errOut) == 0 {
			errOut = []byte(err.Error())
		}
		return errOut
	}
	return nil
}

// EvalJSON evaluates expr strictly and returns its JSON encoding as printed
// by `nix-instantiate --eval --strict --json`. Batch many values into one
// list or attribute set: each call costs a process start (~30 ms).
func EvalJSON(t testing.TB, expr string) []byte {
	t.Helper()
	p := writeTemp(t, []byte(expr))
	out, errOut, err := Run(t, "--eval", "--strict", "--json", p)
	if err != nil {
		t.Fatalf("nix-instantiate --eval failed: %v\n%s\n--- expression ---\n%s", err, errOut, numbered([]byte(expr)))
	}
	return out
}

func numbered(src []byte) []byte {
	var b bytes.Buffer
	for i, line := range bytes.SplitAfter(src, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		n := strconv.Itoa(i + 1)
		if len(n) < 4 {
			b.WriteString("    "[len(n):])
		}
		b.WriteString(n)
		b.WriteString("| ")
		b.Write(line)
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		b.WriteByte('\n')
	}
	return b.Bytes()
}
