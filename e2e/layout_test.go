package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The playground's layout (issue 13 item 9): a full-viewport workspace with
// resizable panes, one de-duplicated notice area that floats instead of
// pushing the panes down, and on phones one pane at a time behind tabs.

// The two screens every layout test looks at.
var (
	desktop = screen{"desktop", 1440, 900, false}
	phoneSc = screen{"phone", 390, 844, true}
)

type screen struct {
	name   string
	w, h   int64
	mobile bool
}

// shots saves the page as it is on desktop and phone, light and dark, as
// e2e/out/<name>-<screen>-<scheme>.png, and leaves the page on the desktop
// in light mode. before runs after each screen change (e.g. to pick the
// phone's pane); it may be nil.
func shots(t *testing.T, ctx context.Context, name string, before func(sc screen)) {
	t.Helper()
	for _, sc := range []screen{desktop, phoneSc} {
		viewport(t, ctx, sc.w, sc.h, sc.mobile)
		if before != nil {
			before(sc)
		}
		for _, dark := range []bool{false, true} {
			emulateDark(t, ctx, dark)
			time.Sleep(150 * time.Millisecond)
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			// The playground fills the viewport, so the viewport is the whole
			// page; a full-page capture would resize it and close popups.
			viewShot(t, ctx, name+"-"+sc.name+"-"+scheme)
		}
	}
	viewport(t, ctx, desktop.w, desktop.h, false)
	emulateDark(t, ctx, false)
}

// onPhone returns a shots() hook that shows pane on the phone (the phone
// shows one pane at a time; the desktop shows them all anyway).
func onPhone(t *testing.T, ctx context.Context, pane string) func(screen) {
	return func(sc screen) {
		if sc.mobile {
			jsClick(t, ctx, "#fy-ptab-"+pane)
		}
	}
}

