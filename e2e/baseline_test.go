package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// Diffs against a stable baseline (issue 13 item 5): the badges and the
// preview's diff compare with the output as loaded (default), as last
// downloaded, or as pinned, never with the previous keystroke.

// diffText returns the preview's deleted and added lines.
func diffText(t *testing.T, ctx context.Context) (deleted, added string) {
	t.Helper()
	deleted = pgEval[string](t, ctx, `[...document.querySelectorAll('#fy-preview .cm-deletedChunk')].map(e => e.textContent).join("\n")`)
	added = pgEval[string](t, ctx, `[...document.querySelectorAll('#fy-preview .cm-changedLine')].map(e => e.textContent).join("\n")`)
	return
}

// typeInName types text at the end of the fleet name field, one key and one generation at a time.
func typeInName(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	pgEval[bool](t, ctx, `(() => { const e = document.querySelector('input[data-path="name"]'); e.focus(); e.setSelectionRange(e.value.length, e.value.length); return true })()`)
	for _, r := range text {
		g := generation(t, ctx)
		keys(t, ctx, string(r))
		waitGeneration(t, ctx, g)
	}
}

func setBaseline(t *testing.T, ctx context.Context, b string) {
	t.Helper()
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-baseline"); s.value = `+jsString(b)+`; s.dispatchEvent(new Event("change")); return true })()`)
}

func changedFiles(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return pgEval[[]string](t, ctx, `[...document.querySelectorAll('.fy-file-btn:not([data-badge=""])')].map(b => b.dataset.path + ":" + b.dataset.badge)`)
}

// TestPlaygroundDiffBaseline: typing "-prod" shows test-clan → test-clan-prod
// (not test-clan-pro → test-clan-prod); pinning and downloading move the
// baseline; loading another spec resets it.
func TestPlaygroundDiffBaseline(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	meta := `.fy-file-btn[data-path="modules/clan/meta.nix"]`
	pgWait(t, ctx, "meta.nix", `document.querySelector('`+meta+`')`, 10*time.Second)
	jsClick(t, ctx, meta)
	jsClick(t, ctx, `#fy-mode-diff`)

	typeInName(t, ctx, "-prod")
	pgWait(t, ctx, "the diff of the whole edit", `[...document.querySelectorAll('#fy-preview .cm-changedLine')].some(e => e.textContent.includes('"test-clan-prod"'))`, 10*time.Second)
	deleted, added := diffText(t, ctx)
	if !strings.Contains(deleted, `"test-clan"`) || strings.Contains(deleted, "test-clan-pro\"") {
		t.Errorf("since load, the deleted side should be the name as loaded, test-clan; it is %q", deleted)
	}
	if !strings.Contains(added, `"test-clan-prod"`) {
		t.Errorf("the added side should be test-clan-prod: %q", added)
	}
	if s := pgEval[string](t, ctx, `document.getElementById("fy-status").textContent`); !strings.Contains(s, "changed since load") {
		t.Errorf("status %q does not say what it compares with", s)
	}
	if b := pgEval[string](t, ctx, `document.querySelector('`+meta+`').dataset.badge`); b != "changed" {
		t.Errorf("meta.nix badge %q since load", b)
	}
	shots(t, ctx, "diff-since-load", onPhone(t, ctx, "preview"))

	// Pinned: the output now is the baseline; the next edit is diffed against it.
	setBaseline(t, ctx, "pinned")
	if c := changedFiles(t, ctx); len(c) != 0 {
		t.Errorf("right after pinning, changed files: %v", c)
	}
	pgWait(t, ctx, "no diff right after pinning", `document.querySelector("#fy-preview .fy-empty") && document.querySelector("#fy-preview .fy-empty").textContent.includes("Unchanged since the pin")`, 5*time.Second)
	if pgEval[bool](t, ctx, `document.getElementById("fy-pin").hidden`) {
		t.Error("no Pin now button in pinned mode")
	}
	typeInName(t, ctx, "x")
	pgWait(t, ctx, "the diff against the pin", `[...document.querySelectorAll('#fy-preview .cm-changedLine')].some(e => e.textContent.includes('"test-clan-prodx"'))`, 10*time.Second)
	deleted, _ = diffText(t, ctx)
	if !strings.Contains(deleted, `"test-clan-prod"`) {
		t.Errorf("against the pin the deleted side should be test-clan-prod: %q", deleted)
	}
	shots(t, ctx, "diff-pinned", onPhone(t, ctx, "files"))

	// Last download: before one, it says so and compares with the spec as loaded.
	setBaseline(t, ctx, "export")
	if n := pgEval[string](t, ctx, `document.getElementById("fy-baseline-note").textContent`); !strings.Contains(n, "Nothing downloaded yet") {
		t.Errorf("without a download the note says %q", n)
	}
	if b := pgEval[string](t, ctx, `document.querySelector('`+meta+`').dataset.badge`); b != "changed" {
		t.Errorf("without a download, meta.nix badge %q (should compare with the spec as loaded)", b)
	}
	// The CLI command, opened before the download, stays open after it
	// (the panel is redrawn with the download's checksum).
	pgEval[bool](t, ctx, `(document.getElementById("fy-reproduce").open = true, true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-export-tar"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the download", `document.getElementById("fy-export-sha")`, 10*time.Second)
	if !pgEval[bool](t, ctx, `document.getElementById("fy-reproduce").open`) {
		t.Error("the download closed \"Reproduce with the CLI\"")
	}
	pgWait(t, ctx, "no changes since the download", `document.querySelectorAll('.fy-file-btn:not([data-badge=""])').length === 0`, 5*time.Second)
	// The status line counts against the baseline now, not at the next edit.
	pgWait(t, ctx, "the status line against the download", `document.getElementById("fy-status").textContent.includes("0 changed since the last download")`, 5*time.Second)
	setBaseline(t, ctx, "load")
	if s := pgEval[string](t, ctx, `document.getElementById("fy-status").textContent`); !strings.Contains(s, "changed since load") || strings.Contains(s, " 0 changed") {
		t.Errorf("back on \"load\" the status line says %q", s)
	}
	setBaseline(t, ctx, "export")
	if n := pgEval[string](t, ctx, `document.getElementById("fy-baseline-note").textContent`); n != "" {
		t.Errorf("after a download the note still says %q", n)
	}
	typeInName(t, ctx, "y")
	if c := changedFiles(t, ctx); !slices.Contains(c, "modules/clan/meta.nix:changed") {
		t.Errorf("after an edit since the download, changed files: %v", c)
	}

	// Loading another spec makes it the new "since load".
	setBaseline(t, ctx, "load")
	g := generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	if c := changedFiles(t, ctx); len(c) != 0 {
		t.Errorf("right after loading the minimal example, changed files: %v", c)
	}
	p.AssertClean(t)
}
