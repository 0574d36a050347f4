package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestPopoversCloseLikeMenus: "Restore previous" and the share link close
// on Escape (focus back on their button) and on a click elsewhere. The
// history menu stayed open over the file tree until its own button was
// clicked again (a <details> closes on nothing else).
func TestPopoversCloseLikeMenus(t *testing.T) {
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	waitGeneration(t, ctx, 0)
	click := func(sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	for _, pop := range []struct {
		name, button, open string
	}{
		{"Restore previous", "#fy-history-button", `document.getElementById("fy-history").open`},
		{"Share link", "#fy-share", `!document.getElementById("fy-share-out").hidden`},
	} {
		click(pop.button)
		pgWait(t, ctx, pop.name+" open", pop.open, 5*time.Second)
		keys(t, ctx, kb.Escape)
		if pgEval[bool](t, ctx, pop.open) {
			t.Errorf("%s stays open after Escape", pop.name)
		}
		if id := pgEval[string](t, ctx, `document.activeElement.id`); "#"+id != pop.button {
			t.Errorf("after Escape on %s the focus is on #%s, want %s", pop.name, id, pop.button)
		}
		click(pop.button)
		pgWait(t, ctx, pop.name+" open again", pop.open, 5*time.Second)
		click("#fy-tab-form")
		if pgEval[bool](t, ctx, pop.open) {
			t.Errorf("%s stays open after a click on the form's tab", pop.name)
		}
	}
	p.AssertClean(t)
}
