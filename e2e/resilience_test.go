package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Issue 13 item 2: a slow generator must never leave a dead page. The tests
// stand in for a slow CPU with a wrapper around the page's Worker (installed
// before the page's scripts): it can swallow the first generate requests (a
// generation that never finishes in time), hold back the worker's "ready"
// and the requests after it, and it logs what the header said at each
// moment. CPU throttling (Emulation.setCPUThrottlingRate) slows the page's
// thread, not the worker's, so it cannot make the generator time out.

// slowWorker configures the wrapper.
type slowWorker struct {
	// TimeoutMs replaces the 20 s limit (globalThis.fleetyardTestHooks).
	TimeoutMs int `json:"timeoutMs"`
	// Drop is how many generate requests are swallowed.
	Drop int `json:"drop"`
	// ReadyAfterRequest holds the worker's "ready" until this long after the
	// first generate request (a wasm that takes that long to load).
	ReadyAfterRequest int `json:"readyAfterRequest"`
	// GenerateAfterReady holds generate requests until this long after the
	// page saw "ready" (a generation that takes that long).
	GenerateAfterReady int `json:"generateAfterReady"`
}

const slowWorkerJS = `(() => {
  const cfg = Object.assign({timeoutMs: 0, drop: 0, readyAfterRequest: 0, generateAfterReady: 0}, CONFIG);
  if (cfg.timeoutMs) globalThis.fleetyardTestHooks = {timeoutMs: cfg.timeoutMs};
  const log = window.__fyLog = [];
  let firstGenerate = 0, readyDelivered = 0;
  const Real = window.Worker;
  window.Worker = class extends Real {
    postMessage(m, tr) {
      if (m && m.type === "generate" && m.slot === "generate") {
        log.push({what: "generate", id: m.id, t: performance.now()});
        if (!firstGenerate) firstGenerate = performance.now();
        if (cfg.drop > 0) { cfg.drop--; log.push({what: "dropped", id: m.id}); return; }
        if (cfg.generateAfterReady) {
          const send = () => {
            if (!readyDelivered) return setTimeout(send, 20);
            const wait = readyDelivered + cfg.generateAfterReady - performance.now();
            if (wait > 0) return setTimeout(send, wait);
            super.postMessage(m, tr);
          };
          return send();
        }
      }
      return super.postMessage(m, tr);
    }
    set onmessage(fn) {
      super.onmessage = (ev) => {
        if (ev.data && ev.data.type === "ready") {
          const deliver = () => {
            if (cfg.readyAfterRequest) {
              if (!firstGenerate) return setTimeout(deliver, 20);
              const wait = firstGenerate + cfg.readyAfterRequest - performance.now();
              if (wait > 0) return setTimeout(deliver, wait);
            }
            readyDelivered = performance.now();
            log.push({what: "ready", t: readyDelivered});
            fn(ev);
          };
          return deliver();
        }
        fn(ev);
      };
    }
    get onmessage() { return super.onmessage; }
  };
  document.addEventListener("readystatechange", () => {
    if (document.readyState !== "interactive") return;
    const el = document.getElementById("fy-load-text"), root = document.getElementById("fy-pg");
    if (!el || !root) return;
    const rec = () => log.push({what: "header", text: el.textContent, generation: Number(root.dataset.generation || 0)});
    new MutationObserver(rec).observe(el, {childList: true, characterData: true, subtree: true});
  });
})();`

// withSlowWorker installs the wrapper in every document the tab opens.
func withSlowWorker(t *testing.T, ctx context.Context, cfg slowWorker) {
	t.Helper()
	c, _ := json.Marshal(cfg)
	src := strings.Replace(slowWorkerJS, "CONFIG", string(c), 1)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		t.Fatal(err)
	}
}

type logEntry struct {
	What       string
	Text       string
	Generation int
}