// viewShot saves what the viewport shows (not the whole page) as e2e/out/<name>.png.
func viewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll("out", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("out", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: e2e/out/%s.png", name)
}

// rect is an element's bounding box, rounded to whole pixels.
type rect struct{ X, Y, W, H int }

func rectOf(t *testing.T, ctx context.Context, sel string) rect {
	t.Helper()
	return pgEval[rect](t, ctx, `(() => { const r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect(); return {X: Math.round(r.x), Y: Math.round(r.y), W: Math.round(r.width), H: Math.round(r.height)} })()`)
}

// TestPlaygroundLayout: on a desktop the three panes and the details panel
// fill the viewport (the page itself never scrolls), keep their place when
// loading ends and when notices come, and resize by drag and by keyboard.
func TestPlaygroundLayout(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	// Where the panes are before the generator has answered...
	early := map[string]rect{}
	panes := []string{"#fy-pane-edit", "#fy-files", "#fy-preview", "#fy-details"}
	for _, sel := range panes {
		early[sel] = rectOf(t, ctx, sel)
	}
	if generation(t, ctx) != 0 {
		t.Log("the first result came before the early measurement; the no-jump check is weaker")
	}
	waitGeneration(t, ctx, 0)
	pgWait(t, ctx, "the form", `document.querySelector('[data-path="machines[0].name"]')`, 10*time.Second)
	// ...is where they are once it has (and once the form and notices are in).
	for _, sel := range panes {
		if got := rectOf(t, ctx, sel); got != early[sel] {
			t.Errorf("%s moved when loading ended: %+v, then %+v", sel, early[sel], got)
		}
	}

	// Full viewport: nothing scrolls the page, and the details panel ends at the bottom.
	if over := pgEval[int](t, ctx, `document.scrollingElement.scrollHeight - innerHeight`); over > 0 {
		t.Errorf("the page scrolls by %d px; the workspace should fill the viewport", over)
	}
	if d := rectOf(t, ctx, "#fy-details"); d.Y+d.H < int(desktop.h)-20 || d.Y+d.H > int(desktop.h) {
		t.Errorf("the details panel ends at %d px of a %d px viewport", d.Y+d.H, desktop.h)
	}
	// editor | files | preview, side by side.
	e, f, pv := rectOf(t, ctx, "#fy-pane-edit"), rectOf(t, ctx, "#fy-files"), rectOf(t, ctx, "#fy-preview")
	if !(e.X < f.X && f.X < pv.X && e.Y == f.Y && f.Y == pv.Y) {
		t.Errorf("panes not side by side: %+v %+v %+v", e, f, pv)
	}

	// Notices: what replaced the fleet is one notice, the latest (each
	// example loaded used to stack its own over the preview); they float
	// (the panes stay) and close. Focus on the notice keeps it from closing
	// by itself (INFO_MS) while the screenshots are taken.
	for _, pick := range []string{"minimal", "seed", "minimal"} {
		g := generation(t, ctx)
		pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = `+jsString(pick)+`; s.dispatchEvent(new Event("change")); return true })()`)
		waitGeneration(t, ctx, g)
	}
	pgEval[bool](t, ctx, `(document.querySelector("#fy-notices .fy-notice-close").focus(), true)`)
	notices := pgEval[[]string](t, ctx, `[...document.querySelectorAll("#fy-notices > .fy-notice")].map(n => n.querySelector(".fy-notice-msg").textContent)`)
	if len(notices) != 1 || !strings.Contains(notices[0], "Minimal") {
		t.Errorf("after loading three examples the notices are %q, want one, about the last (Minimal)", notices)
	}
	for _, sel := range panes {
		if got := rectOf(t, ctx, sel); got != early[sel] {
			t.Errorf("%s moved when notices came: %+v, then %+v", sel, early[sel], got)
		}
	}
	shots(t, ctx, "layout-notices", onPhone(t, ctx, "preview"))
	jsClick(t, ctx, `#fy-notices .fy-notice-close`)
	if n := pgEval[int](t, ctx, `document.querySelectorAll("#fy-notices > .fy-notice").length`); n != 0 {
		t.Errorf("after closing the notice %d remain, want none", n)
	}
	// Escape closes the focused notice.
	g := generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "seed"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#fy-notices .fy-notice-close")), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if n := pgEval[int](t, ctx, `document.querySelectorAll("#fy-notices > .fy-notice").length`); n != 0 {
		t.Errorf("Escape left %d notices", n)
	}
	// Plain information (no action to offer) closes by itself.
	g = generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	pgEval[bool](t, ctx, `(document.getElementById("fy-pg").focus(), true)`)
	pgWait(t, ctx, "the example notice to close by itself", `document.querySelectorAll("#fy-notices > .fy-notice").length === 0`, 20*time.Second)
	if pgEval[bool](t, ctx, `document.activeElement === document.body`) {
		t.Error("closing a notice dropped focus to <body>")
	}

	// Resizing: the separators are focusable window splitters.
	sep := `.fy-sep[data-resize="files"]`
	attrs := pgEval[[]string](t, ctx, `(() => { const s = document.querySelector(`+jsString(sep)+`); return ["role", "aria-orientation", "aria-valuenow", "aria-valuemin", "aria-valuemax", "aria-controls", "tabindex"].map(a => s.getAttribute(a) || "") })()`)
	if attrs[0] != "separator" || attrs[1] != "vertical" || attrs[2] == "" || attrs[3] == "" || attrs[4] == "" || attrs[5] != "fy-files" || attrs[6] != "0" {
		t.Errorf("file column separator attributes %q", attrs)
	}
	w0 := rectOf(t, ctx, "#fy-files").W
	v0 := pgEval[string](t, ctx, `document.querySelector(`+jsString(sep)+`).getAttribute("aria-valuenow")`)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(sep)), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	w1 := rectOf(t, ctx, "#fy-files").W
	v1 := pgEval[string](t, ctx, `document.querySelector(`+jsString(sep)+`).getAttribute("aria-valuenow")`)
	if w1 <= w0 || v1 == v0 {
		t.Errorf("ArrowRight on the separator: width %d -> %d, aria-valuenow %s -> %s", w0, w1, v0, v1)
	}
	// Dragging the editor's separator 150 px to the right widens the editor by about that.
	es := rectOf(t, ctx, `.fy-sep[data-resize="edit"]`)
	ew0 := rectOf(t, ctx, "#fy-pane-edit").W
	drag(t, ctx, float64(es.X+es.W/2), float64(es.Y+es.H/2), 150, 0)
	ew1 := rectOf(t, ctx, "#fy-pane-edit").W
	if d := ew1 - ew0; d < 130 || d > 170 {
		t.Errorf("dragging the separator 150 px widened the editor by %d px", d)
	}
	// The details panel's separator grows it upwards.
	hs := rectOf(t, ctx, `.fy-sep[data-resize="details"]`)
	dh0 := rectOf(t, ctx, "#fy-details").H
	drag(t, ctx, float64(hs.X+hs.W/2), float64(hs.Y+hs.H/2), 0, -100)
	if dh := rectOf(t, ctx, "#fy-details").H - dh0; dh < 80 || dh > 120 {
		t.Errorf("dragging the details separator 100 px up grew the panel by %d px", dh)
	}
	// Sizes survive a reload (layout only: no spec content in that key).
	saved := pgEval[string](t, ctx, `localStorage.getItem("fleetyard:playground:layout") || ""`)
	if !strings.Contains(saved, `"edit"`) || strings.Contains(saved, "machines") {
		t.Errorf("saved layout %q", saved)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, 0)
	if w := rectOf(t, ctx, "#fy-pane-edit").W; w < ew1-4 || w > ew1+4 {
		t.Errorf("after reload the editor is %d px wide, was %d", w, ew1)
	}
	shots(t, ctx, "layout-resized", nil)
	p.AssertClean(t)
}

