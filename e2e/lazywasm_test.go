package e2e

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/site"
)

// Issue 13 item 11: the site serves its precompressed assets (as Netlify
// compresses), and a docs page does not download the generator merely
// because an example scrolled into view.

// served records, on the server side, every request of a tab to its own
// copy of the site: a worker's requests (the wasm) do not show in the page's
// DevTools network events, but they reach the server.
type served struct {
	mu   sync.Mutex
	reqs []servedRequest
	url  string
}

type servedRequest struct {
	path, accept, encoding, contentType string
	bytes                               int
}

type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += n
	return n, err
}

// recordingSite serves the built site (as the harness does) on a new
// address and records each request's path, Accept-Encoding and the
// response's encoding, type and body size.
func recordingSite(t *testing.T) *served {
	t.Helper()
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	s := &served{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		s.mu.Lock()
		s.reqs = append(s.reqs, servedRequest{path: r.URL.Path, accept: r.Header.Get("Accept-Encoding"), encoding: w.Header().Get("Content-Encoding"), contentType: w.Header().Get("Content-Type"), bytes: cw.n})
		s.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// find returns the last request whose path contains sub.
func (s *served) find(sub string) (servedRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.reqs) - 1; i >= 0; i-- {
		if strings.Contains(s.reqs[i].path, sub) {
			return s.reqs[i], true
		}
	}
	return servedRequest{}, false
}

func (s *served) wait(t *testing.T, sub string, d time.Duration) servedRequest {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if r, ok := s.find(sub); ok {
			return r
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no request for %s reached the server", sub)
	return servedRequest{}
}

// consoleClean fails on console errors and CSP violations (AssertClean also
// checks the origin, which is the harness's, not this test's server).
func consoleClean(t *testing.T, p *Page) {
	t.Helper()
	for _, e := range p.Errors() {
		t.Errorf("console error: %s", e)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, v := range p.violations {
		t.Errorf("CSP violation: %s", v)
	}
}

// TestDocsNoWasmUntilInteraction: scrolling a page full of live examples
// from top to bottom fetches neither the worker nor the wasm; pressing
// "Edit this example" does, and the wasm arrives brotli-compressed.
func TestDocsNoWasmUntilInteraction(t *testing.T) {
	requireBuilt(t, "docs")
	srv := recordingSite(t)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+"/docs/terranix-toggle/"), chromedp.WaitReady(chromedp.CSS("figure.fy-example"))); err != nil {
		t.Fatal(err)
	}
	figs := pgEval[int](t, ctx, `document.querySelectorAll("figure.fy-example").length`)
	if figs < 2 {
		t.Fatalf("only %d live examples on the page", figs)
	}
	// Scroll every example into the middle of the viewport, then to the end.
	for i := 0; i < figs; i++ {
		pgEval[bool](t, ctx, `(document.querySelectorAll("figure.fy-example")[`+strconv.Itoa(i)+`].scrollIntoView({block: "center"}), true)`)
		time.Sleep(400 * time.Millisecond)
	}
	pgEval[bool](t, ctx, `(window.scrollTo(0, document.body.scrollHeight), true)`)
	time.Sleep(800 * time.Millisecond)
	for _, sub := range []string{".wasm", "/assets/worker."} {
		if r, ok := srv.find(sub); ok {
			t.Errorf("scrolling fetched %s", r.path)
		}
	}
	if n := pgEval[int](t, ctx, `document.querySelectorAll("figure.fy-example[data-hydrated]").length`); n != 0 {
		t.Errorf("%d examples hydrated by scrolling alone", n)
	}
	shotVariants(t, ctx, "docs-scrolled-no-wasm", true, "figure.fy-example")

	// Interaction: the first example's Edit button.
	fig := `figure.fy-example`
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(fig+` .fy-edit`)), chromedp.Click(chromedp.CSS(fig+` .fy-edit`))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the example editor", `document.querySelector("figure.fy-example .cm-editor")`, 10*time.Second)
	pgWait(t, ctx, "the generator", `(document.querySelector("figure.fy-example .fy-example-status") || {}).textContent.startsWith("Ready")`, 30*time.Second)
	w := srv.wait(t, ".wasm", 5*time.Second)
	if w.encoding != "br" || w.contentType != "application/wasm" {
		t.Errorf("wasm sent with Content-Encoding %q, Content-Type %q (Accept-Encoding %q); want br, application/wasm", w.encoding, w.contentType, w.accept)
	}
	shotVariants(t, ctx, "docs-example-hydrated", true, "figure.fy-example .fy-example-label")
	consoleClean(t, p)
}

// TestPlaygroundGetsBrotli: the playground's wasm, worker and bundle come
// brotli-compressed, the wasm in well under a third of its size (the page is
// told the uncompressed size, data-wasm-size, for its progress bar).
func TestPlaygroundGetsBrotli(t *testing.T) {
	requireBuilt(t, "playground")
	srv := recordingSite(t)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGenerationFor(t, ctx, 0, 30*time.Second)
	size := pgEval[int](t, ctx, `Number(document.body.dataset.wasmSize || 0)`)
	if size < 1<<20 {
		t.Fatalf("data-wasm-size = %d", size)
	}
	for _, sub := range []string{".wasm", "/assets/playground.", "/assets/worker.", "/assets/playground-default."} {
		r := srv.wait(t, sub, 5*time.Second)
		if r.encoding != "br" {
			t.Errorf("%s sent with Content-Encoding %q (Accept-Encoding %q), want br", r.path, r.encoding, r.accept)
		}
	}
	w, _ := srv.find(".wasm")
	t.Logf("MEASURE wasm over the wire: %d bytes (%s) for %d bytes", w.bytes, w.encoding, size)
	if w.bytes <= 0 || w.bytes > size/3 {
		t.Errorf("the wasm took %d bytes on the wire for %d: not compressed", w.bytes, size)
	}
	consoleClean(t, p)
}
