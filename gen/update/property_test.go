package update

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/diff3"
)

// The property behind `fleetyard update`: after random spec edits and
// random user edits on lines the generator leaves alone, the updated
// repository is exactly the new generation with the user's edits on top,
// and nothing conflicts.

func pinnedOptions() gen.Options {
	e := make([]byte, 32)
	for i := range e {
		e[i] = byte(i)
	}
	return gen.Options{Entropy: e, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func seedSpec(t testing.TB) *gen.Spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "content", "examples", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, diags := gen.Parse(data)
	if gen.HasErrors(diags) {
		t.Fatal(diags)
	}
	return s.Spec()
}

// specEdits are the spec changes the property draws from: the kinds of
// reshaping a living fleet goes through.
var specEdits = []func(s *gen.Spec, n int){
	func(s *gen.Spec, n int) { // add a server
		s.Machines = append(s.Machines, gen.Machine{Name: fmt.Sprintf("box%d", n), Class: "nixos", Tags: []string{"cloud"}})
	},
	func(s *gen.Spec, n int) { // add a Mac for the first user
		s.Machines = append(s.Machines, gen.Machine{Name: fmt.Sprintf("mac%d", n), Class: "darwin"})
		if len(s.Users) > 0 {
			s.Users[0].Machines = append(s.Users[0].Machines, fmt.Sprintf("mac%d", n))
		}
	},
	func(s *gen.Spec, n int) { // remove the last user
		if len(s.Users) > 1 {
			s.Users = s.Users[:len(s.Users)-1]
		}
	},
	func(s *gen.Spec, n int) { s.Description = fmt.Sprintf("reshaped %d times", n) },
	func(s *gen.Spec, n int) {
		on := s.Checks.Performance == nil || !*s.Checks.Performance
		s.Checks.Performance = &on
	},
	func(s *gen.Spec, n int) { s.Machines[0].Tags = append(s.Machines[0].Tags, fmt.Sprintf("t%d", n)) },
	func(s *gen.Spec, n int) { s.Domain = fmt.Sprintf("d%d", n) },
	func(s *gen.Spec, n int) {
		s.Overlays.Packages = append(s.Overlays.Packages, gen.Package{Name: fmt.Sprintf("pkg%d", n), Version: "1.0"})
	},
	func(s *gen.Spec, n int) { // drop a machine nobody needs
		for i := len(s.Machines) - 1; i > 0; i-- {
			if s.Machines[i].Class == "nixos" && s.Machines[i].Zerotier != "controller" {
				name := s.Machines[i].Name
				s.Machines = append(s.Machines[:i:i], s.Machines[i+1:]...)
				for u := range s.Users {
					var keep []string
					for _, m := range s.Users[u].Machines {
						if m != name {
							keep = append(keep, m)
						}
					}
					s.Users[u].Machines = keep
				}
				return
			}
		}
	},
	func(s *gen.Spec, n int) { s.Channels.NixOS = fmt.Sprintf("nixos-2%d.11", n%10) },
}

// reparse sends a Go-edited spec through JSON and Parse, so defaults and
// validation apply as they do for a user's file.
func reparse(s *gen.Spec) (*gen.Fleet, bool) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, false
	}
	out, diags := gen.Parse(data)
	return out, out != nil && !gen.HasErrors(diags)
}

