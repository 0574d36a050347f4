package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// countWorkers wraps Worker before any page script runs, so a test can
// read how many generator workers the page created (window.fyWorkers).
const countWorkers = `window.fyWorkers = 0;
{ const W = window.Worker;
  window.Worker = class extends W {
    constructor(url, opts) { super(url, opts); if (opts && opts.name === "fleetyard-generator") window.fyWorkers++; }
  };
}`

// TestWorkerStartsBeforeTheBundle: start.ts, a tiny async script in the
// playground's <head>, starts the generator worker, and with it the wasm
// download, while the playground's bundle is still on its way (here: held
// back at the server until the wasm has been asked for). The bundle's
// client then adopts that worker instead of starting a second one, and the
// first preview comes from it.
func TestWorkerStartsBeforeTheBundle(t *testing.T) {
	requireBuilt(t, "playground")
	wasmAsked := make(chan string, 8)
	url, release := heldServer(t, func(p string) bool {
		if strings.HasSuffix(p, ".wasm") {
			select {
			case wasmAsked <- p:
			default:
			}
			return false
		}
		return strings.HasPrefix(p, "/assets/playground.") && strings.HasSuffix(p, ".js")
	})
	ctx, _ := newTab(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: countWorkers}); err != nil {
		t.Fatal(err)
	}
	// Navigate without waiting for the load event: the held bundle delays it.
	if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url + "/playground/"}); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-wasmAsked:
		if !strings.HasPrefix(p, "/assets/fleetyard.") {
			t.Errorf("the first module asked for is %s, want the generator module (fleetyard.*.wasm)", p)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the wasm was not asked for while the playground's bundle was held back: start.ts did not start the worker")
	}
	if n := pgEval[int](t, ctx, `window.fyWorkers`); n != 1 {
		t.Errorf("before the bundle: %d generator workers, want 1 (start.ts's)", n)
	}
	if !pgEval[bool](t, ctx, `typeof performance.getEntriesByName("fy-boot")[0] === "undefined"`) {
		t.Error("boot.ts ran although its bundle was held back: the test did not hold the right script")
	}
	release()
	waitGeneration(t, ctx, 0)
	if n := pgEval[int](t, ctx, `window.fyWorkers`); n != 1 {
		t.Errorf("after the first preview: %d generator workers, want 1 (the client adopts start.ts's)", n)
	}
	if pgEval[bool](t, ctx, `"fleetyardStarted" in globalThis`) {
		t.Error("the started worker was never adopted (globalThis.fleetyardStarted is still there)")
	}
	if !pgEval[bool](t, ctx, `performance.getEntriesByName("fy-worker-start")[0].startTime < performance.getEntriesByName("fy-boot")[0].startTime`) {
		t.Error("the worker was not created before boot.ts ran")
	}
}
