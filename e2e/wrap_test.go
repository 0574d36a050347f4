package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPreviewWrapChoice: on a desktop the preview scrolls long lines
// sideways until the reader ticks "Wrap", which wraps them (a file and a
// diff alike) and is remembered across reloads; a phone always wraps and
// shows no box (TestPlaygroundPhone).
func TestPreviewWrapChoice(t *testing.T) {
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	const wrapped = `!!document.querySelector("#fy-preview .cm-lineWrapping")`
	overflow := func() int {
		return pgEval[int](t, ctx, `(() => { const s = document.querySelector("#fy-preview .cm-scroller"); return s ? s.scrollWidth - s.clientWidth : -1 })()`)
	}
	pgWait(t, ctx, "flake.nix in CodeMirror", `!!document.querySelector("#fy-preview .cm-content")`, 15*time.Second)
	if pgEval[bool](t, ctx, wrapped) {
		t.Fatal("the desktop preview wraps before the reader asked")
	}
	if o := overflow(); o <= 0 {
		t.Fatalf("test is vacuous: flake.nix does not overflow the preview (%d px)", o)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`label[for="fy-wrap"]`))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the preview wrapped", wrapped, 5*time.Second)
	if o := overflow(); o > 1 {
		t.Errorf("the wrapped preview still scrolls sideways by %d px", o)
	}
	shot(t, ctx, "preview-wrapped")
	// The choice holds for a diff (flake.nix shows the fleet's
	// description), and after a reload.
	setField(t, ctx, `[data-path="description"]`, "A description long enough to make the flake's description line run past the preview's right edge")
	waitGeneration(t, ctx, 1)
	jsClick(t, ctx, `label[for="fy-mode-diff"]`)
	pgWait(t, ctx, "the diff wrapped", `document.querySelector(".fy-preview-body").dataset.mode === "diff" && !!document.querySelector("#fy-preview .cm-changedLine") && !!document.querySelector("#fy-preview .cm-lineWrapping")`, 10*time.Second)
	shot(t, ctx, "preview-diff-wrapped")
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "flake.nix in CodeMirror after the reload", `!!document.querySelector("#fy-preview .cm-content")`, 15*time.Second)
	if !pgEval[bool](t, ctx, `document.querySelector("#fy-wrap").checked`) || !pgEval[bool](t, ctx, wrapped) {
		t.Error("the Wrap choice was not kept across the reload")
	}
	jsClick(t, ctx, `label[for="fy-wrap"]`)
	pgWait(t, ctx, "the preview unwrapped", `!`+wrapped, 5*time.Second)
	p.AssertClean(t)
}
