package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Input-to-preview latency: what a user waits between a keystroke and the
// preview showing the bytes that keystroke produced. The page is driven by
// real key events (CDP Input.dispatchKeyEvent); the clock starts at the
// keydown event's timeStamp and stops at the first animation frame after
// the preview's text holds the new value, both read inside the page on the
// same performance clock. The main thread's longest task while typing is
// recorded too (PerformanceObserver "longtask"): a long task is a frozen page.

// latencyProbe installs, once per page, window.__fyLatency(expect): a
// promise that resolves, after the next keydown, with {ms, longest} once the
// preview shows expect.
const latencyProbe = `(() => {
  if (window.__fyLatency) return true;
  const long = [];
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e); }).observe({type: "longtask"}); } catch {}
  let t0 = 0;
  document.addEventListener("keydown", (e) => { if (!t0) t0 = e.timeStamp; }, true);
  window.__fyLatency = (expect) => new Promise((resolve, reject) => {
    t0 = 0;
    const since = performance.now();
    const box = document.getElementById("fy-preview");
    const done = () => {
      const seen = [...box.querySelectorAll(".cm-content")].some((c) => c.textContent.includes(expect));
      if (!seen || !t0) return false;
      obs.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => {
        const end = performance.now();
        const longest = long.filter((e) => e.startTime + e.duration >= since).reduce((m, e) => Math.max(m, e.duration), 0);
        // The worker's share, from the status line's title ("generate 12.3 ms in the worker, 20.1 ms round trip").
        const title = document.getElementById("fy-status").title || "";
        const m = /, ([\d.]+) ms round trip/.exec(title);
        const g = /generate ([\d.]+) ms in the worker/.exec(title);
        resolve(JSON.stringify({ms: end - t0, longest, worker: m ? Number(m[1]) : 0, generate: g ? Number(g[1]) : 0}));
      }, 0));
      return true;
    };
    const obs = new MutationObserver(done);
    obs.observe(box, {subtree: true, childList: true, characterData: true, attributes: true});
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error("the preview never showed " + expect)); }, 30000);
  });
  return true;
})()`

// latencyRun is one measured keystroke.
type latencyRun struct {
	MS      float64 `json:"ms"`
	Longest float64 `json:"longest"`
	// Worker is the generate request's round trip (page to worker and back).
	Worker float64 `json:"worker"`
	// Generate is the part of it the worker spent in its call to the
	// generator (the wasm and the decoding of its answer); the rest is
	// waiting for the worker and carrying the messages.
	Generate float64 `json:"generate"`
}

// typeAndMeasure presses key in the focused control and waits for the
// preview to show expect.
func typeAndMeasure(t *testing.T, ctx context.Context, key, expect string) latencyRun {
	t.Helper()
	pgEval[bool](t, ctx, latencyProbe)
	pgEval[bool](t, ctx, `(window.__fyWait = window.__fyLatency(`+jsString(expect)+`), true)`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatal(err)
	}
	var r latencyRun
	if err := json.Unmarshal([]byte(pgEval[string](t, ctx, `window.__fyWait`)), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// typingGap is the pause before each measured keystroke, after the
// previous one's preview was painted: 150 ms plus the measurement's own
// round trips makes about four keys a second, a brisk typist's pace, so the
// worker ends what it does after an answer (the manifest it settles, about
// 4 ms on large.json) before the next key, as it does for a person.
const typingGap = 150 * time.Millisecond

// measureTyping types n letters at the end of the fleet name, in the
// fleet.json editor or in the form's name field, with modules/clan/meta.nix
// (which holds clan.meta.name) in the preview, and returns the runs.
func measureTyping(t *testing.T, ctx context.Context, where, name string, n int) []latencyRun {
	t.Helper()
	jsClick(t, ctx, `.fy-file-btn[data-path="modules/clan/meta.nix"]`)
	pgWait(t, ctx, "meta.nix in the preview", `[...document.querySelectorAll("#fy-preview .cm-content")].some(c => c.textContent.includes(`+jsString(`"`+name+`"`)+`))`, 10*time.Second)
	switch where {
	case "editor":
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-tab-json")), chromedp.WaitVisible(chromedp.CSS("#fy-panel-json .cm-content"))); err != nil {
			t.Fatal(err)
		}
		// Put the cursor before the closing quote of "name": "<name>" (the
		// DOM selection; CodeMirror follows it).
		ok := pgEval[bool](t, ctx, `(() => {
		  const content = document.querySelector("#fy-panel-json .cm-content");
		  content.focus();
		  const want = `+jsString(`"`+name+`"`)+`;
		  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
		  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		    const i = n.data.indexOf(want);
		    if (i < 0 || !n.parentElement.closest(".cm-line").textContent.includes('"name"')) continue;
		    const r = document.createRange();
		    r.setStart(n, i + want.length - 1);
		    r.collapse(true);
		    const s = getSelection(); s.removeAllRanges(); s.addRange(r);
		    return true;
		  }
		  return false;
		})()`)
		if !ok {
			t.Fatalf("no %q in the editor", name)
		}
		time.Sleep(100 * time.Millisecond) // CodeMirror reads the selection on selectionchange
	case "form":
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-tab-form"))); err != nil {
			t.Fatal(err)
		}
		pgEval[bool](t, ctx, `(() => { const e = document.querySelector('input[data-path="name"]'); e.focus(); e.setSelectionRange(e.value.length, e.value.length); return true })()`)
	}
	var runs []latencyRun
	for i := 0; i < n; i++ {
		time.Sleep(typingGap)
		key := string(rune('a' + i%26))
		name += key
		runs = append(runs, typeAndMeasure(t, ctx, key, `"`+name+`"`))
	}
	return runs
}

// latencySummary is "median X ms (min, max), longest main-thread task Y ms".
func latencySummary(runs []latencyRun) string {
	ms := make([]float64, len(runs))
	page := make([]float64, len(runs))
	gen := make([]float64, len(runs))
	long := 0.0
	for i, r := range runs {
		ms[i] = r.MS
		page[i] = r.MS - r.Worker
		gen[i] = r.Generate
		long = max(long, r.Longest)
	}
	parts := make([]string, len(ms))
	sort.Float64s(ms)
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%.0f", m)
	}
	return fmt.Sprintf("median %.0f ms over %d keystrokes (sorted: %s), of which outside the worker's round trip median %.0f ms, in the generator call median %.1f ms; longest main-thread task %.0f ms",
		median(ms), len(ms), strings.Join(parts, " "), median(page), median(gen), long)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

// loadExample picks an example from the menu and waits for its output.
func loadExample(t *testing.T, ctx context.Context, name, fleetName string) {
	t.Helper()
	g := generation(t, ctx)
	// Choosing the example already shown changes nothing and generates nothing.
	same := pgEval[bool](t, ctx, `(document.querySelector('input[data-path="name"]') || {}).value === `+jsString(fleetName))
	// Focus moves to the menu first, as when a user opens it.
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.focus(); s.value = `+jsString(name)+`; s.dispatchEvent(new Event("change")); return true })()`)
	if !same {
		// The large example takes a while on a loaded machine before this work.
		pgWait(t, ctx, fmt.Sprintf("generation > %d", g), fmt.Sprintf(`Number(document.getElementById("fy-pg").dataset.generation || 0) > %d`, g), 60*time.Second)
	}
	pgWait(t, ctx, "the "+name+" example's output", `document.querySelector('.fy-file-btn[data-path="modules/clan/meta.nix"]') && document.querySelector('input[data-path="name"]') && document.querySelector('input[data-path="name"]').value === `+jsString(fleetName), 30*time.Second)
}