func workerLog(t *testing.T, ctx context.Context) []logEntry {
	t.Helper()
	var l []logEntry
	if err := json.Unmarshal([]byte(pgEval[string](t, ctx, `JSON.stringify(window.__fyLog || [])`)), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func count(l []logEntry, what string) int {
	n := 0
	for _, e := range l {
		if e.What == what {
			n++
		}
	}
	return n
}

// neverReadyWithoutFiles fails if the header said "Generator ready" while
// nothing had been generated.
func neverReadyWithoutFiles(t *testing.T, l []logEntry) {
	t.Helper()
	headers := 0
	for _, e := range l {
		if e.What != "header" {
			continue
		}
		headers++
		if strings.Contains(e.Text, "ready") && e.Generation == 0 {
			t.Errorf("the header said %q with nothing generated", e.Text)
		}
	}
	if headers == 0 {
		t.Error("the header log is empty: the probe saw nothing")
	}
}

func navigatePlayground(t *testing.T, ctx context.Context, suffix string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/playground/"+suffix), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatalf("navigate: %v", err)
	}
}

func dataset(t *testing.T, ctx context.Context, key string) string {
	return pgEval[string](t, ctx, `document.getElementById("fy-pg").dataset.`+key+` || ""`)
}

// TestGeneratorTimeoutRetries: the first generation never answers; after
// the (shortened) limit the page restarts the worker and retries by itself,
// showing the pre-rendered default files meanwhile, and never claims to be
// ready before it has generated.
func TestGeneratorTimeoutRetries(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	withSlowWorker(t, ctx, slowWorker{TimeoutMs: 3000, Drop: 1})
	navigatePlayground(t, ctx, "")
	pgWait(t, ctx, "the pre-rendered files", `document.getElementById("fy-pg").dataset.output === "prerendered" && document.querySelector('.fy-file-btn[data-path="flake.nix"]')`, 15*time.Second)
	if n := pgEval[int](t, ctx, `document.querySelectorAll(".fy-file-btn").length`); n < 20 {
		t.Errorf("the pre-rendered tree lists %d files", n)
	}
	pgWait(t, ctx, "the pre-rendered flake.nix in the preview", previewTextJS+`.includes("flake-parts")`, 5*time.Second)
	label := pgEval[string](t, ctx, `document.getElementById("fy-output-state").textContent`)
	if !strings.Contains(label, "Pre-rendered") {
		t.Errorf("no pre-rendered label: %q", label)
	}
	if !pgEval[bool](t, ctx, `document.getElementById("fy-export-tar").disabled`) {
		t.Error("Download is on while only the pre-rendered files are shown")
	}
	shotVariants(t, ctx, "timeout-prerendered", false)

	waitGenerationFor(t, ctx, 0, 30*time.Second)
	l := workerLog(t, ctx)
	if d, g := count(l, "dropped"), count(l, "generate"); d != 1 || g < 2 {
		t.Errorf("%d generate requests, %d swallowed: want a retry after the one swallowed", g, d)
	}
	neverReadyWithoutFiles(t, l)
	if got := pgEval[string](t, ctx, `document.getElementById("fy-load-text").textContent`); got != "Generator ready" {
		t.Errorf("header %q after the retry's result", got)
	}
	if dataset(t, ctx, "output") != "fresh" || pgEval[bool](t, ctx, `document.getElementById("fy-export-tar").disabled`) {
		t.Errorf("after the retry: output %q, download disabled %v", dataset(t, ctx, "output"), pgEval[bool](t, ctx, `document.getElementById("fy-export-tar").disabled`))
	}
	// The real result replaced the placeholder without diffing against it.
	if n := pgEval[int](t, ctx, `document.querySelectorAll(".fy-file-btn[data-badge]:not([data-badge=''])").length`); n != 0 {
		t.Errorf("%d files are badged as changed against the pre-rendered placeholder", n)
	}
	shotViewport(t, ctx, "timeout-retried-desktop-light")
	p.AssertClean(t)
}

// TestGeneratorTimeoutTwiceOffersRetry: both attempts time out. The header
// says so with a Retry button (not "ready"), the panes keep the pre-rendered
// files (or, for a spec of your own, say that nothing was generated), the
// downloads say why they are off, and Retry brings the page back.
func TestGeneratorTimeoutTwiceOffersRetry(t *testing.T) {
	requireBuilt(t, "playground")
	for _, own := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "own-spec"}[own], func(t *testing.T) {
			ctx, p := newTab(t)
			withSlowWorker(t, ctx, slowWorker{TimeoutMs: 2500, Drop: 2})
			if own {
				// An autosave of another spec: no pre-rendered files fit it.
				navigatePlayground(t, ctx, "")
				pgEval[bool](t, ctx, `(localStorage.setItem("fleetyard:playground:spec", `+jsString(readSpec(t, "minimal"))+`), true)`)
				navigatePlayground(t, ctx, "")
			} else {
				navigatePlayground(t, ctx, "")
			}
			pgWait(t, ctx, "the timeout state", `document.getElementById("fy-pg").dataset.state === "stuck"`, 30*time.Second)
			header := pgEval[string](t, ctx, `document.getElementById("fy-load-text").textContent`)
			if !strings.Contains(header, "twice") || !pgEval[bool](t, ctx, `!document.getElementById("fy-retry").hidden`) {
				t.Errorf("header %q, Retry shown %v", header, pgEval[bool](t, ctx, `!document.getElementById("fy-retry").hidden`))
			}
			wantOutput := map[bool]string{false: "prerendered", true: "failed"}[own]
			if got := dataset(t, ctx, "output"); got != wantOutput {
				t.Errorf("output %q, want %q", got, wantOutput)
			}
			if label := pgEval[string](t, ctx, `document.getElementById("fy-output-state").hidden ? "" : document.getElementById("fy-output-state").textContent`); label == "" {
				t.Error("the panes carry no label")
			}
			why := pgEval[string](t, ctx, `(() => { const b = document.getElementById("fy-export-tar"); const w = document.getElementById(b.getAttribute("aria-describedby") || "-"); return b.disabled && w && !w.hidden && w.offsetParent !== null ? w.textContent : "" })()`)
			if !strings.Contains(why, "Download is off") && !strings.Contains(why, "once your files are generated") {
				t.Errorf("a disabled Download does not say why (visible, aria-describedby): %q", why)
			}
			name := map[bool]string{false: "timeout-twice", true: "timeout-twice-own-spec"}[own]
			axeClean(t, ctx, "timeout with Retry")
			shotVariants(t, ctx, name, own)
			neverReadyWithoutFiles(t, workerLog(t, ctx))

			jsClick(t, ctx, "#fy-retry")
			waitGenerationFor(t, ctx, 0, 30*time.Second)
			if got := dataset(t, ctx, "output"); got != "fresh" {
				t.Errorf("after Retry: output %q", got)
			}
			if pgEval[bool](t, ctx, `document.getElementById("fy-export-tar").disabled`) {
				t.Error("after Retry: Download is still off")
			}
			shotViewport(t, ctx, name+"-retried-desktop-light")
			p.AssertClean(t)
		})
	}
}

