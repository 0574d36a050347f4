package e2e

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// The worker's idle warm-up (static/ts/worker.ts, wasm/warm.go): after its
// first answer, once quiet, the worker runs a few keystroke-sized
// generations of the first example on a session of their own, so that V8
// has optimized the generator before the user types.

// TestIdleWarmUp: the warm-up runs to its end in an idle playground without
// a failed generation, and the page's next keystrokes still reach the
// preview. That the warm-up leaves the page's session alone (its memo,
// stubs and streams) is pinned natively, where it can be seen:
// TestWarmLeavesThePageSessionAlone (wasm).
func TestIdleWarmUp(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the idle warm-up's end", `performance.getEntriesByName("fy-wasm-idle-warmed").length > 0`, 20*time.Second)
	// It ends after its 60 steps or its time budget (a slow machine), never
	// on a failed generation.
	end := pgEval[string](t, ctx, `JSON.stringify(performance.getEntriesByName("fy-wasm-idle-warmed")[0].detail)`)
	if !strings.Contains(end, `"end":"steps"`) && !strings.Contains(end, `"end":"time"`) {
		t.Errorf("the warm-up ended with %s", end)
	}
	t.Logf("idle warm-up: %s", end)
	runs := measureTyping(t, ctx, "form", "test-clan", 2)
	if len(runs) != 2 {
		t.Fatalf("typing after the warm-up: %d answers", len(runs))
	}
	shot(t, ctx, "idle-warmed")
	p.AssertClean(t)
}

// measureFirstKeystrokes prints what the warm-up is for: the first
// keystrokes in the seed (the page's default) and after loading large.json,
// 2.5 s after the page is ready, with it and without it (?warm=0),
// alternating fresh pages so both meet the same machine. In a whole-suite
// run, large.json once each (measureFully).
func measureFirstKeystrokes(t *testing.T) {
	type series struct {
		first, rest, gen []float64
	}
	line := func(s series) string {
		first := make([]string, len(s.first))
		for i, f := range s.first {
			first[i] = fmt.Sprintf("%.0f", f)
		}
		sort.Float64s(s.rest)
		sort.Float64s(s.gen)
		return fmt.Sprintf("first keystroke %s ms, the next 9 median %.0f ms (in the generator call median %.1f ms)", strings.Join(first, " / "), median(s.rest), median(s.gen))
	}
	examples := []struct{ example, name string }{{"seed", "test-clan"}, {"large", "large-fleet"}}
	rounds := 2
	if !measureFully() {
		examples, rounds = examples[1:], 1
	}
	for _, ex := range examples {
		var with, without series
		for round := 0; round < rounds; round++ {
			for _, off := range []bool{false, true} {
				ctx, _ := newTab(t)
				suffix := ""
				if off {
					suffix = "?warm=0"
				}
				openPlayground(t, ctx, suffix)
				if ex.example != "seed" {
					loadExample(t, ctx, ex.example, ex.name)
				}
				// A visitor reads the page before typing: give both the
				// same pause, long enough for the warm-up to end.
				time.Sleep(2500 * time.Millisecond)
				runs := measureTyping(t, ctx, "editor", ex.name, 10)
				s := &with
				if off {
					s = &without
				}
				s.first = append(s.first, runs[0].MS)
				for _, r := range runs[1:] {
					s.rest = append(s.rest, r.MS)
					s.gen = append(s.gen, r.Generate)
				}
			}
		}
		t.Logf("MEASURE first keystrokes in %s (editor, 2.5 s after the page is ready, fresh pages: %d each): with the idle warm-up %s; without it (?warm=0) %s", ex.example, rounds, line(with), line(without))
	}
}

// measureFully says whether TestMeasure was asked for by name (-run names
// it), rather than run as part of the whole suite.
func measureFully() bool {
	f := flag.Lookup("test.run")
	return f != nil && strings.Contains(f.Value.String(), "TestMeasure")
}
