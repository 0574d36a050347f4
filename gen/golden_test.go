package gen_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/internal/nixtest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// pinned are the Options every golden and determinism test uses, so secret
// stubs are reproducible in tests (and only in tests).
func pinned() gen.Options {
	e := make([]byte, 32)
	for i := range e {
		e[i] = byte(i)
	}
	return gen.Options{Entropy: e, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// examples are the content/examples specs with golden output, the large
// one included (every file, so a change to it is a reviewable diff).
var examples = []struct{ name string }{{"minimal"}, {"seed"}, {"large"}}

func generateExample(t testing.TB, name string) (*gen.Fleet, []gen.File) {
	t.Helper()
	return generateFile(t, filepath.Join("..", "content", "examples", name+".json"))
}

// generateFile parses the spec at path, failing the test on any error, and
// generates its repository with the pinned options.
func generateFile(t testing.TB, path string) (*gen.Fleet, []gen.File) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	spec, diags := gen.Parse(data)
	if gen.HasErrors(diags) {
		t.Fatalf("%s: %v", filepath.Base(path), diags)
	}
	files, err := gen.Generate(spec, pinned())
	if err != nil {
		t.Fatalf("%s: Generate: %v", filepath.Base(path), err)
	}
	return spec, files
}

// TestGolden keeps one folder per pattern, testdata/golden/<pattern>/,
// holding what that pattern writes for each example
// (testdata/golden/<pattern>/<example>/<path>): a change to one pattern is
// reviewed in that pattern's folder, and a new pattern is a new folder.
func TestGolden(t *testing.T) {
	names, _ := gen.PatternNames()
	root := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(root)
	}
	seen := map[string]bool{}
	for _, ex := range examples {
		f, _ := generateExample(t, ex.name)
		files, owner, err := gen.PatternsOf(f, pinned())
		if err != nil {
			t.Fatal(err)
		}
		byPattern := map[string][]gen.File{}
		for _, file := range files {
			byPattern[owner[file.Path]] = append(byPattern[owner[file.Path]], file)
		}
		for _, p := range names {
			dir := filepath.Join(root, p, ex.name)
			if len(byPattern[p]) == 0 {
				if _, err := os.Stat(dir); err == nil {
					t.Errorf("%s: %s writes nothing for %s any more (run go test ./gen -run TestGolden -update)", dir, p, ex.name)
				}
				continue
			}
			seen[p] = true
			t.Run(p+"/"+ex.name, func(t *testing.T) { checkTree(t, dir, byPattern[p]) })
		}
	}
	for _, p := range names {
		if !seen[p] {
			t.Errorf("pattern %s writes no file for any example: give an example that uses it", p)
		}
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if !slices.Contains(names, e.Name()) {
			t.Errorf("%s: not a pattern's golden folder (patterns: %v)", filepath.Join(root, e.Name()), names)
		}
	}
}

func checkTree(t *testing.T, dir string, files []gen.File) {
	if *update {
		os.RemoveAll(dir)
		for _, f := range files {
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			want[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	for _, f := range files {
		w, ok := want[f.Path]
		if !ok {
			t.Errorf("%s: generated but not in %s (run go test ./gen -run TestGolden -update and review the diff)", f.Path, dir)
			continue
		}
		delete(want, f.Path)
		if !bytes.Equal(w, f.Data) {
			t.Errorf("%s differs from golden:\n%s", f.Path, firstDiff(w, f.Data))
		}
	}
	for p := range want {
		t.Errorf("%s: in golden but no longer generated", p)
	}
}

func manifest(files []gen.File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(&b, "%s  %o  %s\n", hex.EncodeToString(sum[:]), f.Mode, f.Path)
	}
	return b.Bytes()
}

// firstDiff shows the first differing line with a little context.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  golden: %q\n  now:    %q", i+1, x, y)
		}
	}
	return "(same lines, different bytes)"
}

// TestDeterministic generates every example twice, and checks archives too.
func TestDeterministic(t *testing.T) {
	for _, ex := range examples {
		spec, a := generateExample(t, ex.name)
		_, b := generateExample(t, ex.name)
		if !bytes.Equal(manifest(a), manifest(b)) {
			t.Errorf("%s: two generations differ", ex.name)
		}
		if !bytes.Equal(archive.TarGz(spec.Spec().Name, a), archive.TarGz(spec.Spec().Name, b)) {
			t.Errorf("%s: tar.gz differs between runs", ex.name)
		}
		if !bytes.Equal(archive.Zip(spec.Spec().Name, a), archive.Zip(spec.Spec().Name, b)) {
			t.Errorf("%s: zip differs between runs", ex.name)
		}
	}
}

// TestSortedAndWellFormed checks the file list contract and that every
// JSON file parses.
func TestSortedAndWellFormed(t *testing.T) {
	for _, ex := range examples {
		_, files := generateExample(t, ex.name)
		if !sort.SliceIsSorted(files, func(i, j int) bool { return files[i].Path < files[j].Path }) {
			t.Errorf("%s: files not sorted by path", ex.name)
		}
		for _, f := range files {
			if f.Mode != 0o644 && f.Mode != 0o755 {
				t.Errorf("%s: %s has mode %o", ex.name, f.Path, f.Mode)
			}
			if strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "..") || strings.Contains(f.Path, "\\") {
				t.Errorf("%s: unsafe path %q", ex.name, f.Path)
			}
			if strings.HasSuffix(f.Path, ".json") && !json.Valid(f.Data) {
				t.Errorf("%s: %s is not valid JSON", ex.name, f.Path)
			}
		}
	}
}

// TestNixParses runs the real parser over every generated .nix file of
// every example, in one nix-instantiate call per example.
func TestNixParses(t *testing.T) {
	for _, ex := range examples {
		_, files := generateExample(t, ex.name)
		dir := t.TempDir()
		var paths []string
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".nix") {
				continue
			}
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, f.Data, 0o644)
			paths = append(paths, p)
		}
		if len(paths) == 0 {
			t.Errorf("%s: no .nix files generated", ex.name)
			continue
		}
		if _, errOut, err := nixtest.Run(t, append([]string{"--parse"}, paths...)...); err != nil {
			t.Errorf("%s: nix-instantiate --parse failed: %v\n%s", ex.name, err, lastLines(errOut, 30))
		}
	}
}

func lastLines(b []byte, n int) string {
	l := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}
