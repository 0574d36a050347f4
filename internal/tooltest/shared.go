package tooltest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Shared returns the project's shared directory (design notes, fixtures,
// the pinned upstream snapshots and the tools that evaluate generated
// repositories against them): $FLEETYARD_SHARED, else the folder "shared"
// beside the repository, where CI lays a copy. When it is missing the test
// is skipped, or fails when CI is set.
func Shared(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("FLEETYARD_SHARED")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		// internal/tooltest/shared.go -> repository root -> its parent.
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	}
	if st, err := os.Stat(filepath.Join(dir, "upstream", "PINS.tsv")); err == nil && !st.IsDir() {
		abs, err := filepath.Abs(dir)
		if err == nil {
			return abs
		}
		return dir
	}
	msg := "the shared directory (upstream snapshots, nix-eval tools) was not found at " + dir + "; set FLEETYARD_SHARED to its path"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so this is a failure)")
	}
	t.Skip(msg)
	return ""
}