func checkProperty(t *testing.T, rng *rand.Rand) {
	old := seedSpec(t)
	var next *gen.Fleet
	for {
		var cp gen.Spec
		data, _ := json.Marshal(old)
		json.Unmarshal(data, &cp)
		for i, n := 0, 1+rng.IntN(3); i < n; i++ {
			specEdits[rng.IntN(len(specEdits))](&cp, rng.IntN(100))
		}
		var ok bool
		if next, ok = reparse(&cp); ok {
			break
		}
	}
	opt := pinnedOptions()
	oldFleet, ok := reparse(old)
	if !ok {
		t.Fatal("the seed does not parse")
	}
	base, err := gen.Generate(oldFleet, opt)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := gen.Generate(next, opt)
	if err != nil {
		t.Fatal(err)
	}
	theirsBy := byPath(theirs)

	ours := map[string][]byte{}
	want := map[string][]byte{} // the expected repository after the update
	for _, f := range theirs {
		want[f.Path] = f.Data
	}
	edits := 0
	for _, f := range base {
		ours[f.Path] = f.Data
		if gen.Protected(f.Path) {
			want[f.Path] = f.Data // never written over
			continue
		}
		if f.Path == gen.ManifestPath || rng.IntN(3) != 0 {
			if _, still := theirsBy[f.Path]; !still {
				delete(want, f.Path) // untouched and no longer generated: removed
			}
			continue
		}
		t2, still := theirsBy[f.Path]
		var tdata []byte
		if still {
			tdata = t2.Data
		}
		o, w, n := editLines(rng, f.Data, tdata, f.Path)
		if n == 0 {
			if !still {
				delete(want, f.Path)
			}
			continue
		}
		edits += n
		ours[f.Path] = o
		if still {
			want[f.Path] = w
		} else {
			want[f.Path] = o // edited and no longer generated: kept as it is
		}
	}

	plan := Make(Input{Recorded: recordedOf(base), Base: base, Theirs: theirs, Ours: ours})
	for _, a := range plan.Failed() {
		// An edited file that is no longer generated is kept, and needs
		// the user (it may still grant access); nothing else may fail.
		if _, still := theirsBy[a.Path]; a.Kind == Stale && !still && string(ours[a.Path]) != string(byPath(base)[a.Path].Data) {
			continue
		}
		t.Fatalf("%s %s failed:\n%s", a.Kind, a.Path, a.Data)
	}
	got := map[string][]byte{}
	for p, d := range ours {
		got[p] = d
	}
	for _, a := range plan.Actions {
		switch {
		case a.Kind.Writes():
			got[a.Path] = a.Data
		case a.Kind == Remove:
			delete(got, a.Path)
		}
	}
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		if string(got[p]) != string(want[p]) {
			t.Fatalf("%s after %d user edits differs from the new generation with the edits on top:\n%s", p, edits,
				diff3.Unified("want", "got", want[p], got[p], 2))
		}
	}
}

func recordedOf(fs []gen.File) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		if !gen.Protected(f.Path) && f.Path != gen.ManifestPath {
			m[f.Path] = gen.HashHex(f.Data)
		}
	}
	return m
}

// editLines makes a few user edits to base on lines that the generator
// leaves alone, with two unchanged lines of margin (diff3 needs an
// unchanged line between changes from the two sides, and runs of equal
// lines could otherwise shift an edit onto a neighbour). It returns the
// user's file, the expected merge with theirs (nil theirs: the file is no
// longer generated) and the number of edits.
func editLines(rng *rand.Rand, base, theirs []byte, path string) (ours, want []byte, n int) {
	bl := diff3.Lines(base)
	tl := diff3.Lines(theirs)
	m := diff3.Match(bl, tl)
	safe := func(k int) bool {
		if k < 2 || k+2 >= len(bl) || !strings.HasSuffix(bl[k], "\n") {
			return false
		}
		if bl[k] == bl[k-1] || bl[k] == bl[k+1] {
			return false
		}
		if theirs == nil {
			return true
		}
		for d := -2; d <= 2; d++ {
			if m[k+d] < 0 || m[k+d] != m[k]+d {
				return false
			}
		}
		return true
	}
	type edit struct {
		replace bool
		text    string
	}
	chosen := map[int]edit{}
	last := -10
	for k := range bl {
		if k-last >= 3 && safe(k) && rng.IntN(8) == 0 && len(chosen) < 3 {
			tag := fmt.Sprintf("user edit %d in %s", rng.Uint32(), path)
			if rng.IntN(2) == 0 {
				chosen[k] = edit{true, strings.TrimSuffix(bl[k], "\n") + " # " + tag + "\n"}
			} else {
				chosen[k] = edit{false, "# " + tag + "\n"}
			}
			last = k
		}
	}
	if len(chosen) == 0 {
		return base, nil, 0
	}
	apply := func(lines []string, at func(k int) int) []byte {
		out := make([]string, 0, len(lines)+len(chosen))
		byLine := map[int]edit{}
		for k, e := range chosen {
			byLine[at(k)] = e
		}
		for i, l := range lines {
			e, ok := byLine[i]
			switch {
			case !ok:
				out = append(out, l)
			case e.replace:
				out = append(out, e.text)
			default:
				out = append(out, l, e.text)
			}
		}
		return []byte(strings.Join(out, ""))
	}
	ours = apply(bl, func(k int) int { return k })
	if theirs != nil {
		want = apply(tl, func(k int) int { return m[k] })
	}
	return ours, want, len(chosen)
}

func TestUpdateKeepsDisjointEdits(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 10
	}
	for i := range n {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkProperty(t, rand.New(rand.NewPCG(uint64(i), 0x5eed)))
		})
	}
}

// FuzzUpdate runs the same property with fuzzer-chosen seeds; committed
// seeds are in testdata/fuzz/FuzzUpdate.
func FuzzUpdate(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		checkProperty(t, rand.New(rand.NewPCG(a, b)))
	})
}
