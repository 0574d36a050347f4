package gen

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestPromptTypesAreClans: vars[].prompts[].type accepts exactly the prompt
// types of clan-core's generator interface at the pinned revision
// (modules/clan/export-modules/generic-generator.nix, the enum of
// prompts.<name>.type), read from the snapshot in shared/upstream.
func TestPromptTypesAreClans(t *testing.T) {
	f, err := os.Open(filepath.Join(tooltest.Shared(t), "upstream", "clan-core.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var src []byte
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == "clan-core/modules/clan/export-modules/generic-generator.nix" {
			if src, err = io.ReadAll(tr); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if src == nil {
		t.Fatal("generic-generator.nix is not in the clan-core snapshot")
	}
	// The prompt type is the enum whose list holds "hidden".
	m := regexp.MustCompile(`type = enum \[\s*((?:"[^"]*"\s*)+)\]`).FindAllSubmatch(src, -1)
	var clan []string
	for _, e := range m {
		vals := regexp.MustCompile(`"([^"]*)"`).FindAllSubmatch(e[1], -1)
		var list []string
		for _, v := range vals {
			list = append(list, string(v[1]))
		}
		if slices.Contains(list, "hidden") {
			clan = list
		}
	}
	if clan == nil {
		t.Fatal("no prompt type enum found in generic-generator.nix")
	}
	got := slices.Sorted(slices.Values(enumPrompt))
	slices.Sort(clan)
	if !slices.Equal(got, clan) {
		t.Errorf("prompt types %q, clan-core's %q", got, clan)
	}
}
