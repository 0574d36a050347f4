package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/site"
)

// Issue 10 goal 4: where a cold load's time goes, and a playground that is
// usable before the generator has arrived.

// coldMarks are the page's performance marks of a cold load, in order
// (client.ts, worker.ts via the ready message, playground.ts).
var coldMarks = []struct {
	name, what string
	// optional: no warm-up when the page's request was there first (the
	// usual case since boot.ts sends it at start), no pre-rendered tree when
	// the real one was faster.
	optional bool
}{
	{"fy-boot", "boot.ts running (the bundle is parsed)", false},
	{"fy-worker-start", "worker created", false},
	{"fy-wasm-workerStart", "worker script running", false},
	{"fy-worker-heard", "page heard from the worker (evaluates the rest of the bundle now)", false},
	{"fy-module-start", "rest of the bundle evaluated (CodeMirror waits: lazycm.ts)", false},
	{"fy-ui-built", "page built (form, panels, tabs)", false},
	{"fy-spec-loaded", "default example loaded into the form", true},
	{"fy-prerendered", "pre-rendered tree set", true},
	{"fy-prerendered-painted", "pre-rendered tree painted", true},
	{"fy-wasm-response", "wasm response headers", false},
	{"fy-wasm-downloaded", "wasm downloaded", false},
	{"fy-wasm-instantiated", "wasm compiled and instantiated", false},
	{"fy-wasm-started", "Go runtime and packages initialised", false},
	{"fy-wasm-warmed", "warm-up generate done", true},
	{"fy-first-request", "first generate requested", false},
	{"fy-first-answer", "first generate answered", false},
	{"fy-first-preview", "first result applied", false},
	{"fy-first-preview-painted", "first result painted", false},
	// Loaded once the page is idle after the first preview: usually after
	// the timeline is read, so often absent.
	{"fy-codemirror-loaded", "CodeMirror evaluated (the preview gets its colours)", true},
}

// coldRuns is how many cold loads TestMeasure/cold makes when asked for
// by name (measureFully; once in a whole-suite run): the machine is
// shared, so one load says little; the median one is printed in full.
const coldRuns = 3

// coldLoad is what one cold load left on the page's timeline.
type coldLoad struct {
	Nav struct{ ResponseEnd, DomInteractive float64 }
	Res []struct {
		Name       string
		Start, End float64
		Size       int
	}
	DCL   float64 `json:"dcl"`
	Marks map[string]struct {
		T float64         `json:"t"`
		D json.RawMessage `json:"d"`
	} `json:"marks"`
}

// loadCold loads the playground from base in a fresh browser profile
// (empty cache) and reads its timeline once the first preview is painted.
func loadCold(t *testing.T, base, shotName string) coldLoad {
	ctx, _ := newTab(t)
	return loadIn(t, ctx, base, shotName)
}

// loadIn loads the playground from base in ctx's browser, as it is (its
// cache kept), and reads its timeline once the first preview is painted.
func loadIn(t *testing.T, ctx context.Context, base, shotName string) coldLoad {
	// Warm the browser process itself: its start is not the page's load.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitGeneration(t, ctx, 0)
	pgWait(t, ctx, "the first preview painted", `performance.getEntriesByName("fy-first-preview-painted").length > 0`, 5*time.Second)
	res := pgEval[string](t, ctx, `JSON.stringify({
	  dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
	  nav: (n => ({responseEnd: n.responseEnd, domInteractive: n.domInteractive}))(performance.getEntriesByType("navigation")[0]),
	  res: performance.getEntriesByType("resource").map(r => ({name: r.name.replace(/^.*\//, ""), start: r.startTime, end: r.responseEnd, size: r.encodedBodySize})),
	  marks: Object.fromEntries(performance.getEntriesByType("mark").filter(m => m.name.startsWith("fy-")).map(m => [m.name, {t: m.startTime, d: m.detail}])),
	})`)
	var v coldLoad
	if err := json.Unmarshal([]byte(res), &v); err != nil {
		t.Fatal(err)
	}
	if shotName != "" {
		shot(t, ctx, shotName)
	}
	return v
}

