// Package parity proves the "same spec, same bytes, everywhere" promise for
// the WebAssembly build: it runs the generator's golden and determinism tests
// compiled for GOOS=js under Node with the published module's build flags
// (internal/wasmflags), so the wasm module the playground loads produces
// exactly the files (and archives) the CLI does.
package parity

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/internal/sharelink"
	"github.com/fleetyard/fleetyard/internal/tooltest"
	"github.com/fleetyard/fleetyard/internal/wasmflags"
)

func TestGoldenUnderWasm(t *testing.T) {
	goBin, execDir := wasmTestTools(t)
	// go test caches this test's result by the files this process opens,
	// not the ones the child go test reads: open every input here so a
	// change to the generator, its goldens or the examples reruns it.
	for _, dir := range []string{"../../gen", "../../content/examples"} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				os.ReadFile(p)
			}
			return nil
		})
	}
	// Compiled with the published module's flags and GOEXPERIMENT (no
	// inlining outside a few packages, the older garbage collector): the code
	// under test is the code the playground runs.
	args := append([]string{"test", "-count=1"}, wasmflags.Build()...)
	cmd := exec.Command(goBin, append(args,
		// Only tests that need no external tool: os/exec does not exist in wasm.
		"-run", "^(TestGolden|TestDeterministic|TestSortedAndWellFormed"+
			"|TestBech32.*|TestExpectedTSV|TestFingerprint|TestFixture.*|TestMalformed|TestAccepted|TestParseKeyCounts|TestMultiLinePaste|TestPrivateBlocks|TestNotPrivate"+
			"|TestEncryptValueKnownAnswer|TestParseRecipient|TestAgeEncryptDecrypts|TestKeyStreamDeterministic|TestEncryptYAML.*|TestX25519"+
			"|TestRoundTripExamples|TestDecodeErrors|TestTarMatchesArchiveTar)$",
		"../../gen", "../../gen/sshkey", "../../gen/sops", "../sharelink", "../../gen/archive")...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT="+wasmflags.Experiment, "PATH="+execDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("generator tests under GOOS=js GOARCH=wasm (Node) failed: %v\n%s", err, res)
	}
	t.Logf("%s", res)
}

// wasmTestTools returns the go command and the directory of its
// go_js_wasm_exec (which runs GOOS=js tests under Node), skipping the test
// when either is missing or with -short.
func wasmTestTools(t *testing.T) (goBin, execDir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles for wasm; skipped with -short")
	}
	tooltest.Require(t, "node", "apt-get update && apt-get install -y nodejs")
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	out, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return goBin, filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm")
}

// TestFullModuleUnderWasm: the full module (wasm/ built with -tags fytools,
// which the playground loads for downloads and share links) gives, compiled
// for GOOS=js under Node, the same .tar.gz, .zip and share fragment bytes as
// the native build: this process computes their SHA-256 natively and
// wasm's TestArchiveParity compares.
func TestFullModuleUnderWasm(t *testing.T) {
	goBin, execDir := wasmTestTools(t)
	const entropyHex = "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
	const stamp = "2025-11-20T12:00:00Z"
	entropy, _ := hex.DecodeString(entropyHex)
	tm, _ := time.Parse(time.RFC3339, stamp)
	var want strings.Builder
	for _, name := range []string{"minimal", "seed", "large"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "content", "examples", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		fleet, diags := gen.Parse(data)
		if fleet == nil || gen.HasErrors(diags) {
			t.Fatalf("%s: %v", name, diags)
		}
		files, err := gen.Generate(fleet, gen.Options{Entropy: entropy, Time: tm})
		if err != nil {
			t.Fatal(err)
		}
		frag, err := sharelink.Encode(data)
		if err != nil {
			t.Fatal(err)
		}
		root := fleet.Spec().Name
		for kind, b := range map[string][]byte{"tar.gz": archive.TarGz(root, files), "zip": archive.Zip(root, files), "share": []byte(frag)} {
			sum := sha256.Sum256(b)
			fmt.Fprintf(&want, "%s %s %x\n", name, kind, sum)
		}
	}
	args := append([]string{"test", "-count=1"}, wasmflags.Build()...)
	cmd := exec.Command(goBin, append(args, "-tags=fytools", "-run", "^(TestArchiveParity|TestArchiveMatchesCLI|TestChangesZip|TestShareRoundTrip)$", "-v", "../../wasm")...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT="+wasmflags.Experiment, "PATH="+execDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FLEETYARD_PARITY="+want.String(), "FLEETYARD_PARITY_ENTROPY="+entropyHex, "FLEETYARD_PARITY_TIME="+stamp)
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the full module's tests under GOOS=js GOARCH=wasm (Node) failed: %v\n%s", err, res)
	}
	if !strings.Contains(string(res), "--- PASS: TestArchiveParity") {
		t.Fatalf("TestArchiveParity did not run and pass:\n%s", res)
	}
	t.Logf("%s", res)
}
