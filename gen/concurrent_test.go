package gen_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// TestConcurrentPatternsSameAsSequential holds a generation without a Cache
// on several CPUs (the patterns before the README run at once, each on a
// build of its own) to the same generation on one CPU (one pattern after
// another): the same files, bytes and modes, each owned by the same
// pattern. Run with -race, it also checks that the emitters share no
// state.
func TestConcurrentPatternsSameAsSequential(t *testing.T) {
	type named struct {
		name string
		f    *gen.Fleet
	}
	var fleets []named
	for _, ex := range examples {
		f, _ := generateExample(t, ex.name)
		fleets = append(fleets, named{ex.name, f})
	}
	// More machines than any example: more files for a data race to hit.
	f, diags := gen.Parse(syntheticSpec(t, 200))
	if gen.HasErrors(diags) {
		t.Fatal(diags[0])
	}
	fleets = append(fleets, named{"synthetic-200", f})
	for _, n := range fleets {
		f := n.f
		t.Run(n.name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			want, wantOwner, err := gen.PatternsOf(f, pinned())
			if err != nil {
				t.Fatal(err)
			}
			runtime.GOMAXPROCS(4)
			got, gotOwner, err := gen.PatternsOf(f, pinned())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d files on 4 CPUs, %d on one", len(got), len(want))
			}
			for i := range want {
				w, g := want[i], got[i]
				if g.Path != w.Path || g.Mode != w.Mode || !bytes.Equal(g.Data, w.Data) {
					t.Fatalf("file %d: %s (mode %o, %d bytes) on 4 CPUs, %s (mode %o, %d bytes) on one", i, g.Path, g.Mode, len(g.Data), w.Path, w.Mode, len(w.Data))
				}
				if gotOwner[w.Path] != wantOwner[w.Path] {
					t.Errorf("%s: written by %q on 4 CPUs, by %q on one", w.Path, gotOwner[w.Path], wantOwner[w.Path])
				}
			}
		})
	}
}
