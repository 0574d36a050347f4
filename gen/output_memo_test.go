package gen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// The same Fleet generated again with the same options is the previous
// output (output_memo.go): no pattern runs. Different options must not be
// served from it: the stubs depend on the entropy.
func TestCacheSameFleetSameOutput(t *testing.T) {
	data := largeText(t)
	c := gen.NewCache()
	f, first := cachedGenerate(t, c, data)
	allocs := testing.AllocsPerRun(5, func() {
		f, _ := c.Parse(data)
		if _, err := gen.Generate(f, pinned()); err != nil {
			t.Fatal(err)
		}
	})
	// Parse's copy of the diagnostics, the entropy, the files slice: a
	// handful, where running the patterns costs thousands.
	if allocs > 20 {
		t.Errorf("regenerating the same Fleet allocates %.0f times: the output memo is not used", allocs)
	}
	again, _ := gen.Generate(f, pinned())
	if d := firstFileDiff(first, again); d != "" {
		t.Fatal(d)
	}
	again[0].Path = "changed by the caller"
	if third, _ := gen.Generate(f, pinned()); third[0].Path == again[0].Path {
		t.Fatal("a caller's change to the returned slice reached the memo")
	}

	other := pinned()
	other.Entropy = bytes.Repeat([]byte{7}, 32)
	got, err := gen.Generate(f, other)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := gen.Parse(data)
	want, _ := gen.Generate(fresh, other)
	if d := firstFileDiff(want, got); d != "" {
		t.Fatalf("other entropy, same Fleet: %s", d)
	}
}

// Every file of a generation that produces the same bytes as the previous
// one comes back as the previous array, so that its manifest hash is found
// by address and the worker compares it by pointer: a text that differs
// only in white space parses to a new Fleet with equal output.
func TestUnchangedFilesKeepTheirArrays(t *testing.T) {
	data := largeText(t)
	c := gen.NewCache()
	f, before := cachedGenerate(t, c, data)
	f2, after := cachedGenerate(t, c, append([]byte(" "), data...))
	if f2 == f {
		t.Fatal("a different text gave the same Fleet")
	}
	if d := firstFileDiff(before, after); d != "" {
		t.Fatal(d)
	}
	for i, a := range after {
		if len(a.Data) > 0 && &a.Data[0] != &before[i].Data[0] {
			t.Errorf("%s: same bytes, new array", a.Path)
		}
	}
}

// The Terraform preview and .sops.yaml are remembered by the fields they
// read (derived_memo.go); each edit here changes one of those fields, and
// the cached output must match a generation from scratch.
func TestDerivedMemosMatchScratch(t *testing.T) {
	data := largeText(t)
	// The machine is renamed everywhere it is named (its users list it).
	edits := []struct{ what, old, new string }{
		{"nothing", "", ""},
		{"fleet name", `"name": "large-fleet"`, `"name": "larger-fleet"`},
		{"machine name", `"node-001"`, `"node-901"`},
		{"server type", `"serverType": "cx23"`, `"serverType": "cx33"`},
		{"location", `"location": "nbg1"`, `"location": "fsn1"`},
		{"image", `"image": "debian-12"`, `"image": "ubuntu-24.04"`},
		{"enabled", `"enabled": true`, `"enabled": false`},
		// user-00's key (the first alice key in the file) becomes carol's:
		// the same anchors with another recipient.
		{"user key", "AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice", carolKey},
	}
	c := gen.NewCache()
	text := data
	for _, e := range edits {
		n := 1
		if e.what == "machine name" {
			n = -1
		}
		next := bytes.Replace(text, []byte(e.old), []byte(e.new), n)
		if e.old != "" && bytes.Equal(next, text) {
			t.Fatalf("%s: the edit did not apply; update the test to large.json", e.what)
		}
		text = next
		f, got := cachedGenerate(t, c, text)
		fresh, _ := gen.Parse(text)
		want, _ := gen.Generate(fresh, pinned())
		if d := firstFileDiff(want, got); d != "" {
			t.Fatalf("after %s: %s", e.what, d)
		}
		if got, want := f.Terraform(), fresh.Terraform(); !bytes.Equal(got, want) {
			t.Fatalf("after %s the cached Terraform preview differs from scratch", e.what)
		}
	}
}

// carolKey is the body and comment of the carol fixture's public key.
const carolKey = "AAAAIL8Gz7JgctzariPvQR31SEpAkYAuS70vuNPkKD8U9S8+ carol"

func largeText(t testing.TB) []byte {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "large.json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cachedGenerate parses text through c and generates it with pinned options.
func cachedGenerate(t testing.TB, c *gen.Cache, text []byte) (*gen.Fleet, []gen.File) {
	t.Helper()
	f, diags := c.Parse(text)
	if gen.HasErrors(diags) {
		t.Fatal(diags)
	}
	files, err := gen.Generate(f, pinned())
	if err != nil {
		t.Fatal(err)
	}
	return f, files
}
