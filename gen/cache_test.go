package gen_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// A Cache must never change output: generate the seed with and without one,
// then edit a user so that exactly their stub must be re-encrypted.
func TestCacheGivesSameBytes(t *testing.T) {
	_, plain := generateExample(t, "seed")
	seed, _ := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	c := gen.NewCache()
	opt := pinned()
	for round := 0; round < 3; round++ {
		spec, _ := c.Parse(seed)
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
	cached2, _ := c.Parse(edited)
	got, _ := gen.Generate(cached2, opt)
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
	c := gen.NewCache()
	// The first call fills the cache (key parsing, stub encryption); the
	// playground pays it once per session, so it is not what a keystroke
	// costs. b.Loop starts the clock after it.
	//
	// Two texts with the same content alternate: the same text again would
	// give the same Fleet back and Generate its last output (output_memo.go),
	// where this measures parsing and a generation whose files are all found
	// in the Cache.
	texts := [2][]byte{data, append([]byte(" "), data...)}
	for _, t := range texts {
		spec, _ := c.Parse(t)
		if _, err := gen.Generate(spec, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		spec, _ := c.Parse(texts[i%2])
		if _, err := gen.Generate(spec, opt); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// Cache.Parse must report exactly what Parse reports, including key errors,
// on first and repeated calls.
func TestCacheParseSameDiagnostics(t *testing.T) {
	bad := []byte(`{"version":1,"name":"x","admins":[{"name":"a","sshKeys":["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 r"]}],
 "users":[{"name":"u","sshKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT a"],"secrets":["s"],"machines":["m"]}],
 "machines":[{"name":"m","class":"nixos","hostKey":"ssh-ed25519 AAAA"}]}`)
	_, want := gen.Parse(bad)
	if len(want) == 0 {
		t.Fatal("expected diagnostics")
	}
	c := gen.NewCache()
	for i := 0; i < 3; i++ {
		_, got := c.Parse(bad)
		if len(got) != len(want) {
			t.Fatalf("call %d: %d diagnostics, want %d", i, len(got), len(want))
		}
		for j := range got {
			if got[j] != want[j] {
				t.Errorf("call %d: %+v, want %+v", i, got[j], want[j])
			}
		}
		// The caller owns what it gets: a repeated text must not hand out
		// the slice the previous caller may have changed.
		got[0].Message = "changed by the caller"
	}
}

// The same text twice gives the same Fleet (fingerprints and access rows
// already computed); another text, or the first text again after it, a
// Fleet of its own.
func TestCacheParseSameText(t *testing.T) {
	seed, _ := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	other := bytes.Replace(seed, []byte(`"shared MacBook"`), []byte(`"another MacBook"`), 1)
	if bytes.Equal(seed, other) {
		t.Fatal("edit did not apply; update the test to the example")
	}
	c := gen.NewCache()
	a, _ := c.Parse(seed)
	if b, _ := c.Parse(bytes.Clone(seed)); b != a {
		t.Error("the same text parsed twice gave two Fleets")
	}
	b, _ := c.Parse(other)
	if b == a {
		t.Error("another text gave the previous Fleet")
	}
	if d, _ := c.Parse(seed); d == a || d == b {
		t.Error("the first text after another gave an earlier Fleet: only the latest is remembered")
	}
	if d, _ := c.Parse(seed); d.Spec().Machines[2].Description != "shared MacBook" {
		t.Errorf("the remembered Fleet says %q", d.Spec().Machines[2].Description)
	}
}

// Cache.Access must list exactly what Access lists, on first and repeated
// calls (the second one served from remembered key derivations).
func TestCacheAccessSame(t *testing.T) {
	for _, name := range []string{"seed", "large"} {
		data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		spec, diags := gen.Parse(data)
		if gen.HasErrors(diags) {
			t.Fatal(diags)
		}
		want := spec.Access()
		if len(want) == 0 {
			t.Fatalf("%s: no secret files; the test needs an example with secrets", name)
		}
		c := gen.NewCache()
		for i := 0; i < 2; i++ {
			cached, _ := c.Parse(data)
			if got := cached.Access(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s call %d: Access of a Cache.Parse fleet differs from Access:\n got %+v\nwant %+v", name, i, got, want)
			}
		}
	}
}

// Cache.Parse reparses only the value a keystroke changed (jsonpos.Reparse,
// from the tree of the last good text). Typed at random into fleet.json,
// byte by byte as in the editor (half-typed text, invalid names, stray
// members), every text must give exactly Parse's spec and diagnostics,
// whose line:col come from the moved tree.
func TestCacheParseAfterTypingSameAsParse(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	frags := []string{"a", "-", "é", "1", " ", "\n", `"`, ",", "}", `, "x": 1`, `"Bad Name"`, "\\u00e9", "ssh-ed25519 AAAA"}
	rng := rand.New(rand.NewPCG(3, 4))
	c := gen.NewCache()
	text, diagnosed := data, 0
	for step := range 300 {
		next := bytes.Clone(text)
		at := rng.IntN(len(next) + 1)
		if rng.IntN(3) == 0 && at < len(next) {
			next = append(next[:at], next[min(len(next), at+1+rng.IntN(3)):]...)
		} else {
			next = append(next[:at], append([]byte(frags[rng.IntN(len(frags))]), text[at:]...)...)
		}
		got, gotDiags := c.Parse(next)
		want, wantDiags := gen.Parse(next)
		if !reflect.DeepEqual(gotDiags, wantDiags) {
			for i := range min(len(gotDiags), len(wantDiags)) {
				if gotDiags[i] != wantDiags[i] {
					t.Fatalf("step %d: Cache.Parse's diagnostic %d differs from Parse's:\n got %+v\nwant %+v", step, i, gotDiags[i], wantDiags[i])
				}
			}
			t.Fatalf("step %d: Cache.Parse gives %d diagnostics, Parse %d", step, len(gotDiags), len(wantDiags))
		}
		if (got == nil) != (want == nil) || got != nil && !reflect.DeepEqual(got.Spec(), want.Spec()) {
			t.Fatalf("step %d: Cache.Parse spec differs from Parse's", step)
		}
		if len(wantDiags) > 0 && wantDiags[0].Line > 0 {
			diagnosed++
		}
		// Keep typing from texts that still parse, as a person fixing
		// their last mistake would; otherwise from the last good one.
		if want != nil {
			text = next
		}
	}
	if diagnosed < 30 {
		t.Errorf("only %d of 300 texts had positioned diagnostics: the test compares too few positions", diagnosed)
	}
}
