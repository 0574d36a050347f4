package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// page is the page's side of one generate stream, written in Go the way
// static/ts/genstream.ts does it in TypeScript, so that the protocol can be
// tested natively: the answers go through the real wire encoding
// (generateJSON) and are decoded as the worker decodes them.
type page struct {
	seq       int
	files     []pageFile
	fleet     *FleetOut
	access    []AccessOut
	terraform string
}

// pageFile is a file as the page holds it: its bytes, not its offset.
type pageFile struct {
	Path, ID string
	Mode     uint32
	Binary   bool
	Data     []byte
}

// view is what a consumer of a generate request sees.
type view struct {
	OK          bool
	Diagnostics string
	Error       string
	Files       []pageFile
	Fleet       *FleetOut
	Access      []AccessOut
	Terraform   string
}

// wire encodes res as the wasm does and decodes it as the worker does.
func wire(t testing.TB, res GenerateResult, blob []byte) (GenerateResult, []pageFile) {
	t.Helper()
	var got GenerateResult
	if err := json.Unmarshal(generateJSON(&res), &got); err != nil {
		t.Fatalf("the answer is not JSON: %v", err)
	}
	files := make([]pageFile, len(got.Files))
	// A copy, as bytesToJS makes one: the session reuses the blob for its
	// next answer, which then must not change what the page holds.
	blob = bytes.Clone(blob)
	for i, f := range got.Files {
		files[i] = pageFile{Path: f.Path, ID: f.ID, Mode: f.Mode, Binary: f.Binary, Data: blob[f.Offset : f.Offset+f.Size]}
	}
	return got, files
}

// apply mirrors GenStream.apply: the merged view, or false when the answer
// does not apply (the page then resets).
func (p *page) apply(d GenerateResult, files []pageFile) (view, bool) {
	full := d.Base == 0
	if !full && d.Base != p.seq {
		*p = page{}
		return view{}, false
	}
	cur := p.files
	if d.OK {
		if full {
			cur = files
		} else {
			var ok bool
			if cur, ok = mergeFiles(p.files, d, files); !ok {
				*p = page{}
				return view{}, false
			}
		}
	} else if full {
		cur = nil
	}
	p.files = cur
	if full || !d.SameFleet {
		p.fleet = d.Fleet
	}
	if full || !d.SameAccess {
		p.access = d.Access
	}
	if full || !d.SameTerraform {
		p.terraform = d.Terraform
	}
	p.seq = d.Seq
	v := view{OK: d.OK, Diagnostics: fmt.Sprint(d.Diagnostics), Error: d.Error, Fleet: p.fleet, Access: p.access, Terraform: p.terraform}
	if d.OK {
		v.Files = cur
	}
	return v, true
}

// mergeFiles mirrors genstream.ts's merge.
func mergeFiles(old []pageFile, d GenerateResult, files []pageFile) ([]pageFile, bool) {
	changed := map[string]pageFile{}
	for _, f := range files {
		changed[f.Path] = f
	}
	if len(d.Order) > 0 {
		had := map[string]pageFile{}
		for _, f := range old {
			had[f.Path] = f
		}
		out := make([]pageFile, 0, len(d.Order))
		for _, p := range d.Order {
			f, ok := changed[p]
			if !ok {
				if f, ok = had[p]; !ok {
					return nil, false
				}
			}
			out = append(out, f)
		}
		return out, true
	}
	gone := map[string]bool{}
	for _, p := range d.Removed {
		gone[p] = true
	}
	var out []pageFile
	used := 0
	for _, f := range old {
		if gone[f.Path] {
			continue
		}
		if c, ok := changed[f.Path]; ok {
			used++
			f = c
		}
		out = append(out, f)
	}
	return out, used == len(changed) && len(out) == len(old)-len(gone)
}

// fullView is what a fresh session answers in full for text.
func fullView(t testing.TB, text, entropy string) view {
	res, blob := newSession().generate(text, entropy, "2025-01-01T00:00:00Z", "", 0)
	d, files := wire(t, res, blob)
	v, ok := (&page{}).apply(d, files)
	if !ok || d.Base != 0 {
		t.Fatalf("a fresh session's answer is not full: base %d", d.Base)
	}
	return v
}