// measureColdLoad makes coldRuns cold loads from the test server
// (loopback) and prints the median one's steps: when each ended, measured
// from navigation start, with the time each took since the previous one,
// and when each file was fetched.
func measureColdLoad(t *testing.T) {
	measureCold(t, siteURL, "", "cold-first-preview")
}

// measureColdLoadNetwork is measureColdLoad over homeLink: what a visitor
// on an ordinary connection waits for, where the downloads (the wasm
// above all) are no longer instant and what starts them early counts.
func measureColdLoadNetwork(t *testing.T) {
	measureCold(t, slowLinkServer(t, homeLink), " over "+homeLink.name, "")
}

func measureCold(t *testing.T, base, over, shotName string) {
	var runs []coldLoad
	n := 1
	if measureFully() {
		n = coldRuns
	}
	for i := range n {
		name := ""
		if i == 0 {
			name = shotName
		}
		runs = append(runs, loadCold(t, base, name))
	}
	preview := func(v coldLoad) float64 { return v.Marks["fy-first-preview"].T }
	sort.Slice(runs, func(i, j int) bool { return preview(runs[i]) < preview(runs[j]) })
	all := make([]string, len(runs))
	for i, r := range runs {
		all[i] = fmt.Sprintf("%.0f", preview(r))
	}
	v := runs[len(runs)/2]
	var b strings.Builder
	b.WriteString("MEASURE cold load" + over + " breakdown, the median of " + fmt.Sprint(n) + " load(s) (ms since navigation start; +ms since the step before):\n")
	lineFor := func(at float64, what string, prev *float64) {
		b.WriteString(strings.Repeat(" ", 2))
		b.WriteString(formatMS(at))
		b.WriteString("  +")
		b.WriteString(formatMS(at - *prev))
		b.WriteString("  ")
		b.WriteString(what)
		b.WriteByte('\n')
		*prev = at
	}
	prev := 0.0
	lineFor(v.DCL, "DOMContentLoaded", &prev)
	type step struct {
		at   float64
		what string
	}
	var steps []step
	for _, m := range coldMarks {
		e, ok := v.Marks[m.name]
		if !ok && m.optional {
			continue // see coldMarks
		}
		if !ok {
			t.Errorf("no performance mark %s (%s)", m.name, m.what)
			continue
		}
		what := m.what
		if m.name == "fy-first-answer" || m.name == "fy-wasm-warmed" {
			var d struct{ MS float64 }
			json.Unmarshal(e.D, &d)
			what += fmt.Sprintf(" (%.0f ms inside the worker)", d.MS)
		}
		steps = append(steps, step{e.T, what})
	}
	known := map[string]bool{}
	for _, m := range coldMarks {
		known[m.name] = true
	}
	for name, e := range v.Marks {
		if !known[name] {
			steps = append(steps, step{e.T, name})
		}
	}
	// The worker's and the page's steps interleave: print them in time order.
	for i := 1; i < len(steps); i++ {
		for j := i; j > 0 && steps[j].at < steps[j-1].at; j-- {
			steps[j], steps[j-1] = steps[j-1], steps[j]
		}
	}
	for _, s := range steps {
		lineFor(s.at, s.what, &prev)
	}
	b.WriteString(fmt.Sprintf("  html received at %.0f ms, DOM interactive at %.0f ms\n", v.Nav.ResponseEnd, v.Nav.DomInteractive))
	for _, r := range v.Res {
		b.WriteString(fmt.Sprintf("  fetched %s: %.0f-%.0f ms (%d B)\n", r.Name, r.Start, r.End, r.Size))
	}
	t.Log(b.String())
	if e, ok := v.Marks["fy-first-preview"]; ok {
		t.Logf("MEASURE cold load%s to first preview: %.0f ms median of %d fresh browser(s) (%s ms) (budget 600 ms)", over, e.T, n, strings.Join(all, ", "))
	}
	if e, ok := v.Marks["fy-prerendered-painted"]; ok {
		t.Logf("MEASURE cold load%s to the pre-rendered tree on screen: %.0f ms", over, e.T)
	}
}

