package gen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// A Cache must never change output: generate the seed with and without one,
// then edit a user so that exactly their stub must be re-encrypted.
func TestCacheGivesSameBytes(t *testing.T) {
	spec, plain := generateExample(t, "seed")
	opt := pinned()
	opt.Cache = gen.NewCache()
	for round := 0; round < 3; round++ {
		cached, err := gen.Generate(spec, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(manifest(plain), manifest(cached)) {
			t.Fatalf("round %d: cached generation differs from uncached", round)
		}
	}
	// Another user's secrets change; the cache must not serve the old stub.
	data, _ := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	edited := bytes.Replace(data, []byte(`"secrets": ["github-token"]`), []byte(`"secrets": ["github-token", "npm-token"]`), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("edit did not apply; update the test to the example")
	}
	spec2, diags := gen.Parse(edited)
	if gen.HasErrors(diags) {
		t.Fatal(diags)
	}
	want, _ := gen.Generate(spec2, pinned())
	got, _ := gen.Generate(spec2, opt)
	if !bytes.Equal(manifest(want), manifest(got)) {
		t.Fatal("after an edit the cached generation differs from a fresh one")
	}
}

func BenchmarkRegenerateLargeCached(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "large.json"))
	if err != nil {
		b.Fatal(err)
	}
	opt := pinned()
	opt.Cache = gen.NewCache()
	for b.Loop() {
		spec, _ := gen.Parse(data)
		if _, err := gen.Generate(spec, opt); err != nil {
			b.Fatal(err)
		}
	}
}
