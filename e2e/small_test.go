package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The small things of issue 13 item 10: file names are never cut, the
// example menu tells an imported spec from an example, the reproduce
// command names the file the download got, the fleet picture's text stays
// in its boxes, and an empty preview offers no diff toggle.

// TestPlaygroundFileNames: at the narrowest file column every name is shown
// whole (it wraps instead of being cut).
func TestPlaygroundFileNames(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the tree", `document.querySelector(".fy-file-btn")`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`.fy-sep[data-resize="files"]`)), chromedp.KeyEvent(kb.Home)); err != nil {
		t.Fatal(err)
	}
	if v := pgEval[string](t, ctx, `document.querySelector('.fy-sep[data-resize="files"]').getAttribute("aria-valuenow")`); v != pgEval[string](t, ctx, `document.querySelector('.fy-sep[data-resize="files"]').getAttribute("aria-valuemin")`) {
		t.Fatalf("Home left the file column at %s%%", v)
	}
	cut := pgEval[[]string](t, ctx, `[...document.querySelectorAll(".fy-file-name")].filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > e.closest(".fy-tree-wrap").getBoundingClientRect().right + 1).map(e => e.textContent)`)
	if len(cut) > 0 {
		t.Errorf("file names cut at the narrowest column: %q", cut)
	}
	shots(t, ctx, "files-narrow", onPhone(t, ctx, "files"))
	p.AssertClean(t)
}

// TestPlaygroundExampleMenu: after an import the example menu says so, not
// the example that was chosen before; an edited example reads as such.
func TestPlaygroundExampleMenu(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	shown := func() string {
		return pgEval[string](t, ctx, `(() => { const s = document.getElementById("fy-example"); return s.value + "|" + s.options[s.selectedIndex].textContent })()`)
	}
	g := generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	if got := shown(); !strings.HasPrefix(got, "minimal|Minimal") {
		t.Fatalf("after choosing Minimal the menu shows %q", got)
	}
	var spec map[string]any
	json.Unmarshal([]byte(readSpec(t, "minimal")), &spec)
	spec["name"] = "imported-fleet"
	b, _ := json.MarshalIndent(spec, "", "  ")
	file := filepath.Join(t.TempDir(), "my-fleet.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	g = generation(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#fy-import-file"), []string{file})); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, g)
	if got := shown(); got != "|Imported my-fleet.json" {
		t.Errorf("after importing my-fleet.json the menu shows %q", got)
	}
	shots(t, ctx, "example-menu-imported", nil)
	g = generation(t, ctx)
	setField(t, ctx, `[data-path="name"]`, "imported-and-edited")
	waitGeneration(t, ctx, g)
	if got := shown(); got != "|Imported my-fleet.json (edited)" {
		t.Errorf("after editing the import the menu shows %q", got)
	}
	// Back to the example's exact text: the menu names it again.
	g = generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "seed"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	g = generation(t, ctx)
	setField(t, ctx, `[data-path="name"]`, "test-clan2")
	waitGeneration(t, ctx, g)
	if got := shown(); got != "|Custom" {
		t.Errorf("after editing the seed example the menu shows %q", got)
	}
	p.AssertClean(t)
}

// TestPlaygroundReproduceName: the reproduce command names the file a
// download gets: the fleet's name before any download (not fleet.tar.gz),
// and the downloaded file after one.
func TestPlaygroundReproduceName(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	cmd := func() string {
		return pgEval[string](t, ctx, `document.getElementById("fy-reproduce-cmd").textContent`)
	}
	if c := cmd(); !strings.HasSuffix(c, "> test-clan.tar.gz") {
		t.Errorf("before any download the command is %q, want it to write test-clan.tar.gz", c)
	}
	g := generation(t, ctx)
	setField(t, ctx, `[data-path="name"]`, "renamed")
	waitGeneration(t, ctx, g)
	if c := cmd(); !strings.HasSuffix(c, "> renamed.tar.gz") {
		t.Errorf("after renaming the fleet the command is %q", c)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-export-zip"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the download", `document.getElementById("fy-export-sha")`, 10*time.Second)
	if c := cmd(); !strings.HasSuffix(c, "> renamed.zip") {
		t.Errorf("after downloading renamed.zip the command is %q", c)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dl, "renamed.zip")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			names, _ := os.ReadDir(dl)
			t.Fatalf("renamed.zip not downloaded (dir: %v)", names)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if sel := pgEval[string](t, ctx, `document.querySelector('.fy-pg-bottom [role="tab"][aria-selected="true"]').id`); sel != "fy-tab-export" {
		t.Errorf("after a download the details show %s, not the download's tab", sel)
	}
	pgEval[bool](t, ctx, `(document.getElementById("fy-reproduce").open = true, true)`)
	shots(t, ctx, "reproduce-after-download", onPhone(t, ctx, "details"))
	p.AssertClean(t)
}

