package e2e

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/site"
)

// playgroundBundle matches the playground's hashed bundle, not start.js or
// the worker.
var playgroundBundle = regexp.MustCompile(`^/assets/playground\.[0-9a-f]+\.js$`)

// TestWorkerStartsBeforeBundle holds the playground's bundle back on the
// server until the generator's wasm has been asked for: the worker's chain
// (its start, the wasm download and compile, Go's start-up, the first
// generation) is the longest part of a cold load, so start.js must begin
// it without waiting for the bundle to arrive, be parsed or run. Before
// start.js, the bundle's boot.ts started the worker, and this test timed
// out. Once the bundle is let through, the page must adopt that worker
// (one worker, one wasm download) and reach its first preview.
func TestWorkerStartsBeforeBundle(t *testing.T) {
	requireBuilt(t, "playground")
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	wasmAsked := make(chan struct{})
	var once, bundleOnce sync.Once
	var wasmRequests, workerRequests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, ".wasm") && strings.Contains(r.URL.Path, "/fleetyard."):
			wasmRequests.Add(1)
			once.Do(func() { close(wasmAsked) })
		case strings.Contains(r.URL.Path, "/worker."):
			workerRequests.Add(1)
		case playgroundBundle.MatchString(r.URL.Path):
			held := false
			bundleOnce.Do(func() { held = true })
			if held {
				select {
				case <-wasmAsked:
				case <-time.After(15 * time.Second):
					t.Errorf("the bundle was held 15 s and the wasm was never asked for: the worker waits for the bundle")
				case <-r.Context().Done():
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playground/")); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the first preview", `performance.getEntriesByName("fy-first-preview").length > 0`, 30*time.Second)
	if w, m := workerRequests.Load(), wasmRequests.Load(); w != 1 || m != 1 {
		t.Errorf("%d worker script and %d wasm requests; want one of each (the page adopts the worker start.js began)", w, m)
	}
	consoleClean(t, p)
}
