package archive

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// stdlibTar is what TarGz wrote before tarball.go, through archive/tar,
// without the gzip layer: the reference for short ASCII names.
func stdlibTar(t *testing.T, root string, files []gen.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, dir := range archiveDirs(root, files) {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: archiveTime, Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: joinRoot(root, f.Path), Mode: int64(f.Mode), Size: int64(len(f.Data)), ModTime: archiveTime, Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.Data)
	}
	tw.Close()
	return buf.Bytes()
}

func handTar(root string, files []gen.File) []byte {
	var tw tarWriter
	for _, dir := range archiveDirs(root, files) {
		tw.dir(dir, 0o755, int64(archiveMtime))
	}
	for _, f := range files {
		tw.file(joinRoot(root, f.Path), int64(f.Mode), int64(archiveMtime), f.Data)
	}
	return tw.close()
}

// exampleFiles generates the repository of content/examples/name.json with
// fixed entropy and time, and returns its root directory name and files.
func exampleFiles(t *testing.T, name string) (string, []gen.File) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "content", "examples", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	fleet, diags := gen.Parse(data)
	if fleet == nil || gen.HasErrors(diags) {
		t.Fatalf("%s: %v", name, diags)
	}
	opt := gen.Options{Entropy: bytes.Repeat([]byte{0xA5}, 32), Time: time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC)}
	files, err := gen.Generate(fleet, opt)
	if err != nil {
		t.Fatal(err)
	}
	return fleet.Spec().Name, files
}

// TestTarMatchesArchiveTar: for the examples' repositories (short ASCII
// names) the hand-written tar is byte for byte archive/tar's.
func TestTarMatchesArchiveTar(t *testing.T) {
	for _, name := range []string{"minimal", "seed", "large"} {
		root, files := exampleFiles(t, name)
		if got, want := handTar(root, files), stdlibTar(t, root, files); !bytes.Equal(got, want) {
			t.Errorf("%s: hand-written tar (%d bytes) differs from archive/tar's (%d bytes)", name, len(got), len(want))
		}
	}
}

// TestTarLongAndNonASCIINames: names that fit no ustar header travel in a
// PAX record; archive/tar's reader and GNU tar both read them back.
func TestTarLongAndNonASCIINames(t *testing.T) {
	long := strings.Repeat("d", 120) + "/" + strings.Repeat("f", 99)
	files := []gen.File{
		{Path: "short.txt", Mode: 0o644, Data: []byte("a\n")},
		{Path: strings.Repeat("p", 90) + "/" + strings.Repeat("q", 90) + ".nix", Mode: 0o644, Data: []byte("split at a slash\n")},
		{Path: long, Mode: 0o755, Data: []byte("pax\n")},
		{Path: strings.Repeat("x", 230), Mode: 0o644, Data: []byte("no slash\n")},
		{Path: "naïve/ünïcode.txt", Mode: 0o644, Data: bytes.Repeat([]byte("z"), 1000)},
	}
	data := handTar("root", files)
	tr := tar.NewReader(bytes.NewReader(data))
	got := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if h.Typeflag == tar.TypeReg {
			got[h.Name] = string(b)
			if h.ModTime.Unix() != int64(archiveMtime) {
				t.Errorf("%s: mtime %v", h.Name, h.ModTime)
			}
		}
	}
	for _, f := range files {
		if got["root/"+f.Path] != string(f.Data) {
			t.Errorf("archive/tar reads %q as %q", "root/"+f.Path, got["root/"+f.Path])
		}
	}
	gnu := tooltest.Require(t, "tar", tooltest.InstallTar)
	dir := t.TempDir()
	archive := filepath.Join(dir, "x.tar")
	os.WriteFile(archive, data, 0o644)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	if b, err := exec.Command(gnu, "-xf", archive, "-C", out).CombinedOutput(); err != nil || len(b) > 0 {
		t.Fatalf("GNU tar: %v\n%s", err, b)
	}
	for _, f := range files {
		p := filepath.Join(out, "root", filepath.FromSlash(f.Path))
		b, err := os.ReadFile(p)
		if err != nil || string(b) != string(f.Data) {
			t.Errorf("GNU tar extracted %s as %q, %v", f.Path, b, err)
			continue
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != os.FileMode(f.Mode) {
			t.Errorf("%s: mode %v, want %o", f.Path, st.Mode().Perm(), f.Mode)
		}
	}
}