// TestGeneratorTimeoutCountsFromReady: a wasm that takes 1.8 limits to load
// and a generation that then takes 0.6 of a limit must not time out: the
// limit counts from when the generator is ready, not from the request.
// (Counted from the request, it ran out at 2 limits, before the answer at
// 2.4.)
func TestGeneratorTimeoutCountsFromReady(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	const limit = 4000
	withSlowWorker(t, ctx, slowWorker{TimeoutMs: limit, ReadyAfterRequest: limit * 18 / 10, GenerateAfterReady: limit * 6 / 10})
	navigatePlayground(t, ctx, "")
	waitGenerationFor(t, ctx, 0, 30*time.Second)
	l := workerLog(t, ctx)
	if g := count(l, "generate"); g != 1 {
		t.Errorf("%d generate requests, want 1 (no timeout, no retry)", g)
	}
	if s := pgEval[string](t, ctx, `document.getElementById("fy-status").textContent`); strings.Contains(s, "longer than") {
		t.Errorf("status %q", s)
	}
	neverReadyWithoutFiles(t, l)
	p.AssertClean(t)
}

// waitGenerationFor waits up to d for a generation after n, settled: its
// manifest, which a keystroke's answer leaves for later, is its own
// (data-settled, playground.ts).
func waitGenerationFor(t *testing.T, ctx context.Context, n int, d time.Duration) {
	t.Helper()
	pgWait(t, ctx, fmt.Sprintf("generation > %d, settled", n), fmt.Sprintf(`(d => Number(d.generation || 0) > %d && d.settled === d.generation)(document.getElementById("fy-pg").dataset)`, n), d)
}