// TestPlaygroundPictureFits: with long machine and user names every text of
// the fleet picture stays inside its machine's box.
func TestPlaygroundPictureFits(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	var spec map[string]any
	json.Unmarshal([]byte(readSpec(t, "seed")), &spec)
	// Long names, renamed everywhere they are referenced.
	long := map[string]string{"cinnabar": "cinnabar-controller-in-falkenstein", "electrum": "electrum-spare-server-number-two", "blackphos": "blackphos-the-shared-macbook-pro"}
	text, _ := json.Marshal(spec)
	s := string(text)
	for old, nu := range long {
		s = strings.ReplaceAll(s, `"`+old+`"`, `"`+nu+`"`)
	}
	g := generation(t, ctx)
	replaceEditor(t, ctx, s)
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "a valid spec", `document.getElementById("fy-pg").dataset.ok === "true"`, 10*time.Second)
	jsClick(t, ctx, "#fy-tab-picture")
	pgWait(t, ctx, "the picture", `document.querySelector("#fy-panel-picture svg .fy-svg-machine")`, 5*time.Second)
	out := pgEval[[]string](t, ctx, `[...document.querySelectorAll("#fy-panel-picture .fy-svg-machine")].flatMap(g => {
	  const r = g.querySelector("rect").getBBox();
	  return [...g.querySelectorAll("text")].filter(t => { const b = t.getBBox(); return b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5 || b.y < r.y - 0.5 || b.y + b.height > r.y + r.height + 0.5 }).map(t => t.textContent);
	})`)
	if len(out) > 0 {
		t.Errorf("picture texts outside their boxes: %q", out)
	}
	if n := pgEval[int](t, ctx, `document.querySelectorAll("#fy-panel-picture .fy-svg-machine").length`); n != 3 {
		t.Errorf("%d machines in the picture, want 3", n)
	}
	// Cards are opaque, a switched-off server's too: the lines under them
	// (zerotier, accounts) showed through a faded card across its text.
	if faded := pgEval[[]string](t, ctx, `[...document.querySelectorAll("#fy-panel-picture .fy-svg-machine")].filter(g => getComputedStyle(g).opacity !== "1" || getComputedStyle(g.querySelector("rect")).opacity !== "1").map(g => g.querySelector("title").textContent)`); len(faded) > 0 {
		t.Errorf("see-through machine cards: %q", faded)
	}
	// The full names stay readable in each box's title.
	if titles := pgEval[string](t, ctx, `[...document.querySelectorAll("#fy-panel-picture .fy-svg-machine title")].map(t => t.textContent).join("\n")`); !strings.Contains(titles, long["blackphos"]) {
		t.Errorf("the full name is not in the titles: %q", titles)
	}
	shots(t, ctx, "picture-long-names", func(sc screen) {
		if sc.mobile {
			jsClick(t, ctx, "#fy-ptab-details")
		}
		jsClick(t, ctx, "#fy-tab-picture")
	})
	p.AssertClean(t)
}

// TestPlaygroundEmptyPreview: with no output (here: no WebAssembly) the
// preview says why and shows no File/Diff toggle.
func TestPlaygroundEmptyPreview(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete globalThis.WebAssembly;`}); err != nil {
		t.Fatal(err)
	}
	viewport(t, ctx, desktop.w, desktop.h, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the generator to be unavailable", `document.getElementById("fy-load-text").textContent.includes("WebAssembly")`, 10*time.Second)
	if vis := pgEval[[]string](t, ctx, `[...document.querySelectorAll("#fy-preview fieldset")].filter(f => f.getClientRects().length > 0).map(f => f.textContent)`); len(vis) > 0 {
		t.Errorf("the empty preview shows %v", vis)
	}
	// It says the browser is the reason, not the spec; and it does not send
	// the reader to Diagnostics, which have nothing about it.
	if msg := pgEval[string](t, ctx, `document.querySelector("#fy-preview .fy-empty").textContent`); !strings.Contains(msg, "cannot run in this browser") {
		t.Errorf("the empty preview says %q", msg)
	}
	if msg := pgEval[string](t, ctx, `document.getElementById("fy-output-state").textContent`); !strings.HasPrefix(msg, "This browser has no WebAssembly") || strings.Contains(msg, "Diagnostics") {
		t.Errorf("the preview's label says %q", msg)
	}
	if msg := pgEval[string](t, ctx, `document.getElementById("fy-export-why").textContent`); msg != "Download is off: this browser cannot run the generator." {
		t.Errorf("the reason downloads are off is %q", msg)
	}
	// Without WebAssembly, Retry cannot help: nothing offers it.
	if msg := pgEval[string](t, ctx, `document.getElementById("fy-pg").textContent`); strings.Contains(msg, "Press Retry") || strings.Contains(msg, "press Retry") {
		t.Errorf("a browser without WebAssembly is told to press Retry")
	}
	shots(t, ctx, "preview-empty", onPhone(t, ctx, "preview"))
	p.AssertClean(t)
}

// TestPlaygroundImportRefusesOtherJSON: a JSON file that is plainly no
// fleet (an npm package.json) is refused and the fleet kept; a text that
// does not parse is taken (it may be a fleet with a typo) with a warning.
func TestPlaygroundImportRefusesOtherJSON(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	waitGeneration(t, ctx, 0)
	before := pgEval[string](t, ctx, `document.querySelector("[data-path=name]").value`)
	dir := t.TempDir()
	upload := func(name, text string) {
		t.Helper()
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#fy-import-file"), []string{file})); err != nil {
			t.Fatal(err)
		}
	}
	upload("package.json", `{"name": "web", "version": "1.0.0", "dependencies": {}}`)
	pgWait(t, ctx, "the refusal", `[...document.querySelectorAll(".fy-notice-error")].some(n => n.textContent.includes("package.json is not a fleet spec"))`, 5*time.Second)
	if got := pgEval[string](t, ctx, `document.querySelector("[data-path=name]").value`); got != before {
		t.Errorf("the fleet changed to %q", got)
	}
	upload("typo.json", strings.Replace(readSpec(t, "minimal"), `"version": 1,`, `"version": 1,,`, 1))
	pgWait(t, ctx, "the warning", `[...document.querySelectorAll(".fy-notice-warn")].some(n => n.textContent.includes("Imported typo.json, but it is not valid JSON"))`, 5*time.Second)
	shot(t, ctx, "import-invalid-json")
	p.AssertClean(t)
}