// viewDiff names the first difference between two views.
func viewDiff(got, want view) string {
	switch {
	case got.OK != want.OK || got.Error != want.Error:
		return fmt.Sprintf("ok %v error %q, want ok %v error %q", got.OK, got.Error, want.OK, want.Error)
	case got.Diagnostics != want.Diagnostics:
		return fmt.Sprintf("diagnostics %s, want %s", got.Diagnostics, want.Diagnostics)
	case len(got.Files) != len(want.Files):
		return fmt.Sprintf("%d files, want %d", len(got.Files), len(want.Files))
	case !reflect.DeepEqual(got.Fleet, want.Fleet):
		return "fleet differs"
	case !reflect.DeepEqual(got.Access, want.Access) && (len(got.Access) > 0 || len(want.Access) > 0):
		return "access rows differ"
	case got.Terraform != want.Terraform:
		return "terraform differs"
	}
	for i, w := range want.Files {
		g := got.Files[i]
		if g.Path != w.Path || g.Mode != w.Mode || g.ID != w.ID || g.Binary != w.Binary || !bytes.Equal(g.Data, w.Data) {
			return fmt.Sprintf("file %d: %s (mode %o, %s), want %s (mode %o, %s)", i, g.Path, g.Mode, g.ID, w.Path, w.Mode, w.ID)
		}
	}
	return ""
}

// editDoc changes one thing in a fleet document, sometimes into an invalid
// spec (the playground sends those too), and says what.
func editDoc(rng *rand.Rand, doc map[string]any, step int) string {
	ms, _ := doc["machines"].([]any)
	us, _ := doc["users"].([]any)
	m, _ := ms[rng.IntN(len(ms))].(map[string]any)
	var u map[string]any
	if len(us) > 0 {
		u, _ = us[rng.IntN(len(us))].(map[string]any)
	}
	v := fmt.Sprintf("s%d", step)
	switch rng.IntN(13) {
	case 0:
		m["description"] = "now " + v
		return "machine description"
	case 1:
		m["tags"] = []any{"tag-" + v}
		return "machine tags"
	case 2:
		if h, ok := m["hetzner"].(map[string]any); ok {
			on, _ := h["enabled"].(bool)
			h["enabled"] = !on
			return "hetzner toggled"
		}
		m["hetzner"] = map[string]any{"serverType": "cx23"}
		return "hetzner added"
	case 3:
		doc["machines"] = append(ms, map[string]any{"name": "box-" + v, "class": "nixos"})
		return "machine added"
	case 4:
		if len(ms) > 2 {
			i := rng.IntN(len(ms))
			doc["machines"] = append(ms[:i:i], ms[i+1:]...)
			return "machine removed (maybe still used: then invalid)"
		}
		return "nothing"
	case 5:
		if u != nil {
			u["fullName"] = "Person " + v
		}
		return "user fullName"
	case 6:
		if u != nil {
			u["secrets"] = []any{"token-" + v}
		}
		return "user secrets"
	case 7:
		if u != nil {
			u["admin"] = rng.IntN(2) == 0
		}
		return "user admin"
	case 8:
		doc["description"] = "fleet \"" + v + "\"\u2028"
		return "fleet description"
	case 9:
		m["class"] = "toaster"
		return "invalid machine class"
	case 10:
		doc["name"] = "fleet-" + v
		return "fleet name"
	case 11:
		if len(us) > 1 {
			i := rng.IntN(len(us))
			doc["users"] = append(us[:i:i], us[i+1:]...)
			return "user removed (maybe an admin still named: then invalid)"
		}
		return "nothing"
	default:
		m["name"] = "Bad Name " + v
		return "invalid machine name"
	}
}