// drag presses the mouse at x,y, moves by dx,dy in steps and releases.
func drag(t *testing.T, ctx context.Context, x, y, dx, dy float64) {
	t.Helper()
	const steps = 6
	ev := func(typ input.DispatchMouseEventType, x, y float64, buttons int64) {
		p := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: buttons}
		if typ != input.DispatchMouseEventTypeMouseMoved {
			p.ClickCount = 1
		}
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, p); err != nil {
			t.Fatal(err)
		}
	}
	ev(input.DispatchMouseEventTypeMousePressed, x, y, 1)
	for i := 1; i <= steps; i++ {
		f := float64(i) / steps
		ev(input.DispatchMouseEventTypeMouseMoved, x+dx*f, y+dy*f, 1)
	}
	ev(input.DispatchMouseEventTypeMouseReleased, x+dx, y+dy, 0)
}

// TestPlaygroundPhone: on a 390×844 phone one pane shows at a time behind
// tabs, the toolbar fits the width, picking a file opens the preview, whose
// lines wrap, and the docs navigation starts folded.
func TestPlaygroundPhone(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, phoneSc.w, phoneSc.h, true)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the form", `document.querySelector('[data-path="machines[0].name"]')`, 10*time.Second)
	visible := func() []string {
		return pgEval[[]string](t, ctx, `["#fy-pane-edit", "#fy-files", "#fy-preview", "#fy-details"].filter(s => document.querySelector(s).getClientRects().length > 0)`)
	}
	if v := visible(); len(v) != 1 || v[0] != "#fy-pane-edit" {
		t.Errorf("on a phone the visible panes are %v, want only the spec editor", v)
	}
	// Nothing is wider than the screen.
	if over := pgEval[[]string](t, ctx, `[...document.querySelectorAll(".fy-pg-bar *, .fy-pane-tabs *")].filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 0.5).map(e => e.id || e.className || e.tagName)`); len(over) > 0 {
		t.Errorf("toolbar elements beyond the right edge: %v", over)
	}
	if sw := pgEval[int](t, ctx, `document.scrollingElement.scrollWidth - innerWidth`); sw > 0 {
		t.Errorf("the page scrolls sideways by %d px", sw)
	}
	shots(t, ctx, "phone-spec", nil)

	// The Files tab, then a file: the preview opens, its long lines wrap.
	viewport(t, ctx, phoneSc.w, phoneSc.h, true)
	jsClick(t, ctx, `#fy-ptab-files`)
	if v := visible(); len(v) != 1 || v[0] != "#fy-files" {
		t.Errorf("after the Files tab the visible panes are %v", v)
	}
	shot(t, ctx, "phone-files-light")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.fy-file-btn[data-path="flake.nix"]`))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the preview pane", `document.querySelector("#fy-preview").getClientRects().length > 0 && document.querySelector("#fy-preview .cm-content")`, 5*time.Second)
	if v := visible(); len(v) != 1 || v[0] != "#fy-preview" {
		t.Errorf("after picking a file the visible panes are %v, want the preview", v)
	}
	if !pgEval[bool](t, ctx, `document.querySelector("#fy-preview .cm-editor").classList.contains("cm-lineWrapping") || !!document.querySelector("#fy-preview .cm-lineWrapping")`) {
		t.Error("the phone preview does not wrap lines")
	}
	if over := pgEval[int](t, ctx, `(() => { const s = document.querySelector("#fy-preview .cm-scroller"); return s.scrollWidth - s.clientWidth })()`); over > 1 {
		t.Errorf("the phone preview scrolls sideways by %d px", over)
	}
	shots(t, ctx, "phone-preview", onPhone(t, ctx, "preview"))
	// Details: the panel alone.
	viewport(t, ctx, phoneSc.w, phoneSc.h, true)
	jsClick(t, ctx, `#fy-ptab-details`)
	if v := visible(); len(v) != 1 || v[0] != "#fy-details" {
		t.Errorf("after the Details tab the visible panes are %v", v)
	}
	shot(t, ctx, "phone-details-light")
	// The access matrix scrolls sideways on a phone; its explanation wraps
	// to the pane instead (it was the table's caption, cut off mid-word).
	// The file paths are nearly a phone's width, so the file column does
	// not stick: it would hide every reader behind it.
	jsClick(t, ctx, `#fy-tab-access`)
	pgWait(t, ctx, "the access matrix", `document.querySelector("#fy-panel-access .fy-matrix")`, 5*time.Second)
	if over := pgEval[float64](t, ctx, `(() => { const n = document.querySelector("#fy-panel-access .fy-matrix-note"); return n ? n.getBoundingClientRect().right - document.documentElement.clientWidth : 999 })()`); over > 0.5 {
		t.Errorf("the access matrix's explanation runs %.0f px past the phone's width", over)
	}
	shot(t, ctx, "phone-access-light")
	jsClick(t, ctx, `#fy-tab-diags`)
	// Arrow keys move between the pane tabs.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#fy-ptab-details")), chromedp.KeyEvent(kb.ArrowLeft)); err != nil {
		t.Fatal(err)
	}
	if v := visible(); len(v) != 1 || v[0] != "#fy-preview" {
		t.Errorf("ArrowLeft from Details shows %v, want the preview", v)
	}
	p.AssertClean(t)

	// The docs: navigation folded on the phone, open on the desktop.
	navigate(t, ctx, "/docs/getting-started/")
	open := func() bool {
		return pgEval[bool](t, ctx, `document.querySelector(".fy-sidebar .fy-nav-section").getClientRects().length > 0`)
	}
	if open() {
		t.Error("on a phone the docs navigation starts unfolded")
	}
	viewShot(t, ctx, "docs-nav-phone-light")
	emulateDark(t, ctx, true)
	viewShot(t, ctx, "docs-nav-phone-dark")
	jsClick(t, ctx, ".fy-sidebar-details > summary")
	if !open() {
		t.Error("the docs navigation does not unfold on the phone")
	}
	viewShot(t, ctx, "docs-nav-phone-open-dark")
	emulateDark(t, ctx, false)
	viewport(t, ctx, desktop.w, desktop.h, false)
	navigate(t, ctx, "/docs/getting-started/")
	if !open() {
		t.Error("on a desktop the docs navigation is hidden")
	}
	if pgEval[bool](t, ctx, `document.querySelector(".fy-sidebar-details > summary").getClientRects().length > 0`) {
		t.Error("on a desktop the docs navigation shows its fold-out summary")
	}
	viewShot(t, ctx, "docs-nav-desktop-light")
	emulateDark(t, ctx, true)
	viewShot(t, ctx, "docs-nav-desktop-dark")
	p.AssertClean(t)
}
