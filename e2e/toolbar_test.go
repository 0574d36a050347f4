package e2e

import (
	"encoding/json"
	"testing"
)

// TestToolbarOneRowOnLaptops: at 1280 and 1366 px the playground's
// toolbar, its status included, keeps to one row, and "Generator ready" is
// shown whole. The status used to take a second row there, which moved
// every pane down by its height. The page's heading is kept for screen
// readers only at these widths (the site header names the page).
func TestToolbarOneRowOnLaptops(t *testing.T) {
	ctx, p := newTab(t)
	for _, w := range []int64{1280, 1366} {
		viewport(t, ctx, w, 800, false)
		openPlayground(t, ctx, "")
		var rows []struct {
			Class string
			Top   float64
		}
		js := `JSON.stringify([...document.querySelectorAll(".fy-pg-bar > *")].filter(e => getComputedStyle(e).position !== "absolute" && e.getClientRects().length > 0).map(e => ({class: e.className, top: e.getBoundingClientRect().top})))`
		if err := json.Unmarshal([]byte(pgEval[string](t, ctx, js)), &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			if d := r.Top - rows[0].Top; d > 8 || d < -8 {
				t.Errorf("%d px: %q sits %.0f px below the toolbar's first row: the toolbar wraps", w, r.Class, d)
			}
		}
		if text := pgEval[string](t, ctx, `document.getElementById("fy-load-text").textContent`); text != "Generator ready" {
			t.Fatalf("%d px: status %q, want Generator ready", w, text)
		}
		if cut := pgEval[bool](t, ctx, `(e => e.scrollWidth > e.clientWidth)(document.getElementById("fy-load-text"))`); cut {
			t.Errorf("%d px: the status is cut short", w)
		}
		if w == 1280 {
			shot(t, ctx, "toolbar-1280")
		}
	}
	p.AssertClean(t)
}
