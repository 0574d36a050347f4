package e2e

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/internal/sharelink"
	"github.com/fleetyard/fleetyard/site"
)

func navigate(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+path), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("navigate %s: %v", path, err)
	}
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// TestDocsWithoutJavaScript: with scripting off, a pattern page still shows
// its live example as highlighted, pre-rendered files.
func TestDocsWithoutJavaScript(t *testing.T) {
	ctx, p := newTab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, "/docs/terranix-toggle/")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.fy-file[data-path="modules/terranix/hetzner.nix"] pre.chroma`))); err != nil {
		t.Fatal(err)
	}
	// Scripts are off, so read the DOM through the protocol, not page JS.
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.fy-file[data-path="modules/terranix/hetzner.nix"] pre`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "hcloud_server") {
		t.Errorf("pre-rendered hetzner.nix lacks hcloud_server:\n%.300s", text)
	}
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(`.fy-file[data-path="modules/terranix/hetzner.nix"] pre.chroma span.k`)))
	if err != nil || len(nodes) < 5 {
		t.Errorf("few highlighted tokens (%d): %v", len(nodes), err)
	}
	shot(t, ctx, "docs-terranix-nojs")
	p.AssertClean(t)
}

// TestDocsLooks takes screenshots of the main page kinds, light and dark,
// desktop and phone, and checks every page loads cleanly.
func TestDocsLooks(t *testing.T) {
	ctx, p := newTab(t)
	shots := []struct {
		path, name string
		dark       bool
		w, h       int64
	}{
		{"/", "home", false, 1280, 900},
		{"/docs/two-tier-secrets/", "docs-secrets", false, 1280, 900},
		{"/docs/two-tier-secrets/", "docs-secrets-dark", true, 1280, 900},
		{"/docs/fleet-json/", "docs-reference", false, 1280, 900},
		{"/docs/darwin-networking/", "docs-mobile", false, 390, 844},
		{"/docs/getting-started/", "docs-getting-started-dark", true, 1280, 900},
	}
	for _, s := range shots {
		scheme := "light"
		if s.dark {
			scheme = "dark"
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.w, s.h)); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, s.path)
		if s.dark {
			bg := evalString(t, ctx, `getComputedStyle(document.body).backgroundColor`)
			if bg == "rgb(255, 255, 255)" {
				t.Errorf("%s: dark scheme still has a white background", s.path)
			}
		}
		// Nothing may overflow the viewport horizontally (code scrolls inside its box).
		if w := evalString(t, ctx, `(() => { const d = document.documentElement; if (d.scrollWidth <= d.clientWidth) return ""; const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest("pre, table")).slice(0, 3).map(e => e.tagName + "." + e.className); return (d.scrollWidth - d.clientWidth) + "px, e.g. " + wide.join(", ") })()`); w != "" {
			t.Errorf("%s at %dpx: page overflows horizontally by %s", s.path, s.w, w)
		}
		shot(t, ctx, s.name)
	}
	p.AssertClean(t)
}

// TestAllPagesClean visits every page of the sitemap: no console errors, no
// CSP violations, no other-origin requests; the wasm is never fetched by a
// page without a live example.
func TestAllPagesClean(t *testing.T) {
	ctx, p := newTab(t)
	for _, path := range sitemapPaths(t) {
		before := len(p.Requests())
		navigate(t, ctx, path)
		time.Sleep(300 * time.Millisecond)
		html, _ := os.ReadFile(filepath.Join(publicDir, filepath.FromSlash(strings.TrimPrefix(path, "/")), "index.html"))
		if bytes.Contains(html, []byte("fy-example")) || path == "/playground/" {
			continue
		}
		for _, r := range p.Requests()[before:] {
			if strings.HasSuffix(r, ".wasm") || strings.Contains(r, "/assets/worker.") {
				t.Errorf("%s has no live example but fetched %s", path, r)
			}
		}
	}
	p.AssertClean(t)

	// The 404 page: its own status is the only error allowed.
	ctx, p = newTab(t)
	p.AllowConsole("404")
	navigate(t, ctx, "/no/such/page/")
	if h1 := evalString(t, ctx, `document.querySelector("h1").textContent`); h1 != "Page not found" {
		t.Errorf("404 page h1 = %q", h1)
	}
	p.AssertClean(t)
}

// terranixInline is the second example on the terranix page (an inline spec).
const terranixFigure = `.fy-example:not([data-example])`