// TestStreamDeltasMatchFull: for random sequences of edits to large.json,
// merging each delta answer onto the page's copy gives exactly what a fresh
// session answers in full for the same text (files, bytes, digests, order,
// diagnostics, fleet, access, terraform). Steps also break the JSON, send
// a bad entropy, lose the page's copy (a reset: the answer must be full),
// and interleave a second stream (the update panel's base).
func TestStreamDeltasMatchFull(t *testing.T) {
	steps := 40
	if testing.Short() {
		steps = 12
	}
	large := example(t, "large")
	other := example(t, "seed")
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			s := newSession()
			var pg, pgOther page
			var doc map[string]any
			json.Unmarshal([]byte(large), &doc)
			deltas := 0
			kinds := map[string]int{}
			for step := range steps {
				text, entropy, what := "", zeroEntropy, ""
				var next map[string]any
				switch r := rng.IntN(20); {
				case r == 0:
					text, what = `{"version": 1, "name": `, "broken JSON"
				case r == 1:
					b, _ := json.Marshal(doc)
					text, entropy, what = string(b), "not hex", "bad entropy"
				case r == 2:
					pg = page{}
					b, _ := json.Marshal(doc)
					text, what = string(b), "page lost its copy"
				default:
					next = cloneDoc(doc)
					what = editDoc(rng, next, step)
					b, _ := json.Marshal(next)
					text = string(b)
				}
				base := pg.seq
				res, blob := s.generate(text, entropy, "2025-01-01T00:00:00Z", "editor", base)
				d, files := wire(t, res, blob)
				if base != 0 && d.Base != base {
					t.Fatalf("step %d (%s): base %d answered against %d", step, what, base, d.Base)
				}
				if d.Base != 0 {
					deltas++
					kinds["delta"]++
					if !d.OK {
						kinds["failed delta"]++
					}
					if d.Order != nil {
						kinds["new order"]++
					}
					if d.Removed != nil {
						kinds["removed"]++
					}
					if !d.SameAccess {
						kinds["access changed"]++
					}
					if !d.SameTerraform {
						kinds["terraform changed"]++
					}
				}
				if next != nil && d.OK {
					doc = next // later edits build on the valid ones
				}
				got, ok := pg.apply(d, files)
				if !ok {
					t.Fatalf("step %d (%s): the answer does not apply to the page's copy", step, what)
				}
				full := fullView(t, text, entropy)
				// Mostly the worker settles the manifest before the next
				// keystroke; sometimes the keystroke comes first.
				settled := rng.IntN(3) > 0
				if settled {
					if r, b, ok := s.settle("editor"); ok {
						kinds["settled"]++
						if got, ok = pg.apply(wire(t, r, b)); !ok {
							t.Fatalf("step %d (%s): the settle answer does not apply to the page's copy", step, what)
						}
					}
				} else {
					// Until then the page keeps an earlier manifest.
					got, full = withoutManifest(got), withoutManifest(full)
				}
				if diff := viewDiff(got, full); diff != "" {
					t.Fatalf("step %d (%s, settled %v): merged answer differs from a full one: %s", step, what, settled, diff)
				}
				if rng.IntN(4) == 0 {
					// Another stream in between must not disturb this one.
					r2, b2 := s.generate(other, zeroEntropy, "2025-01-01T00:00:00Z", "base", pgOther.seq)
					d2, f2 := wire(t, r2, b2)
					if _, ok := pgOther.apply(d2, f2); !ok {
						t.Fatalf("step %d: the other stream's answer does not apply", step)
					}
				}
			}
			t.Logf("answers: %v", kinds)
			if deltas < steps/2 {
				t.Errorf("only %d of %d answers were deltas: the test exercises too little", deltas, steps)
			}
		})
	}
}

// withoutManifest is v without the manifest file.
func withoutManifest(v view) view {
	var files []pageFile
	for _, f := range v.Files {
		if f.Path != gen.ManifestPath {
			files = append(files, f)
		}
	}
	v.Files = files
	return v
}

