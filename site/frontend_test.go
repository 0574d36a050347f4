package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildNeedsFrontEnd: the front end and the wasm package exist, so a
// build that misses one of them fails and names it, instead of skipping the
// part and publishing a site without its scripts or its generator. Only
// NoNPM and NoWasm (used by tests on small roots) leave them out.
func TestBuildNeedsFrontEnd(t *testing.T) {
	tests := []struct {
		name   string
		remove string // relative to the mini root; "" removes nothing
		opts   Options
		want   string
	}{
		{"no package.json", "", Options{NoWasm: true}, "static/package.json is missing"},
		{"no wasm package", "", Options{NoNPM: true}, "wasm/ package is missing"},
		{"no playground.css", "static/css/playground.css", Options{NoNPM: true, NoWasm: true}, "static/css/playground.css is missing"},
		{"no site.css", "static/css/site.css", Options{NoNPM: true, NoWasm: true}, "static/css/site.css is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := miniRoot(t, "---\ntitle: P\n---\ntext\n")
			if tt.remove != "" {
				if err := os.Remove(filepath.Join(root, filepath.FromSlash(tt.remove))); err != nil {
					t.Fatal(err)
				}
			}
			opts := tt.opts
			opts.Root, opts.Out = root, filepath.Join(root, "public")
			err := Build(opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build: err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	// With both options the mini root builds, and says what it left out.
	root := miniRoot(t, "---\ntitle: P\n---\ntext\n")
	if err := Build(Options{Root: root, Out: filepath.Join(root, "public"), NoNPM: true, NoWasm: true}); err != nil {
		t.Errorf("mini root with NoNPM and NoWasm: %v", err)
	}
}
