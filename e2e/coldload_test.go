package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	// optional: no warm-up when the page's request was there first, and
	// no pre-rendered tree when the real one was faster.
	optional bool
}{
	{"fy-worker-start", "worker created", false},
	{"fy-wasm-workerStart", "worker script running", false},
	{"fy-worker-heard", "page heard from the worker (builds the editors now)", false},
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
}

// measureColdLoad loads the playground in a fresh browser profile (empty
// cache) and prints when each step of the cold load ended, measured from
// navigation start, with the time each took since the previous one.
func measureColdLoad(t *testing.T) {
	ctx, _ := newTab(t)
	// Warm the browser process itself: its start is not the page's load.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the first preview painted", `performance.getEntriesByName("fy-first-preview-painted").length > 0`, 5*time.Second)
	res := pgEval[string](t, ctx, `JSON.stringify({
	  dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
	  marks: Object.fromEntries(performance.getEntriesByType("mark").filter(m => m.name.startsWith("fy-")).map(m => [m.name, {t: m.startTime, d: m.detail}])),
	})`)
	var v struct {
		DCL   float64 `json:"dcl"`
		Marks map[string]struct {
			T float64         `json:"t"`
			D json.RawMessage `json:"d"`
		} `json:"marks"`
	}
	if err := json.Unmarshal([]byte(res), &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("MEASURE cold load breakdown (ms since navigation start; +ms since the step before):\n")
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
	// The worker's and the page's steps interleave: print them in time order.
	for i := 1; i < len(steps); i++ {
		for j := i; j > 0 && steps[j].at < steps[j-1].at; j-- {
			steps[j], steps[j-1] = steps[j-1], steps[j]
		}
	}
	for _, s := range steps {
		lineFor(s.at, s.what, &prev)
	}
	t.Log(b.String())
	if e, ok := v.Marks["fy-first-preview"]; ok {
		t.Logf("MEASURE cold load to first preview: %.0f ms (budget 600 ms)", e.T)
	}
	if e, ok := v.Marks["fy-prerendered-painted"]; ok {
		t.Logf("MEASURE cold load to the pre-rendered tree on screen: %.0f ms", e.T)
	}
}

func formatMS(ms float64) string {
	return fmt.Sprintf("%5.0f", ms)
}

// TestUsableBeforeWasm holds the wasm download back on the server: the
// pre-rendered file tree must be on screen and the form must take typing
// while the generator is still downloading, and once the wasm is let
// through, the first real preview must carry what was typed.
func TestUsableBeforeWasm(t *testing.T) {
	requireBuilt(t, "playground")
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	released := false
	letGo := func() {
		if !released {
			released = true
			close(release)
		}
	}
	t.Cleanup(letGo)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
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
	pgWait(t, ctx, "flake.nix with the typed description", `document.querySelector("#fy-preview .cm-content").textContent.includes(`+jsString(strings.TrimSpace(typed))+`)`, 10*time.Second)
	consoleClean(t, p)
}
