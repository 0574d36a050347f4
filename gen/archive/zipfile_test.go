package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// archiveTime is archiveMtime as a time, for the standard library's writers.
var archiveTime = time.Unix(archiveMtime, 0).UTC()

// stdlibZip is Zip as it was written with archive/zip: the reference the
// hand-written zip must equal.
func stdlibZip(t *testing.T, root string, files []gen.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var fw *flate.Writer // reused, as Zip does; the bytes are the same
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			fw, _ = flate.NewWriter(w, flate.BestCompression)
		} else {
			fw.Reset(w)
		}
		return fw, nil
	})
	for _, dir := range archiveDirs(root, files) {
		h := &zip.FileHeader{Name: dir, Method: zip.Store, Modified: archiveTime}
		h.SetMode(fs.ModeDir | 0o755)
		if _, err := zw.CreateHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		h := &zip.FileHeader{Name: joinRoot(root, f.Path), Method: zip.Deflate, Modified: archiveTime}
		h.SetMode(fs.FileMode(f.Mode))
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.Data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipMatchesArchiveZip: the hand-written zip is byte for byte what
// archive/zip writes, for the examples' repositories and for the names and
// modes archive/zip treats specially.
func TestZipMatchesArchiveZip(t *testing.T) {
	cases := map[string]func() (string, []gen.File){}
	for _, name := range []string{"minimal", "seed", "large"} {
		cases[name] = func() (string, []gen.File) { return exampleFiles(t, name) }
	}
	cases["odd names and modes"] = func() (string, []gen.File) {
		return "root", []gen.File{
			{Path: "empty", Mode: 0o644},
			{Path: "run.sh", Mode: 0o755, Data: []byte("#!/bin/sh\n")},
			{Path: "read-only", Mode: 0o444, Data: []byte("r\n")},
			{Path: "naïve/ünïcode.txt", Mode: 0o644, Data: bytes.Repeat([]byte("z"), 100000)},
			{Path: "tilde~name", Mode: 0o644, Data: []byte("~ is outside CP-437's safe range\n")},
			{Path: "back\\slash", Mode: 0o644, Data: []byte("\\\n")},
			{Path: "bad\xffutf8", Mode: 0o644, Data: []byte("no UTF-8 flag for invalid names\n")},
		}
	}
	cases["no root"] = func() (string, []gen.File) {
		return "", []gen.File{{Path: "a/b/c.nix", Mode: 0o644, Data: []byte("{ }\n")}}
	}
	for name, files := range cases {
		root, fs := files()
		if got, want := Zip(root, fs), stdlibZip(t, root, fs); !bytes.Equal(got, want) {
			t.Errorf("%s: hand-written zip (%d bytes) differs from archive/zip's (%d bytes) from byte %d", name, len(got), len(want), firstDiff(got, want))
		}
	}
}

// TestZipManyEntries: from 65535 entries the end of the central directory
// is the zip64 one, as archive/zip writes it, and archive/zip reads it.
func TestZipManyEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("70000 entries")
	}
	var files []gen.File
	for i := range 70000 {
		files = append(files, gen.File{Path: "f" + strconv.Itoa(i), Mode: 0o644, Data: []byte{byte(i)}})
	}
	got, want := Zip("r", files), stdlibZip(t, "r", files)
	if !bytes.Equal(got, want) {
		t.Fatalf("hand-written zip (%d bytes) differs from archive/zip's (%d bytes) from byte %d", len(got), len(want), firstDiff(got, want))
	}
	zr, err := zip.NewReader(bytes.NewReader(got), int64(len(got)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 70001 {
		t.Errorf("archive/zip reads %d entries, want 70001", len(zr.File))
	}
}

// TestZipTimeConstants: archiveMtime is 1980-01-01 00:00:00 UTC, and the
// MS-DOS date and time the writer uses are archive/zip's for it.
func TestZipTimeConstants(t *testing.T) {
	if !archiveTime.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("archiveMtime is %v", archiveTime)
	}
	var h zip.FileHeader
	h.SetModTime(archiveTime) //nolint:staticcheck // the DOS fields are what is compared
	if h.ModifiedDate != zipDOSDate || h.ModifiedTime != zipDOSTime {
		t.Errorf("archive/zip's DOS date/time %#x/%#x, the writer's %#x/%#x", h.ModifiedDate, h.ModifiedTime, zipDOSDate, zipDOSTime)
	}
}

// TestZipUnzips: Info-ZIP's unzip extracts the example
// repository with its modes.
func TestZipUnzips(t *testing.T) {
	unzip := tooltest.Require(t, "unzip", tooltest.InstallUnzip)
	root, files := exampleFiles(t, "seed")
	dir := t.TempDir()
	archive := filepath.Join(dir, "x.zip")
	if err := os.WriteFile(archive, Zip(root, files), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(unzip, "-q", archive, "-d", filepath.Join(dir, "out")).CombinedOutput(); err != nil {
		t.Fatalf("unzip: %v\n%s", err, b)
	}
	for _, f := range files {
		p := filepath.Join(dir, "out", root, filepath.FromSlash(f.Path))
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(b, f.Data) {
			t.Errorf("unzip extracted %s wrong: %v", f.Path, err)
		}
	}
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
