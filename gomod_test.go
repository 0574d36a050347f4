package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestGoModTidy checks that go.mod and go.sum are what `go mod tidy` makes of
// them: every require a direct one unless marked indirect, and go.sum holding
// the checksums the tests of dependencies need too. It runs offline against
// the module cache (GOPROXY=off), so it is quick and never reaches the
// network. A cache that lacks a module makes the check meaningless, so the
// test is skipped then, except in CI, whose script fills the cache with
// `go mod download all` first; there a missing module is a failure.
func TestGoModTidy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	cmd := exec.Command(gobin, "mod", "tidy", "-diff")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if err == nil {
		return
	}
	// -diff exits non-zero both for a difference (printed on stdout) and
	// for a failure to load the module graph (only stderr).
	if stdout.Len() > 0 {
		t.Fatalf("go.mod or go.sum is not tidy; run `go mod tidy`. Difference:\n%s", stdout.String())
	}
	msg := "go mod tidy -diff could not run offline (the module cache lacks something); " +
		"fill it with `go mod download all`:\n" + stderr.String()
	if strings.Contains(stderr.String(), "GOPROXY=off") {
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "(CI is set and .ci/run fills the cache, so this is a failure)")
		}
		t.Skip(msg)
	}
	t.Fatalf("go mod tidy -diff: %v\n%s", err, stderr.String())
}
