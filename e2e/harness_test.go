// Package e2e drives the built site in headless Chromium, served with the
// production headers from netlify.toml (CSP included), so what passes here is
// what Netlify serves.
package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/internal/tooltest"
	"github.com/fleetyard/fleetyard/site"
)

// siteURL is the base URL of the site under test (no trailing slash).
var siteURL string

// publicDir is the built site.
var publicDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "fleetyard-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	publicDir = filepath.Join(tmp, "public")
	start := time.Now()
	stats, err := site.BuildWithStats(site.Options{Root: "..", Out: publicDir, Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the site failed:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: site built in %s: %s\n", time.Since(start).Round(time.Millisecond), stats)
	h, err := site.Handler(publicDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	siteURL = srv.URL
	return m.Run()
}

// Page records what a tab did that a clean page never does.
type Page struct {
	mu         sync.Mutex
	errors     []string // console errors, uncaught exceptions, error log entries
	violations []string // CSP violations
	requests   []string // every request URL, in order
	allow      []string // substrings of console errors a test expects
}

// AllowConsole makes AssertClean accept console errors containing substr
// (for tests that provoke an error on purpose, e.g. the 404 page).
func (p *Page) AllowConsole(substr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.allow = append(p.allow, substr)
}

// Requests returns the URLs requested so far.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Errors returns the console errors and exceptions so far.
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

func (p *Page) addError(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if strings.Contains(s, "Content Security Policy") || strings.Contains(s, "Content-Security-Policy") {
		p.violations = append(p.violations, s)
		return
	}
	p.errors = append(p.errors, s)
}

// violationProbe runs in every document before the page's own scripts (the
// DevTools protocol injects it, so the CSP does not apply to it) and reports
// each securitypolicyviolation event on the console, where the Page sees it.
const violationProbe = `document.addEventListener("securitypolicyviolation", (e) => {
  console.error("Content Security Policy violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// newTab starts a fresh headless Chromium (own user-data-dir) with one tab,
// and a Page recording its console errors, CSP violations and requests. The
// test is skipped when Chromium is missing (failed under CI).
func newTab(t *testing.T) (context.Context, *Page) {
	t.Helper()
	bin := tooltest.Require(t, "chromium", tooltest.InstallChromium)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	p := &Page{}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					if a.Value != nil {
						parts = append(parts, strings.Trim(string(a.Value), `"`))
					} else {
						parts = append(parts, a.Description)
					}
				}
				p.addError("console." + string(e.Type) + ": " + strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			p.addError(fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				p.addError(fmt.Sprintf("log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			p.mu.Lock()
			p.requests = append(p.requests, e.Request.URL)
			p.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: violationProbe}); err != nil {
		t.Fatalf("installing the CSP probe: %v", err)
	}
	// The browser lives as long as ctx (it ran once above); a derived
	// deadline bounds each test's actions without killing it early.
	tctx, cancelT := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(cancelT)
	return tctx, p
}

// tabTimeout bounds everything one tab does, so a selector that never
// matches fails the test instead of hanging the run.
const tabTimeout = 90 * time.Second

// AssertClean fails the test on any console error, uncaught exception, CSP
// violation, or request to another origin than the site under test (data:
// and blob: URLs are same-document and allowed).
func (p *Page) AssertClean(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, v := range p.violations {
		t.Errorf("CSP violation: %s", v)
	}
errs:
	for _, e := range p.errors {
		for _, a := range p.allow {
			if strings.Contains(e, a) {
				continue errs
			}
		}
		t.Errorf("console error: %s", e)
	}
	base, _ := url.Parse(siteURL)
	for _, r := range p.requests {
		u, err := url.Parse(r)
		if err != nil {
			t.Errorf("unparseable request URL %q", r)
			continue
		}
		switch u.Scheme {
		case "data", "blob":
			continue
		}
		if u.Scheme != base.Scheme || u.Host != base.Host {
			t.Errorf("request to another origin: %s", r)
		}
	}
}

// shot saves a PNG screenshot of the whole page under e2e/out/<name>.png.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll("out", 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("out", name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: e2e/%s", file)
}

// requireBuilt skips (or, in CI, fails) a test when the build lacks the
// named JavaScript bundle or the wasm module, i.e. when `npm ci` has not
// run in static/: the reason is then said plainly instead of a timeout.
func requireBuilt(t *testing.T, bundle string) {
	t.Helper()
	var js, wasm bool
	entries, _ := os.ReadDir(filepath.Join(publicDir, "assets"))
	for _, e := range entries {
		js = js || strings.HasPrefix(e.Name(), bundle+".") && strings.HasSuffix(e.Name(), ".js")
		wasm = wasm || strings.HasSuffix(e.Name(), ".wasm")
	}
	if js && wasm {
		return
	}
	msg := fmt.Sprintf("the site was built without %s.js (%v) or the wasm (%v); run `cd static && npm ci`", bundle, js, wasm)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set)")
	}
	t.Skip(msg)
}

// previewTextJS is a JS expression for the text the preview shows: in
// CodeMirror's view, or in the plain numbered lines it shows until the page
// has loaded CodeMirror (static/ts/files.ts plainView).
const previewTextJS = `(document.querySelector("#fy-preview .cm-content, #fy-preview .fy-plain")?.textContent ?? "")`
