package e2e

import (
	"testing"
	"time"
)

// TestPreviewTitleWrapsBetweenDirectories: a long path in the preview's
// header wraps after a "/", never inside a name (it showed
// "modules/clan/inventory/ma" over "chines.nix"). Each piece of the title
// is one directory or the file name; none may span two lines.
func TestPreviewTitleWrapsBetweenDirectories(t *testing.T) {
	ctx, p := newTab(t)
	viewport(t, ctx, 1280, 800, false)
	openPlayground(t, ctx, "")
	waitGeneration(t, ctx, 0)
	const path = "modules/clan/inventory/services/emergency-access.nix"
	jsClick(t, ctx, `.fy-file-btn[data-path="`+path+`"]`)
	pgWait(t, ctx, "the file in the preview", `document.getElementById("fy-preview-title").textContent === `+jsString(path), 5*time.Second)
	for _, w := range []int64{1280, 1100, 900} {
		viewport(t, ctx, w, 800, false)
		split := pgEval[[]string](t, ctx, `[...document.getElementById("fy-preview-title").childNodes].filter(n => { const r = document.createRange(); r.selectNodeContents(n); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1 }).map(n => n.textContent)`)
		if len(split) > 0 {
			t.Errorf("at %d px the preview title breaks inside %q", w, split)
		}
	}
	shot(t, ctx, "preview-title-900")
	p.AssertClean(t)
}