// TestDocsLiveEdit: editing an example's spec regenerates the shown files in
// the browser, identical to what the Go generator gives for the edited spec.
func TestDocsLiveEdit(t *testing.T) {
	requireBuilt(t, "docs")
	ctx, p := newTab(t)
	navigate(t, ctx, "/docs/terranix-toggle/")
	fig := terranixFigure
	spec := evalString(t, ctx, `document.querySelector('`+fig+` .fy-spec').textContent`)
	if !strings.Contains(spec, `"enabled": true`) {
		t.Fatalf("unexpected inline spec: %s", spec)
	}
	edited := strings.Replace(spec, `"enabled": true`, `"enabled": false`, 1)
	want := generated(t, edited, "modules/terranix/hetzner.nix")
	before := generated(t, spec, "modules/terranix/hetzner.nix")
	if squash(want) == squash(before) {
		t.Fatal("test is vacuous: toggling enabled does not change hetzner.nix")
	}

	replaceExampleText(t, ctx, fig, edited)
	file := fig + ` .fy-file[data-path="modules/terranix/hetzner.nix"]`
	deadline := time.Now().Add(15 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		got = evalString(t, ctx, fileText(file))
		if squash(got) == squash(want) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot(t, ctx, "docs-terranix-edited")
	// The edited example as a reader sees it: editor, status and files in
	// one inset, without a band between the status and the first file.
	pgEval[bool](t, ctx, `(document.querySelector('`+fig+` .fy-example-edit').scrollIntoView({block: "start"}), true)`)
	shotVariants(t, ctx, "docs-example-edited", true, fig+` .fy-example-edit`)
	if gap := pgEval[float64](t, ctx, `document.querySelector('`+fig+` .fy-file').getBoundingClientRect().top - document.querySelector('`+fig+` .fy-example-status').getBoundingClientRect().bottom`); gap > 24 {
		t.Errorf("%.0f px between the example's status and its first file", gap)
	}
	if squash(got) != squash(want) {
		t.Fatalf("hetzner.nix after the edit does not match the Go generator\n got: %.400s\nwant: %.400s", got, want)
	}
	// The view marks what the edit changed against the example as
	// shipped: the line it changed, and the line it replaced shown
	// removed. Reset puts the example back, marks gone.
	marks := func() [2]int {
		return pgEval[[2]int](t, ctx, `(() => { const s = document.querySelector('`+file+`'); return [s.querySelectorAll('.cm-changedLine').length, s.querySelectorAll('.cm-deletedChunk').length] })()`)
	}
	pgWait(t, ctx, "the edit's changes marked in hetzner.nix", `document.querySelector('`+file+` .cm-changedLine') !== null`, 10*time.Second)
	if m := marks(); m[0] != 1 || m[1] != 1 {
		t.Errorf("toggling enabled marks %d changed line(s) and %d removed chunk(s) in hetzner.nix, want 1 and 1", m[0], m[1])
	}
	if removed := evalString(t, ctx, `document.querySelector('`+file+` .cm-deletedChunk').innerText`); !strings.Contains(removed, "enabled = true;") {
		t.Errorf("the removed chunk shows %q, want the shipped line enabled = true;", removed)
	}
	shotVariants(t, ctx, "docs-example-marked", false, file)
	reset := fig + ` .fy-example-reset`
	if pgEval[bool](t, ctx, `document.querySelector('`+reset+`').hidden`) {
		t.Fatal("the edited example shows no reset button")
	}
	pgEval[bool](t, ctx, `(document.querySelector('`+reset+`').click(), true)`)
	pgWait(t, ctx, "the example as shipped", `document.querySelector('`+fig+` .fy-example-editor .cm-content').innerText.includes('"enabled": true')`, 5*time.Second)
	pgWait(t, ctx, "the marks gone after the reset", `document.querySelector('`+file+` .cm-changedLine, `+file+` .cm-deletedChunk') === null`, 10*time.Second)
	if squash(evalString(t, ctx, fileText(file))) != squash(before) {
		t.Error("after the reset, hetzner.nix is not the example's as shipped")
	}
	if !pgEval[bool](t, ctx, `document.querySelector('`+reset+`').hidden`) {
		t.Error("the reset button stays after the reset")
	}
	// A problem's line:col moves the example editor's cursor there, as
	// in the playground (the docs listed it as plain text).
	replaceExampleText(t, ctx, fig, strings.Replace(edited, `"class": "nixos"`, `"class": "windows"`, 1))
	where := fig + ` .fy-example-diags .fy-where`
	pgWait(t, ctx, "the problem's position", `document.querySelector('`+where+`')`, 15*time.Second)
	pgEval[bool](t, ctx, `(document.querySelector('`+where+`').click(), true)`)
	pgWait(t, ctx, "the cursor on the problem", `(() => { const l = document.querySelector('`+fig+` .fy-example-editor .cm-activeLine'); return !!l && l.textContent.includes('"windows"') && document.activeElement.closest('.fy-example-editor') !== null })()`, 5*time.Second)
	p.AssertClean(t)
}

// TestOpenInPlayground: the example's link opens the playground carrying
// exactly the example's spec in the fragment.
func TestOpenInPlayground(t *testing.T) {
	ctx, p := newTab(t)
	navigate(t, ctx, "/docs/terranix-toggle/")
	spec := evalString(t, ctx, `document.querySelector('`+terranixFigure+` .fy-spec').textContent`)
	// Scrolling the example into view hydrates it (the layout changes), so
	// let that settle before clicking where the link is.
	if err := chromedp.Do(ctx,
		chromedp.ScrollIntoView(chromedp.CSS(terranixFigure+` .fy-open`)),
		chromedp.Sleep(1500*time.Millisecond),
		chromedp.Click(chromedp.CSS(terranixFigure+` .fy-open`)),
	); err != nil {
		t.Fatal(err)
	}
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + "|" + location.hash + "|" + document.readyState`))
		if strings.HasPrefix(loc, "/playground/|") && strings.HasSuffix(loc, "|complete") {
			break
		}
	}
	loc = strings.TrimSuffix(loc, "|complete")
	path, hash, _ := strings.Cut(loc, "|")
	if path != "/playground/" {
		t.Fatalf("landed on %s", path)
	}
	got, err := sharelink.Decode(strings.TrimPrefix(hash, "#fleet="))
	if err != nil {
		t.Fatalf("fragment %q: %v", hash, err)
	}
	if string(got) != spec {
		t.Errorf("playground fragment carries a different spec:\n%s", got)
	}
	// The playground app exists (static/playground.html and its bundle), so
	// it must pick the spec up; a build without the bundle skips here, and
	// fails under CI, instead of passing on the link alone.
	requireBuilt(t, "playground")
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(evalString(t, ctx, `document.body.innerText`), "builder") {
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(evalString(t, ctx, `document.body.innerText`), "builder") {
		t.Error("the playground does not show the example's machine (builder)")
	}
	shot(t, ctx, "playground-from-docs")
	p.AssertClean(t)
}

// generated returns one file of the repository for spec, generated as the
// docs do.
func generated(t *testing.T, spec, path string) string {
	t.Helper()
	files, err := site.Example{Page: "e2e", Index: 1, Spec: []byte(spec)}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == path {
			return string(f.Data)
		}
	}
	t.Fatalf("the generator produced no %s", path)
	return ""
}

// squash drops all whitespace: editors render lines as separate elements,
// so innerText's line breaks are not reliable, but the characters are.
// fileText is a script giving the text of a docs example's shown file
// (selector file): its CodeMirror lines, without the removed lines the
// change marks show between them, or the pre-rendered <pre>.
func fileText(file string) string {
	return `(() => { const s = document.querySelector('` + file + `'); if (!s) return ""; const c = s.querySelector('.cm-content'); if (!c) return (s.querySelector('pre') || s).innerText; return [...c.children].filter((e) => e.classList.contains('cm-line')).map((e) => e.textContent).join('\n') })()`
}

func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// replaceExampleText opens the editor of the docs example fig and replaces
// its whole text with text, as a user selecting all and pasting would.
func replaceExampleText(t *testing.T, ctx context.Context, fig, text string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fig+` .fy-edit`)),
		// The spec's editor, not a file's view: the editor's CodeMirror is
		// loaded on demand (lazycm.ts), so the file views can come first.
		chromedp.WaitVisible(chromedp.CSS(fig+` .fy-example-editor .cm-content`)),
		chromedp.Click(chromedp.CSS(fig+` .fy-example-editor .cm-content`)),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	); err != nil {
		t.Fatalf("opening the editor: %v", err)
	}
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		t.Fatal(err)
	}
}

// TestSiteAxe runs axe-core on every page of the sitemap but the
// playground (TestPlaygroundAxe has it), in light and dark: no serious or
// critical violation. The docs were first checked this way when the search
// box came, and had faint text below 4.5:1 and code blocks a keyboard
// could not scroll.
func TestSiteAxe(t *testing.T) {
	ctx, p := newTab(t)
	for _, dark := range []bool{false, true} {
		emulateDark(t, ctx, dark)
		for _, path := range sitemapPaths(t) {
			if path == "/playground/" {
				continue
			}
			navigate(t, ctx, path)
			mode := "light"
			if dark {
				mode = "dark"
			}
			axeClean(t, ctx, path+" ("+mode+")")
		}
	}
	p.AssertClean(t)
}

// sitemapPaths is the path of every page the built site's sitemap lists.
func sitemapPaths(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(publicDir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &sm); err != nil {
		t.Fatal(err)
	}
	paths := make([]string, len(sm.URLs))
	for i, u := range sm.URLs {
		loc, err := url.Parse(u.Loc)
		if err != nil {
			t.Fatal(err)
		}
		paths[i] = loc.Path
	}
	return paths
}
