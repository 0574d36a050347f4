// Package parity proves the "same spec, same bytes, everywhere" promise for
// the WebAssembly build: it runs the generator's golden and determinism tests
// compiled for GOOS=js under Node, so the wasm module the playground loads
// produces exactly the files (and archives) the CLI does.
package parity

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

func TestGoldenUnderWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the generator for wasm; skipped with -short")
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
	execDir := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm")
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
	cmd := exec.Command(goBin, "test", "-count=1",
		// Only tests that need no external tool: os/exec does not exist in wasm.
		"-run", "^(TestGolden|TestDeterministic|TestSortedAndWellFormed"+
			"|TestBech32.*|TestExpectedTSV|TestFingerprint|TestFixture.*|TestMalformed|TestAccepted|TestParseKeyCounts|TestMultiLinePaste|TestPrivateBlocks|TestNotPrivate"+
			"|TestEncryptValueKnownAnswer|TestParseRecipient|TestAgeEncryptDecrypts|TestKeyStreamDeterministic|TestEncryptYAML.*|TestX25519"+
			"|TestRoundTripExamples|TestDecodeErrors)$",
		"../../gen", "../../gen/sshkey", "../../gen/sops", "../sharelink")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "PATH="+execDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("generator tests under GOOS=js GOARCH=wasm (Node) failed: %v\n%s", err, res)
	}
	t.Logf("%s", res)
}
