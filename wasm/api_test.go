package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/fileid"
)

const zeroEntropy = zeroEntropyHex

func example(t testing.TB, name string) string {
	b, err := os.ReadFile("../content/examples/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGenerateMatchesGen: the wasm API returns exactly gen.Generate's files
// (text, mode, ID), plus access and terraform from gen.
func TestGenerateMatchesGen(t *testing.T) {
	for _, name := range []string{"minimal", "seed", "large"} {
		t.Run(name, func(t *testing.T) {
			spec := example(t, name)
			res, blob := newSession().generate(spec, zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
			if !res.OK || res.Error != "" {
				t.Fatalf("generate failed: %s %v", res.Error, res.Diagnostics)
			}
			s, _ := gen.Parse([]byte(spec))
			files, err := gen.Generate(s, gen.Options{Entropy: make([]byte, 32), Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != len(res.Files) {
				t.Fatalf("%d files, gen gives %d", len(res.Files), len(files))
			}
			for i, f := range files {
				o := res.Files[i]
				if o.Path != f.Path || o.Mode != f.Mode || o.Size != len(f.Data) || string(blob[o.Offset:o.Offset+o.Size]) != string(f.Data) || o.ID != fileid.Of(f.Data) || o.Binary {
					t.Errorf("file %d: got %s (%o, %d bytes), want %s", i, o.Path, o.Mode, o.Size, f.Path)
				}
			}
			if len(res.Access) != len(s.Access()) {
				t.Errorf("%d access rows, gen gives %d", len(res.Access), len(s.Access()))
			}
			if res.Terraform != string(s.Terraform()) {
				t.Error("terraform JSON differs from Fleet.Terraform")
			}
			if _, err := json.Marshal(res); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestGenerateBadInputs(t *testing.T) {
	for _, c := range []struct{ spec, entropy, time, want string }{
		{`{"version":1,"name":"x","machines":[{"name":"a","class":"nixos"}]}`, "zz", "", "entropy must be hex"},
		{`{"version":1,"name":"x","machines":[{"name":"a","class":"nixos"}]}`, zeroEntropy, "yesterday", "time must be RFC 3339"},
	} {
		res, _ := newSession().generate(c.spec, c.entropy, c.time, "", 0)
		if res.OK || !strings.Contains(res.Error, c.want) {
			t.Errorf("generate(%q, %q, %q) = ok %v, error %q; want %q", c.spec, c.entropy, c.time, res.OK, res.Error, c.want)
		}
	}
	res, _ := newSession().generate("{\n  \"version\": 1,\n  \"nam\": \"x\"\n}", zeroEntropy, "", "", 0)
	found := false
	for _, d := range res.Diagnostics {
		found = found || d.Path == "nam" && d.Line == 3 && d.Col == 3
	}
	if res.OK || !found {
		t.Errorf("unknown field: ok %v, diagnostics %+v; want one for nam at 3:3", res.OK, res.Diagnostics)
	}
}

func TestKeysNeverEchoPrivate(t *testing.T) {
	// The repository's copy of the shared throwaway test keys.
	pub, err := os.ReadFile("../gen/sshkey/testdata/ssh/alice.pub")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := os.ReadFile("../gen/sshkey/testdata/ssh/alice")
	if err != nil {
		t.Fatal(err)
	}
	r := keys(string(pub))
	if len(r.Keys) != 1 || r.Keys[0].Recipient != "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3" || !strings.HasPrefix(r.Keys[0].Fingerprint, "SHA256:") {
		t.Errorf("alice.pub: %+v", r)
	}
	r = keys(string(priv))
	out, _ := json.Marshal(r)
	if len(r.Keys) != 0 || len(r.Errors) == 0 || !r.Errors[0].Private {
		t.Errorf("private key: %s", out)
	}
	lines := strings.Split(string(priv), "\n")
	if strings.Contains(string(out), lines[1][:20]) {
		t.Error("the answer echoes private key material")
	}
}

// TestFileIDs: a second generation reuses the IDs of unchanged files and
// gives changed ones new IDs.
func TestFileIDs(t *testing.T) {
	spec := example(t, "seed")
	s := newSession()
	a, _ := s.generate(spec, zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
	edited := strings.Replace(spec, `"enabled": true`, `"enabled": false`, 1)
	// A one-off (no stream) answers every file, with the digests of the
	// unchanged ones taken from the previous generation.
	b, blob := s.generate(edited, zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
	changed := 0
	for i := range b.Files {
		f := b.Files[i]
		if f.ID != fileid.Of(blob[f.Offset:f.Offset+f.Size]) {
			t.Errorf("%s: stale ID", f.Path)
		}
		if i < len(a.Files) && a.Files[i].Path == f.Path && a.Files[i].ID != f.ID {
			changed++
		}
	}
	if changed == 0 {
		t.Error("toggling hetzner.enabled changed no digest")
	}
}

// BenchmarkGenerateLarge is a one-off request (no stream) for the same text
// each time: the Cache gives the last output back, so this is the cost of
// a full answer (every file's entry and bytes), the first answer a page or
// docs example gets.
func BenchmarkGenerateLarge(b *testing.B) {
	spec := example(b, "large")
	s := newSession()
	for b.Loop() {
		res, _ := s.generate(spec, zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
		generateJSON(&res)
	}
}

func BenchmarkGenOnlyLarge(b *testing.B) {
	spec := example(b, "large")
	for b.Loop() {
		s, _ := gen.Parse([]byte(spec))
		gen.Generate(s, gen.Options{Entropy: make([]byte, 32), Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
}

func BenchmarkParseLarge(b *testing.B) {
	spec := example(b, "large")
	for b.Loop() {
		gen.Parse([]byte(spec))
	}
}

// TestSessionsAreIndependent: what one session remembers never leaks into
// another; each answers as if it were the only one.
func TestSessionsAreIndependent(t *testing.T) {
	spec := example(t, "seed")
	edited := strings.Replace(spec, `"enabled": true`, `"enabled": false`, 1)
	a, b := newSession(), newSession()
	ra, _ := a.generate(spec, zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
	before := map[string]string{}
	for p, d := range a.streams.recent {
		before[p] = d.id
	}
	rb, blob := b.generate(edited, zeroEntropy, "2025-01-01T00:00:00Z", "", 0)
	for _, f := range rb.Files {
		if f.ID != fileid.Of(blob[f.Offset:f.Offset+f.Size]) {
			t.Errorf("%s: session b reports an ID that is not its file's", f.Path)
		}
	}
	if len(a.streams.recent) != len(ra.Files) || len(b.streams.recent) != len(rb.Files) {
		t.Errorf("IDs remembered: a %d (of %d files), b %d (of %d)", len(a.streams.recent), len(ra.Files), len(b.streams.recent), len(rb.Files))
	}
	for p, d := range a.streams.recent {
		if before[p] != d.id {
			t.Errorf("%s: session b's generation changed session a's ID", p)
		}
	}
}

// isJSONTable reports whether g declares only jsonw.Struct literals: the
// field tables internal/specgen writes (api_json_gen.go) describe types
// and are never written, so they are not state.
func isJSONTable(g *ast.GenDecl) bool {
	for _, s := range g.Specs {
		v, ok := s.(*ast.ValueSpec)
		if !ok || len(v.Values) != 1 {
			return false
		}
		lit, ok := v.Values[0].(*ast.CompositeLit)
		if !ok {
			return false
		}
		sel, ok := lit.Type.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Struct" {
			return false
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "jsonw" {
			return false
		}
	}
	return true
}

// TestNoPackageState: the package declares no variables, so everything that
// lives between calls is in a session (see api_impl.go).
func TestNoPackageState(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR && !isJSONTable(g) {
				t.Errorf("%s: package-level var; keep state in the session", fset.Position(g.Pos()))
			}
		}
	}
	if len(files) < 3 {
		t.Fatalf("found only %v: is the test running in wasm/?", files)
	}
}
