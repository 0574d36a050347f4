package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/site"
)

// The worker compiles the wasm from the Response fetch gave it (worker.ts,
// load), not from a Response built around its body: only the former is
// tied to the HTTP cache entry, where Chromium keeps V8's optimized code
// for the module and hands it back at the next visit.

// visitTraced loads the playground in ctx while recording V8's wasm trace
// events, and returns how often each event name occurred.
func visitTraced(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	stop := recordTrace(t, ctx, "v8.wasm")
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitGeneration(t, ctx, 0)
	names := map[string]int{}
	for _, e := range stop() {
		names[e.Name]++
	}
	return names
}

// TestRepeatVisitUsesCodeCache: a first visit compiles the module (no
// wasm.Deserialize in V8's trace); once V8 has optimized it (the idle
// warm-up, then a pause) and Chromium has kept the code with the cache
// entry, a later visit deserializes it instead. Compiling a Response made
// from the body (as worker.ts did before) never deserializes: seen.
func TestRepeatVisitUsesCodeCache(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	first := visitTraced(t, ctx)
	if first["wasm.StartStreamingCompilation"] == 0 {
		t.Fatalf("the first visit's trace has no streaming compilation: the trace shows nothing (%v)", first)
	}
	if first["wasm.Deserialize"] != 0 {
		t.Fatalf("the first visit, with an empty cache, deserialized a module (%v)", first)
	}
	pgWait(t, ctx, "the idle warm-up's end", `performance.getEntriesByName("fy-wasm-idle-warmed").length > 0`, 30*time.Second)
	// Chromium keeps the code a little after V8's last optimization: on a
	// slow machine it may take more than one pause.
	for try := 1; ; try++ {
		time.Sleep(3 * time.Second)
		again := visitTraced(t, ctx)
		if again["wasm.Deserialize"] > 0 {
			t.Logf("visit %d after the first deserialized the module from Chromium's code cache", try)
			break
		}
		if try == 3 {
			t.Fatalf("%d repeat visits compiled the module again instead of taking it from the code cache (trace: %v)", try, again)
		}
		pgWait(t, ctx, "the idle warm-up's end", `performance.getEntriesByName("fy-wasm-idle-warmed").length > 0`, 30*time.Second)
	}
	p.AssertClean(t)
}

// TestWasmServedAsOctetStream: a host that does not label .wasm as
// application/wasm (instantiateStreaming refuses it) still gets a working
// playground: the worker compiles a Response labelled by itself.
func TestWasmServedAsOctetStream(t *testing.T) {
	requireBuilt(t, "playground")
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			h.ServeHTTP(relabel{w}, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitGeneration(t, ctx, 0)
	// AssertClean would count this server's origin as a foreign one.
	for _, e := range p.Errors() {
		t.Error(e)
	}
}

// relabel sends a response as application/octet-stream.
type relabel struct{ http.ResponseWriter }

func (r relabel) WriteHeader(code int) {
	r.Header().Set("Content-Type", "application/octet-stream")
	r.ResponseWriter.WriteHeader(code)
}

func (r relabel) Write(b []byte) (int, error) {
	if r.Header().Get("Content-Type") != "application/octet-stream" {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}
