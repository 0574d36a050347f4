package tooltest

import (
	"archive/tar"
	"compress/gzip"
	"io"
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

// UpstreamFile returns one file of a pinned upstream snapshot
// (shared/upstream/<project>.tar.gz, whose members are under <project>/),
// failing the test when the snapshot or the file is missing. Tests read
// option names and enums from it rather than copying them.
func UpstreamFile(t testing.TB, project, path string) []byte {
	t.Helper()
	return TarballFile(t, filepath.Join(Shared(t), "upstream", project+".tar.gz"), project+"/"+path)
}

// TarballFile returns the member name of a .tar.gz, failing the test when
// the tarball or the member is missing.
func TarballFile(t testing.TB, tarball, name string) []byte {
	t.Helper()
	f, err := os.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", tarball, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			t.Fatalf("%s has no %s", tarball, name)
		}
		if err != nil {
			t.Fatalf("%s: %v", tarball, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}