func cloneDoc(doc map[string]any) map[string]any {
	b, _ := json.Marshal(doc)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

// TestStreamAnswersFullWhenBaseIsNotCurrent: a base the stream cannot vouch
// for (none, another stream's, from before its last full answer, from the
// future) gets a full answer; the current base, or an earlier one of the
// same lineage (requests overtaking answers), a delta of just what changed.
func TestStreamAnswersFullWhenBaseIsNotCurrent(t *testing.T) {
	spec := example(t, "seed")
	edited := []byte(spec)
	edited = bytes.Replace(edited, []byte(`"test-clan"`), []byte(`"test-clam"`), 1)
	s := newSession()
	gen := func(stream string, base int, text string) GenerateResult {
		res, _ := s.generate(text, zeroEntropy, "2025-01-01T00:00:00Z", stream, base)
		if !res.OK {
			t.Fatalf("generate failed: %s %v", res.Error, res.Diagnostics)
		}
		return res
	}
	first := gen("a", 0, spec)
	other := gen("b", 0, spec)
	second := gen("a", first.Seq, spec)
	third := gen("a", first.Seq, spec) // sent before second's answer arrived
	reset := gen("a", 0, spec)
	for _, c := range []struct {
		name string
		res  GenerateResult
		full bool
	}{
		{"first", first, true},
		{"same text, current base", second, false},
		{"same text, base one behind in the lineage", third, false},
		{"base 0", reset, true},
		{"base of another stream", gen("a", other.Seq, spec), true},
		{"base from before the last full answer", gen("a", second.Seq, spec), true},
		{"base from the future", gen("a", 1000, spec), true},
		{"unknown stream", gen("c", reset.Seq, spec), true},
	} {
		if full := c.res.Base == 0; full != c.full {
			t.Errorf("%s: full answer %v, want %v", c.name, full, c.full)
		}
		if !c.full && (len(c.res.Files) != 0 || c.res.Order != nil || c.res.Removed != nil || !c.res.SameFleet || !c.res.SameAccess || !c.res.SameTerraform) {
			t.Errorf("%s: a delta for the same text carries %d files, order %v, removed %v, same %v/%v/%v", c.name, len(c.res.Files), c.res.Order != nil, c.res.Removed, c.res.SameFleet, c.res.SameAccess, c.res.SameTerraform)
		}
	}
	// A failed generation in between changes no file of the page's copy:
	// the same text after it is a delta with no files.
	broken, _ := s.generate(`{"version": 1,`, zeroEntropy, "", "a", s.streams.byName["a"].seq)
	again := gen("a", broken.Seq, spec)
	if broken.Base == 0 || broken.OK || again.Base != broken.Seq || len(again.Files) != 0 {
		t.Errorf("after a failed delta: base %d, %d files; want a delta with none", again.Base, len(again.Files))
	}
	cur := gen("a", 0, spec)
	d := gen("a", cur.Seq, string(edited))
	if d.Base != cur.Seq || len(d.Files) == 0 || len(d.Files) > len(cur.Files)/4 || d.SameFleet {
		t.Errorf("renaming the fleet: base %d (want %d), %d files, fleet unchanged %v", d.Base, cur.Seq, len(d.Files), d.SameFleet)
	}
}

// TestStreamsAreBounded: a session remembers at most maxStreams streams,
// dropping the least recently used.
func TestStreamsAreBounded(t *testing.T) {
	spec := `{"version":1,"name":"x","machines":[{"name":"a","class":"nixos"}]}`
	s := newSession()
	seqs := map[string]int{}
	for i := range maxStreams + 3 {
		name := fmt.Sprint("s", i)
		res, _ := s.generate(spec, zeroEntropy, "", name, 0)
		seqs[name] = res.Seq
		// s0 stays in use, so it is never the one dropped.
		res, _ = s.generate(spec, zeroEntropy, "", "s0", seqs["s0"])
		seqs["s0"] = res.Seq
	}
	if n := len(s.streams.byName); n != maxStreams {
		t.Errorf("%d streams remembered, want %d", n, maxStreams)
	}
	if s.streams.byName["s0"] == nil || s.streams.byName["s1"] != nil {
		t.Errorf("the wrong stream was dropped: s0 kept %v, s1 kept %v", s.streams.byName["s0"] != nil, s.streams.byName["s1"] != nil)
	}
	if res, _ := s.generate(spec, zeroEntropy, "", "s1", seqs["s1"]); res.Base != 0 {
		t.Error("a dropped stream got a delta")
	}
}

// TestSettleOnlyWhatChanged: a keystroke's answer leaves the manifest for
// later (settle), except when not a byte changed since a settled answer,
// when the manifest cannot have changed either; an answer after an
// unsettled one still leaves it (the page holds an older manifest).
func TestSettleOnlyWhatChanged(t *testing.T) {
	spec := example(t, "seed")
	edited := strings.Replace(spec, `"test-clan"`, `"test-clan-2"`, 1)
	s := newSession()
	var pg page
	var last view
	step := func(what, text string, wantLater bool) {
		t.Helper()
		res, blob := s.generate(text, zeroEntropy, "2025-01-01T00:00:00Z", "editor", pg.seq)
		if res.ManifestLater != wantLater {
			t.Fatalf("%s: manifestLater %v, want %v", what, res.ManifestLater, wantLater)
		}
		var ok bool
		if last, ok = pg.apply(wire(t, res, blob)); !ok {
			t.Fatalf("%s: the answer does not apply", what)
		}
	}
	settle := func(what string, want bool) {
		t.Helper()
		r, b, ok := s.settle("editor")
		if ok != want {
			t.Fatalf("%s: settle %v, want %v", what, ok, want)
		}
		if ok {
			if len(r.Files) != 1 || r.Files[0].Path != gen.ManifestPath {
				t.Errorf("%s: settle answered %d files, want the manifest alone", what, len(r.Files))
			}
			if last, ok = pg.apply(wire(t, r, b)); !ok {
				t.Fatalf("%s: the settle answer does not apply", what)
			}
		}
	}
	step("first (full) answer", spec, false)
	settle("after a full answer", false)
	step("the same text again", spec, false)
	step("an edit", edited, true)
	step("the same text before settling", edited, true)
	settle("after the edit", true)
	settle("twice", false)
	step("the same text after settling", edited, false)
	if diff := viewDiff(last, fullView(t, edited, zeroEntropy)); diff != "" {
		t.Errorf("the page's files differ from a full generation: %s", diff)
	}
}
