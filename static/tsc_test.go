// Package static holds the front-end sources (TypeScript, CSS, the
// playground page skeleton). Its only Go code is this test, which type-checks
// the TypeScript with the pinned compiler so `go test ./...` catches type
// errors the esbuild bundle (which strips types) would let through.
package static

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestTypeScript(t *testing.T) {
	tsc := filepath.Join("node_modules", "typescript", "bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		msg := "static/node_modules is missing: run `cd static && npm ci` to type-check the TypeScript"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not on PATH (install Node.js 20)")
		}
		t.Skip("node is not on PATH (install Node.js 20)")
	}
	// go test caches results by the files this process opens, not those
	// tsc reads: open the sources here so an edit reruns the check.
	for _, f := range []string{"tsconfig.json", "package-lock.json"} {
		os.ReadFile(f)
	}
	filepath.WalkDir("ts", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.ReadFile(p)
		}
		return nil
	})
	// Same as `npx tsc --noEmit -p static`, run from inside static/.
	cmd := exec.Command(node, tsc, "--noEmit", "-p", ".")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tsc --noEmit -p static failed: %v\n%s", err, out)
	}
}
