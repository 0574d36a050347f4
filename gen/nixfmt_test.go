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

// TestNoLambdaLayoutNixfmtVersionsDisagreeOn: generated repositories check
// their formatting with nixpkgs' nixfmt (treefmt-nix), whichever version the
// user's lock has, while the generator prints for the pinned 1.4.0. The one
// layout on which the versions nixpkgs shipped disagree, among everything
// the generator prints (measured with 1.1.0, 1.2.0, 1.3.1 and 1.4.0 on every
// example and golden), is a set-pattern lambda opened as a parenthesized
// argument with its body on the next line:
//
//	withSystem system (
//	  { config, ... }:
//	  lib.getAttrs [ "x" ] config.packages
//	)
//
// nixfmt 1.3.0 keeps that ("Absorb single-line destructured params into
// parenthesized functions", NixOS/nixfmt#377); 1.2.0 and older join it onto
// one line, so `nix flake check` failed on compose.nix under them. A plain
// parameter (perSystem: … perSystem.config.packages) prints alike in all of
// them. This fails when that layout comes back.
func TestNoLambdaLayoutNixfmtVersionsDisagreeOn(t *testing.T) {
	examples, err := filepath.Glob(filepath.Join("..", "content", "examples", "*.json"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	check := func(repo string, files []gen.File) {
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".nix") {
				continue
			}
			lines := strings.Split(string(f.Data), "\n")
			for i := 1; i+1 < len(lines); i++ {
				head := strings.TrimSpace(lines[i])
				opened := strings.HasSuffix(strings.TrimSpace(lines[i-1]), "(")
				pattern := strings.HasPrefix(head, "{") && strings.HasSuffix(head, "}:")
				body := strings.TrimSpace(lines[i+1])
				if opened && pattern && !strings.HasPrefix(body, "{") && !strings.HasPrefix(body, "let") {
					t.Errorf("%s/%s:%d: a set-pattern lambda argument with its body on the next line (%q, then %q): nixfmt 1.2.0 joins it, 1.3.0 and later keep it; use a plain parameter", repo, f.Path, i+1, head, body)
				}
			}
		}
	}
	for _, ex := range examples {
		name := strings.TrimSuffix(filepath.Base(ex), ".json")
		_, files := generateExample(t, name)
		check(name, files)
	}
	check("hostile", hostileRepo(t))
}
