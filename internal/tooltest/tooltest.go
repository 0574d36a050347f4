// Package tooltest lets tests depend on real external tools (nix-instantiate,
// sops, age, chromium) without making a bare `go test ./...` fail on a
// machine that lacks them — except in CI, where a missing tool is a failure.
package tooltest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Require returns the path of the named executable. When it is missing the
// test is skipped with the install command in the message, or fails when the
// CI environment variable is set.
func Require(t testing.TB, name, install string) string {
	t.Helper()
	if p, err := Look(name); err == nil {
		return p
	}
	msg := name + " not found on PATH; install it with: " + install
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so a missing tool is a failure)")
	}
	t.Skip(msg)
	return ""
}

// Look finds name on PATH, then in $GOPATH/bin (where `go install` puts sops).
func Look(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if home, herr := os.UserHomeDir(); herr == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	if gopath != "" {
		cand := filepath.Join(gopath, "bin", name)
		if st, serr := os.Stat(cand); serr == nil && !st.IsDir() {
			return cand, nil
		}
	}
	return "", err
}

// Install commands, so every test names the same ones.
const (
	InstallNix       = "apt-get update && apt-get install -y nix-bin"
	InstallAge       = "apt-get update && apt-get install -y age"
	InstallSops      = "go install github.com/getsops/sops/v3/cmd/sops@v3.13.3"
	InstallChromium  = "apt-get update && apt-get install -y chromium"
	InstallSSHKeygen = "apt-get update && apt-get install -y openssh-client"
	InstallBash      = "apt-get update && apt-get install -y bash"
	InstallSh        = "apt-get update && apt-get install -y dash"
	InstallJq        = "apt-get update && apt-get install -y jq"
	InstallTar       = "apt-get update && apt-get install -y tar"
	InstallGit       = "apt-get update && apt-get install -y git"
	InstallUnzip     = "apt-get update && apt-get install -y unzip"
)

// InstallNixfmt builds the pinned nixfmt (RFC 166 style) offline and prints
// its path; tests find it through $NIXFMT or the cache it writes.
const InstallNixfmt = `export NIXFMT="$(bash .ci/nixfmt.sh)"`

// NixfmtCache is where .ci/nixfmt.sh caches the binaries it builds
// (nixfmt-<pin>-<hash>); $FLEETYARD_CACHE overrides it, as in the script.
func NixfmtCache() string {
	if d := os.Getenv("FLEETYARD_CACHE"); d != "" {
		return d
	}
	return "/var/cache/fleetyard"
}

// RequireNixfmt returns the path of a nixfmt binary: $NIXFMT when set, then
// nixfmt on PATH, then the most recently built one in [NixfmtCache]. When none
// is found the test is skipped with the build command, or fails when the CI
// environment variable is set (as [Require] does).
func RequireNixfmt(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("NIXFMT"); p != "" {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
		t.Fatalf("NIXFMT=%s is not an executable file", p)
	}
	if p, err := exec.LookPath("nixfmt"); err == nil {
		return p
	}
	if p := newestNixfmt(NixfmtCache()); p != "" {
		return p
	}
	msg := "nixfmt not found ($NIXFMT, PATH, " + NixfmtCache() + "/nixfmt-*); build it with: " + InstallNixfmt
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so a missing tool is a failure)")
	}
	t.Skip(msg)
	return ""
}

// newestNixfmt returns the most recently modified executable nixfmt-* in dir
// (skipping the script's half-written *.tmp files), or "".
func newestNixfmt(dir string) string {
	matches, _ := filepath.Glob(filepath.Join(dir, "nixfmt-*"))
	best, bestTime := "", int64(0)
	for _, m := range matches {
		if strings.HasSuffix(m, ".tmp") {
			continue
		}
		st, err := os.Stat(m)
		if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			continue
		}
		if t := st.ModTime().UnixNano(); best == "" || t > bestTime {
			best, bestTime = m, t
		}
	}
	return best
}