func formatMS(ms float64) string {
	return fmt.Sprintf("%5.0f", ms)
}

// heldServer serves the built site but holds back every response whose
// path hold accepts until letGo is called (at the latest when the test
// ends): the page as a visitor sees it while that file is on its way.
func heldServer(t *testing.T, hold func(path string) bool) (url string, letGo func()) {
	t.Helper()
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	released := false
	letGo = func() {
		if !released {
			released = true
			close(release)
		}
	}
	t.Cleanup(letGo)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold(r.URL.Path) {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, letGo
}

// heldWasmServer holds every .wasm response back (heldServer).
func heldWasmServer(t *testing.T) (url string, letGo func()) {
	return heldServer(t, func(p string) bool { return strings.HasSuffix(p, ".wasm") })
}

// TestUsableBeforeWasm holds the wasm download back on the server: the
// pre-rendered file tree must be on screen and the form must take typing
// while the generator is still downloading, and once the wasm is let
// through, the first real preview must carry what was typed.
func TestUsableBeforeWasm(t *testing.T) {
	requireBuilt(t, "playground")
	srvURL, letGo := heldWasmServer(t)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srvURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the pre-rendered tree", `document.getElementById("fy-pg").dataset.output === "prerendered" && document.querySelector('.fy-file-btn[data-path="flake.nix"]') !== null`, 10*time.Second)
	if st := pgEval[string](t, ctx, `document.getElementById("fy-pg").dataset.state`); st != "fetching" {
		t.Errorf("with the wasm held back the loading state is %q, want fetching", st)
	}
	n := pgEval[int](t, ctx, `document.querySelectorAll(".fy-file-btn").length`)
	if n < 10 {
		t.Errorf("the pre-rendered tree lists %d files", n)
	}
	// Real keystrokes into the form's description field.
	const typed = " Typed before the generator arrived."
	field := `[data-path="description"]`
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(field))); err != nil {
		t.Fatalf("focusing the form: %v", err)
	}
	pgEval[bool](t, ctx, `(() => { const el = document.querySelector('[data-path="description"]'); el.setSelectionRange(el.value.length, el.value.length); return true })()`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(typed)); err != nil {
		t.Fatalf("typing into the form: %v", err)
	}
	if v := pgEval[string](t, ctx, `document.querySelector('[data-path="description"]').value`); !strings.HasSuffix(v, typed) {
		t.Errorf("the description field holds %q after typing", v)
	}
	if g := generation(t, ctx); g != 0 {
		t.Fatalf("generation %d before the wasm was served", g)
	}
	shot(t, ctx, "playground-before-wasm")
	letGo()
	waitGeneration(t, ctx, 0)
	pgWait(t, ctx, "fresh output", `document.getElementById("fy-pg").dataset.output === "fresh"`, 10*time.Second)
	jsClick(t, ctx, `.fy-file-btn[data-path="flake.nix"]`)
	pgWait(t, ctx, "flake.nix with the typed description", previewTextJS+`.includes(`+jsString(strings.TrimSpace(typed))+`)`, 10*time.Second)
	consoleClean(t, p)
}

