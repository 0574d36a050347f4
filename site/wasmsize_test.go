package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// wasmBrotliBudget bounds the published wasm module (brotli -q 11). Issue
// 10's goal is 1,000,000; this is what the build reaches today plus a little
// room, so a change that gives back what was won fails here. It was
// 1,110,000 for the build flags alone (1,102,784); the printer's fast paths
// (gen/nix, +60 KB raw code for about a third less printing time) and the
// pattern table, resolved model and file memo (gen, +36 KB raw) brought the
// module to 1,122,768.
const wasmBrotliBudget = 1_130_000

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
	// The site's own flags, with the linker's -s or without it.
	build := func(out, ldflags string) []byte {
		args := []string{"build"}
		for _, f := range wasmBuildFlags {
			if strings.HasPrefix(f, "-ldflags=") {
				f = "-ldflags=" + ldflags
			}
			args = append(args, f)
		}
		cmd := exec.Command("go", append(args, "-o", filepath.Join(dir, out), "./wasm")...)
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
	// The budget the build flags won (see wasmBuildFlags): 1,178,141 bytes
	// before, 1,102,784 after, by the brotli CLI at -q 11.
	var br bytes.Buffer
	w := brotli.NewWriterLevel(&br, 11)
	w.Write(got)
	w.Close()
	t.Logf("published module: %d bytes, %d brotli -q 11", len(got), br.Len())
	if br.Len() > wasmBrotliBudget {
		t.Errorf("the wasm module is %d bytes in brotli -q 11, over the budget of %d: see the size report for what grew\n%s", br.Len(), wasmBrotliBudget, rep)
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

// TestWasmCacheKeyHasFlags: the compiled module is cached by a hash of its
// sources; a change of build flags must compile it again, or a build keeps
// serving the module the old flags made.
func TestWasmCacheKeyHasFlags(t *testing.T) {
	b := &builder{opts: Options{Root: ".."}}
	before, err := b.wasmSourceHash("go1")
	if err != nil {
		t.Fatal(err)
	}
	saved := wasmBuildFlags
	t.Cleanup(func() { wasmBuildFlags = saved })
	wasmBuildFlags = append(append([]string(nil), saved...), "-gcflags=all=-B")
	after, err := b.wasmSourceHash("go1")
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Error("changing the wasm build flags leaves the cache key as it was")
	}
}
