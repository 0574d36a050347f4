package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStripWasmNamesMatchesLinker compiles the wasm module twice, with and
// without the linker's -s, and checks that stripping the name section
// ourselves gives exactly the linker's stripped bytes, so the published
// module is what `go build -ldflags=-s` makes, while the report names real
// packages.
func TestStripWasmNamesMatchesLinker(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the wasm module twice")
	}
	dir := t.TempDir()
	build := func(out, flags string) []byte {
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags="+flags, "-o", filepath.Join(dir, out), "./wasm")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
		data, err := os.ReadFile(filepath.Join(dir, out))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	named := build("named.wasm", "-w")
	stripped := build("stripped.wasm", "-s -w")
	cmd := exec.Command("go", "list", "-deps", "./wasm")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	list, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := stripWasmNames(named, strings.Fields(string(list)))
	if err != nil {
		t.Fatal(err)
	}
	// The linker's build ID hashes the flags too, so it is the one
	// section allowed to differ.
	if !bytes.Equal(withoutBuildID(t, got), withoutBuildID(t, stripped)) {
		t.Fatalf("stripping the name section gives %d bytes, the linker's -s gives %d; apart from the build ID they must be identical", len(got), len(stripped))
	}
	if rep.Total != len(stripped) || rep.Code <= 0 || rep.Data <= 0 {
		t.Fatalf("report totals wrong: %+v", rep)
	}
	sum := 0
	pkgs := map[string]bool{}
	for _, p := range rep.Packages {
		sum += p.Bytes
		pkgs[p.Package] = true
	}
	for _, want := range []string{"runtime", "github.com/fleetyard/fleetyard/gen", "github.com/fleetyard/fleetyard/gen/nix"} {
		if !pkgs[want] {
			t.Errorf("report has no package %q:\n%s", want, rep)
		}
	}
	for _, odd := range []string{"(unnamed)", "(other)"} {
		if pkgs[odd] {
			t.Errorf("some function bodies are counted as %s:\n%s", odd, rep)
		}
	}
	// Packages the module was freed of, each worth tens of KB of brotli: a
	// new call on the wasm's paths would bring them back silently.
	for pkg, use := range map[string]string{
		"encoding/json": "gen/jsonw",                    // 39 KB
		"archive/tar":   "gen's tarWriter (tarball.go)", // 22 KB with time's formatter
	} {
		if pkgs[pkg] {
			t.Errorf("%s is linked into the wasm module again: use %s on the wasm's paths\n%s", pkg, use, rep)
		}
	}
	if sum > rep.Code || sum < rep.Code*99/100 {
		t.Errorf("packages sum to %d bytes of code, the code section is %d", sum, rep.Code)
	}
	if !strings.Contains(rep.String(), "github.com/fleetyard/fleetyard/gen\n") {
		t.Errorf("report does not list gen:\n%s", rep)
	}
	t.Logf("\n%s", rep)
}

func TestStripWasmNamesRejectsGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("not wasm"), []byte("\x00asm\x01\x00\x00\x00\x0a\xff\xff\xff\xff\x0f")} {
		if _, _, err := stripWasmNames(in, nil); err == nil {
			t.Errorf("stripWasmNames(%q) succeeded", in)
		}
	}
}

func withoutBuildID(t *testing.T, m []byte) []byte {
	t.Helper()
	secs, err := wasmSections(m)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, s := range secs {
		if s.id == 0 && s.name == "go:buildid" {
			continue
		}
		out = append(out, m[s.start:s.end]...)
	}
	return out
}
