package gen_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestNixfmtIdentical generates every example in content/examples, and the
// seed example full of hostile text, and runs the real nixfmt (the one the
// generated repositories' `nix flake check` runs through treefmt) over every
// .nix file in one batch: nixfmt must leave each file byte for byte as the
// generator printed it.
func TestNixfmtIdentical(t *testing.T) {
	bin := tooltest.RequireNixfmt(t)
	examples, err := filepath.Glob(filepath.Join("..", "content", "examples", "*.json"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	srcs := map[string][]byte{}
	add := func(repo string, files []gen.File) {
		n := 0
		for _, f := range files {
			if strings.HasSuffix(f.Path, ".nix") {
				srcs[repo+"/"+f.Path] = f.Data
				n++
			}
		}
		if n == 0 {
			t.Fatalf("%s: no .nix files generated", repo)
		}
	}
	for _, ex := range examples {
		name := strings.TrimSuffix(filepath.Base(ex), ".json")
		_, files := generateExample(t, name)
		add(name, files)
	}
	add("hostile", hostileRepo(t))

	got := tooltest.Nixfmt(t, bin, srcs)
	var bad []string
	for name := range srcs {
		if string(got[name]) != string(srcs[name]) {
			bad = append(bad, name)
		}
	}
	sort.Strings(bad)
	for i, name := range bad {
		if i < 25 {
			t.Errorf("%s: nixfmt changes it (- generated, + nixfmt):\n%s", name, tooltest.DiffExcerpt(srcs[name], got[name], 12))
		}
	}
	if len(bad) > 0 {
		if dir := os.Getenv("NIXFMT_DIFF_DIR"); dir != "" {
			for _, name := range bad {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p+".want", got[name], 0o644)
				os.WriteFile(p+".got", srcs[name], 0o644)
			}
		}
		t.Errorf("%d of %d generated .nix files are not as nixfmt prints them", len(bad), len(srcs))
	}
}
