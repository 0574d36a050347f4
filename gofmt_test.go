package main

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestGofmt checks that every Go file of the project is as gofmt prints
// it (go/format is gofmt's own printer, so no binary is needed). Generated
// files are Go too and held to the same rule; node_modules, the built site
// and other trees that are not the project's are skipped.
func TestGofmt(t *testing.T) {
	skip := map[string]bool{".git": true, "node_modules": true, "public": true, "public-esbuild": true}
	var bad []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] || (p != "." && d.Name()[0] == '.') {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(p) != ".go" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out, err := format.Source(src)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if !bytes.Equal(src, out) {
			bad = append(bad, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range bad {
		t.Errorf("%s is not gofmt-formatted: run gofmt -w %s", p, p)
	}
}
