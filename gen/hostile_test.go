package gen_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// evil tries every way out of a Nix string, a Nix comment, a YAML scalar and
// a Markdown table cell.
const evil = "a\"; ${builtins.abort \"pwned\"} '' ''${x} ''' \\ $${y} \n# c\r\n| col | `code` */ unicode: é ✓ 🚀"

// TestHostileTextWholeRepo puts hostile text into every free-text field of
// the seed example, generates the whole repository and runs the real Nix
// parser over every .nix file; it then evaluates flake.nix's description,
// which must come back byte for byte.
func TestHostileTextWholeRepo(t *testing.T) {
	files := hostileRepo(t)
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
		if strings.HasSuffix(f.Path, ".nix") {
			paths = append(paths, p)
		}
		if strings.HasSuffix(f.Path, ".json") && !json.Valid(f.Data) {
			t.Errorf("%s: invalid JSON", f.Path)
		}
	}
	if _, errOut, err := nixtest.Run(t, append([]string{"--parse"}, paths...)...); err != nil {
		t.Fatalf("nix-instantiate --parse: %v\n%s", err, lastLines(errOut, 30))
	}
	out, errOut, err := nixtest.Run(t, "--eval", "--strict", "--json", "-E", "(import "+filepath.Join(dir, "flake.nix")+").description")
	if err != nil {
		t.Fatalf("eval description: %v\n%s", err, errOut)
	}
	var got string
	if err := json.Unmarshal(out, &got); err != nil || got != evil {
		t.Fatalf("description came back as %q (%v), want %q", got, err, evil)
	}
	var back map[string]any
	if err := json.Unmarshal(fileData(files, "fleet.json"), &back); err != nil || back["description"] != evil {
		t.Fatalf("fleet.json lost the description: %v", err)
	}
}

func fileData(files []gen.File, path string) []byte {
	for _, f := range files {
		if f.Path == path {
			return f.Data
		}
	}
	return nil
}

// hostileRepo is the seed example with hostile text in every free-text
// field, generated.
func hostileRepo(t testing.TB) []gen.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	json.Unmarshal(data, &s)
	s["description"] = evil
	for _, m := range s["machines"].([]any) {
		m.(map[string]any)["description"] = evil
	}
	for _, u := range s["users"].([]any) {
		u.(map[string]any)["fullName"] = evil
	}
	ov := s["overlays"].(map[string]any)
	for _, h := range ov["hotfixes"].([]any) {
		h.(map[string]any)["reason"] = evil
	}
	for _, p := range ov["packages"].([]any) {
		p.(map[string]any)["description"] = evil
	}
	for _, o := range ov["overrides"].([]any) {
		o.(map[string]any)["reason"] = evil
	}
	for _, v := range s["vars"].([]any) {
		g := v.(map[string]any)
		g["script"] = evil
		for _, p := range g["prompts"].([]any) {
			p.(map[string]any)["description"] = evil
		}
	}
	data, _ = json.Marshal(s)
	spec, diags := gen.Parse(data)
	if gen.HasErrors(diags) {
		t.Fatalf("free text must be accepted, got %v", diags)
	}
	files, err := gen.Generate(spec, pinned())
	if err != nil {
		t.Fatal(err)
	}
	return files
}
