// Package tooltest lets tests depend on real external tools (nix-instantiate,
// sops, age, chromium) without making a bare `go test ./...` fail on a
// machine that lacks them — except in CI, where a missing tool is a failure.
package tooltest

import (
	"os"
	"os/exec"
	"path/filepath"
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
)
