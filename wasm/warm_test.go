package main

import (
	"strings"
	"testing"
)

// TestWarmLeavesThePageSessionAlone: the idle warm-up (warm.go) generates
// another fleet on a session of its own. The page's stream must come out of
// it exactly as it went in: its next answer is still a delta against the
// page's last answer, and merged it is what a fresh session generates. Its
// own second generation is a delta too (it runs what a keystroke runs), and
// an empty spec frees it.
func TestWarmLeavesThePageSessionAlone(t *testing.T) {
	seed := example(t, "seed")
	edited := strings.Replace(seed, `"test-clan"`, `"test-clan-2"`, 1)
	if edited == seed {
		t.Fatal("the seed example has no \"test-clan\" name to edit")
	}
	large := example(t, "large")
	s := newSession()
	var pg page
	res, blob := s.generate(seed, zeroEntropy, "2025-01-01T00:00:00Z", "editor", 0)
	if d, files := wire(t, res, blob); !d.OK {
		t.Fatalf("seed: %s", d.Error)
	} else if _, ok := pg.apply(d, files); !ok {
		t.Fatal("the first answer does not apply")
	}

	s.warm(large)
	s.warm(strings.Replace(large, `"large-fleet"`, `"large-fleet-2"`, 1))
	w := s.warmer
	if w == nil || s.cache == w.cache {
		t.Fatal("the warm-up did not run on a session of its own")
	}
	if st := w.streams.byName[warmStream]; st == nil || st.root == st.seq {
		t.Error("the warm-up's second generation was not a delta of its first")
	}

	res, blob = s.generate(edited, zeroEntropy, "2025-01-01T00:00:00Z", "editor", pg.seq)
	d, files := wire(t, res, blob)
	if d.Base != pg.seq {
		t.Fatalf("after the warm-up the page's next answer is against %d, not its last answer %d", d.Base, pg.seq)
	}
	got, ok := pg.apply(d, files)
	if !ok {
		t.Fatal("the answer after the warm-up does not apply")
	}
	if r, b, ok := s.settle("editor"); !ok {
		t.Fatal("the keystroke left no manifest to settle")
	} else if got, ok = pg.apply(wire(t, r, b)); !ok {
		t.Fatal("the settle answer after the warm-up does not apply")
	}
	if diff := viewDiff(got, fullView(t, edited, zeroEntropy)); diff != "" {
		t.Fatalf("after the warm-up the merged answer differs from a fresh session's: %s", diff)
	}

	s.warm("")
	if s.warmer != nil {
		t.Error("an empty spec did not end the warm-up")
	}
}