// TestFirstRequestAtBoot: the first generate request leaves before the page
// evaluates CodeMirror and builds its form (boot.ts), and the first preview
// is that request's answer: the worker generates once for the default
// example (no separate warm-up, no second request), and what it shows is
// byte for byte what a request made now with the tab's entropy and time
// gives.
func TestFirstRequestAtBoot(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	order := pgEval[string](t, ctx, `(() => {
	  const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
	  return JSON.stringify({request: at("fy-first-request"), module: at("fy-module-start"), warmed: at("fy-wasm-warmed")});
	})()`)
	var v struct{ Request, Module, Warmed float64 }
	if err := json.Unmarshal([]byte(order), &v); err != nil {
		t.Fatal(err)
	}
	if v.Request < 0 || v.Module < 0 || v.Request >= v.Module {
		t.Errorf("the first generate request went out at %.0f ms, after the bundle was evaluated (%.0f ms): it must leave before the page is built", v.Request, v.Module)
	}
	if v.Warmed >= 0 {
		t.Errorf("the worker ran a separate warm-up generate (at %.0f ms): the page's first request should have been its first call", v.Warmed)
	}
	if g := generation(t, ctx); g != 1 {
		t.Errorf("generation %d after the first preview, want 1", g)
	}
	// The files shown against a new request with this tab's entropy and
	// time: the same paths, and the same bytes for a secret stub (the one
	// kind of file the entropy changes), read from the preview.
	pgWait(t, ctx, "the autosave", `localStorage.getItem("fleetyard:playground:spec") !== null`, 5*time.Second)
	same := pgEval[string](t, ctx, `(async () => {
	  const r = document.getElementById("fy-reproduce").dataset;
	  const shown = [...document.querySelectorAll(".fy-file-btn")].map(b => b.dataset.path);
	  const stub = shown.find(p => p.startsWith("secrets/") || p.startsWith("vars/"));
	  if (!stub) return "no secret stub in the default example's files";
	  document.querySelector('.fy-file-btn[data-path="' + stub + '"]').click();
	  const shownId = document.querySelector(".fy-preview-body").dataset.fileId;
	  const w = new Worker(document.body.dataset.worker, {type: "module"});
	  const answer = new Promise((resolve) => { w.onmessage = (ev) => { if (ev.data.id === 1) resolve(ev.data); }; });
	  w.postMessage({id: 0, type: "init", wasm: document.body.dataset.wasm});
	  const spec = localStorage.getItem("fleetyard:playground:spec");
	  w.postMessage({id: 1, type: "generate", slot: "g", args: {spec, entropy: r.entropy, time: r.time}});
	  const m = await answer;
	  w.terminate();
	  if (!m.ok) return "error: " + m.error;
	  const fresh = m.result.files.map(f => f.path).sort();
	  if (JSON.stringify(fresh) !== JSON.stringify([...shown].sort())) return "file lists differ: " + JSON.stringify(fresh) + " vs " + JSON.stringify(shown);
	  const want = m.result.files.find(f => f.path === stub).id;
	  if (shownId !== want) return stub + " shown with ID " + shownId + ", a fresh request gives " + want;
	  const status = document.getElementById("fy-status").textContent;
	  return status.startsWith(fresh.length + " files") ? "ok" : "status: " + status;
	})()`)
	if same != "ok" {
		t.Errorf("the first preview differs from a fresh request: %s", same)
	}
	consoleClean(t, p)
}

// TestEditorBuiltOnShow: the fleet.json editor (CodeMirror) is not built
// while it sits behind the Form tab on a cold load; what is typed into the
// form meanwhile is in it when it is first shown, and it takes typing.
func TestEditorBuiltOnShow(t *testing.T) {
	requireBuilt(t, "playground")
	srvURL, letGo := heldWasmServer(t)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srvURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	field := `[data-path="description"]`
	pgWait(t, ctx, "the form", `document.querySelector('`+field+`') !== null`, 10*time.Second)
	if n := pgEval[int](t, ctx, `document.querySelectorAll("#fy-panel-json .cm-editor").length`); n != 0 {
		t.Errorf("%d editors built behind the Form tab before the first preview, want 0", n)
	}
	const typed = " Typed in the form first."
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(field))); err != nil {
		t.Fatal(err)
	}
	pgEval[bool](t, ctx, `(() => { const el = document.querySelector('`+field+`'); el.setSelectionRange(el.value.length, el.value.length); return true })()`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(typed)); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the autosave", `(localStorage.getItem("fleetyard:playground:spec") ?? "").includes(`+jsString(strings.TrimSpace(typed))+`)`, 5*time.Second)
	jsClick(t, ctx, "#fy-tab-json")
	pgWait(t, ctx, "the editor with the form's text", `(document.querySelector("#fy-panel-json .cm-content")?.textContent ?? "").includes(`+jsString(strings.TrimSpace(typed))+`)`, 5*time.Second)
	if n := pgEval[int](t, ctx, `document.querySelectorAll("#fy-panel-json .cm-editor").length`); n != 1 {
		t.Errorf("%d editors after showing the fleet.json tab, want 1", n)
	}
	// Typing into it reaches the model (and, once the generator is in, the preview).
	text := pgEval[string](t, ctx, `localStorage.getItem("fleetyard:playground:spec") ?? ""`)
	if !strings.Contains(text, strings.TrimSpace(typed)) {
		t.Fatalf("the autosaved spec lacks what was typed: %q", text)
	}
	replaceEditor(t, ctx, strings.Replace(text, strings.TrimSpace(typed), "Edited. "+strings.TrimSpace(typed), 1))
	letGo()
	waitGeneration(t, ctx, 0)
	jsClick(t, ctx, `.fy-file-btn[data-path="flake.nix"]`)
	pgWait(t, ctx, "flake.nix with both edits", previewTextJS+`.includes("Edited. Typed in the form first.")`, 10*time.Second)
	consoleClean(t, p)
}