// Issue 13 item 6: with errors the last good output is marked stale, a
// disabled Download says why, deleting the whole spec leaves no files and
// no enabled Download, and the diagnostics stay in view.
func TestStaleAndEmptyStates(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "fresh output", `document.getElementById("fy-pg").dataset.output === "fresh"`, 10*time.Second)
	if pgEval[bool](t, ctx, `!document.getElementById("fy-output-state").hidden`) {
		t.Error("fresh output carries a label")
	}

	// An error: a machine name that is not a host name.
	g := generation(t, ctx)
	setField(t, ctx, `#fy-panel-form [data-path="machines[0].name"]`, "Not A Host")
	waitGeneration(t, ctx, g)
	if got := dataset(t, ctx, "output"); got != "stale" {
		t.Fatalf("output %q with an error, want stale", got)
	}
	label := pgEval[string](t, ctx, `document.getElementById("fy-output-state").textContent`)
	if !strings.Contains(label, "Stale") || !strings.Contains(label, "error") {
		t.Errorf("stale label %q", label)
	}
	if f := pgEval[string](t, ctx, `getComputedStyle(document.querySelector("#fy-preview .fy-preview-body")).filter`); !strings.Contains(f, "grayscale") {
		t.Errorf("stale preview is not greyed out (filter %q)", f)
	}
	checkDownloadWhy(t, ctx, "error")
	// The field's message and its hint read as two sentences.
	if d := pgEval[string](t, ctx, `document.querySelector('#fy-panel-form [data-path="machines[0].name"]').closest(".fy-field").querySelector("[data-diag]").textContent`); !strings.Contains(d, "machine name. How to fix: ") {
		t.Errorf("field message %q: want the message, a full stop, then \"How to fix: …\"", d)
	}
	if !pgEval[bool](t, ctx, `document.getElementById("fy-tab-diags").getAttribute("aria-selected") === "true" && document.getElementById("fy-panel-diags").textContent.includes("machines[0].name")`) {
		t.Error("the diagnostics tab is not showing the error")
	}
	pgEval[bool](t, ctx, `(document.querySelector('#fy-panel-form [data-path="machines[0].name"]').scrollIntoView({block: "center"}), true)`)
	axeClean(t, ctx, "stale output")
	shotVariants(t, ctx, "state-stale", false)

	// The whole spec deleted.
	g = generation(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#fy-tab-json")),
		chromedp.WaitVisible(chromedp.CSS("#fy-panel-json .cm-content")),
		chromedp.Focus(chromedp.CSS("#fy-panel-json .cm-content")),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\b"),
	); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the empty state", `document.getElementById("fy-pg").dataset.output === "empty"`, 5*time.Second)
	if n := pgEval[int](t, ctx, `document.querySelectorAll(".fy-file-btn").length`); n != 0 {
		t.Errorf("%d old files still listed after deleting the spec", n)
	}
	checkDownloadWhy(t, ctx, "empty")
	if n := pgEval[string](t, ctx, `document.getElementById("fy-diag-count").textContent`); n != "0" {
		t.Errorf("the diagnostics still count %s problems of the deleted spec", n)
	}
	for _, id := range []string{"fy-export-zip", "fy-export-json", "fy-share"} {
		if !pgEval[bool](t, ctx, `document.getElementById("`+id+`").disabled`) {
			t.Errorf("#%s is enabled with an empty spec", id)
		}
	}
	axeClean(t, ctx, "empty spec")
	shotVariants(t, ctx, "state-empty", false)

	// An example brings everything back.
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "fresh output again", `document.getElementById("fy-pg").dataset.output === "fresh"`, 10*time.Second)
	if pgEval[bool](t, ctx, `document.getElementById("fy-export-tar").disabled || document.getElementById("fy-export-tar").hasAttribute("aria-describedby")`) {
		t.Error("Download still off (or described as off) with a valid spec")
	}
	p.AssertClean(t)
}

// checkDownloadWhy: both archive buttons are disabled and point, with
// aria-describedby, at visible text containing want.
func checkDownloadWhy(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	for _, id := range []string{"fy-export-tar", "fy-export-zip"} {
		why := pgEval[string](t, ctx, `(() => { const b = document.getElementById("`+id+`"); const w = document.getElementById(b.getAttribute("aria-describedby") || "-");
		  return !b.disabled ? "(enabled)" : !w ? "(no aria-describedby)" : w.hidden || w.offsetParent === null ? "(hidden) " + w.textContent : w.textContent })()`)
		if !strings.Contains(why, want) || strings.HasPrefix(why, "(") {
			t.Errorf("#%s: reason %q, want visible text with %q", id, why, want)
		}
	}
}