// TestTreeBeforeForm: on a cold load the pre-rendered tree reaches the
// screen before the form is built (building it is 100-200 ms of the main
// thread), and the pre-rendered preview, whose CodeMirror is built later,
// still shows the default file while the generator is held back.
func TestTreeBeforeForm(t *testing.T) {
	requireBuilt(t, "playground")
	srvURL, _ := heldWasmServer(t)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srvURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the tree painted and the form built", `performance.getEntriesByName("fy-prerendered-painted").length > 0 && performance.getEntriesByName("fy-spec-loaded").length > 0`, 10*time.Second)
	order := pgEval[string](t, ctx, `JSON.stringify({painted: performance.getEntriesByName("fy-prerendered-painted")[0].startTime, form: performance.getEntriesByName("fy-spec-loaded")[0].startTime})`)
	var v struct{ Painted, Form float64 }
	if err := json.Unmarshal([]byte(order), &v); err != nil {
		t.Fatal(err)
	}
	if v.Painted >= v.Form {
		t.Errorf("the pre-rendered tree was painted at %.0f ms, after the form was built (%.0f ms): it must reach the screen first", v.Painted, v.Form)
	}
	pgWait(t, ctx, "the pre-rendered flake.nix in the preview", `document.getElementById("fy-preview-title").textContent === "flake.nix" && `+previewTextJS+`.includes("inputs")`, 10*time.Second)
	if g := generation(t, ctx); g != 0 {
		t.Fatalf("generation %d with the wasm held back", g)
	}
	shot(t, ctx, "playground-prerendered")
	consoleClean(t, p)
}

// measureRepeatVisit is a visitor's second and third load of the
// playground in the same browser (its HTTP cache kept): the page and the
// wasm come from the cache, and Chromium hands V8 the optimized code it
// kept with the wasm's cache entry once the first visit had tiered the
// module up (worker.ts compiles the response fetch gave, the only one tied
// to that entry). The first visit waits for the worker's idle warm-up and
// a few seconds more, as a reader would, so that V8 has code to keep. Then
// the first keystrokes of the repeat visit, typed at once, without waiting
// for any warm-up.
func measureRepeatVisit(t *testing.T) {
	ctx, _ := newTab(t)
	visit := func(i int) {
		v := loadIn(t, ctx, siteURL, "")
		var d struct{ MS float64 }
		json.Unmarshal(v.Marks["fy-first-answer"].D, &d)
		what := "first visit (empty cache)"
		if i > 0 {
			what = fmt.Sprintf("repeat visit %d", i)
		}
		t.Logf("MEASURE %s: wasm instantiated at %.0f ms, first generate %.0f ms inside the worker, first preview at %.0f ms", what, v.Marks["fy-wasm-instantiated"].T, d.MS, v.Marks["fy-first-preview"].T)
	}
	visit(0)
	pgWait(t, ctx, "the idle warm-up's end", `performance.getEntriesByName("fy-wasm-idle-warmed").length > 0`, 30*time.Second)
	time.Sleep(3 * time.Second)
	visit(1)
	visit(2)
	runs := measureTyping(t, ctx, "editor", "test-clan", 5)
	t.Logf("MEASURE repeat visit, the first 5 keystrokes in the seed, without waiting for the warm-up: %s", latencySummary(runs))
}
