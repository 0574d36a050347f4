package site

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	cdruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestServeReloadsInBrowser opens a served page in Chromium, under the real
// netlify.toml CSP: a failed rebuild shows its error over the page, and the
// next good one reloads the page by itself (a marker set on the old page's
// window is gone), with nothing logged (a CSP violation would be).
func TestServeReloadsInBrowser(t *testing.T) {
	bin := tooltest.Require(t, "chromium", tooltest.InstallChromium)
	root := serveRoot(t)
	s, _ := startSession(t, Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true, Log: io.Discard})

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	var mu sync.Mutex
	var logged []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *log.EventEntryAdded:
			logged = append(logged, fmt.Sprintf("%s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
		case *cdruntime.EventExceptionThrown:
			logged = append(logged, "exception: "+e.ExceptionDetails.Text)
		}
	}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.addr+"/docs/page/"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	// waitFor polls the page until js returns want (a deadline, not a
	// timing assertion). An evaluation that fails because the page is
	// reloading just means "not yet".
	waitFor := func(js, want string) string {
		var got string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
			if got = v; err == nil && strings.Contains(got, want) {
				return got
			}
		}
		t.Fatalf("%s never gave %q (last: %q)", js, want, got)
		return ""
	}
	eval(`window.fyMarker = "old page"; ""`)
	// The page must have its stream open before the edit, or it would
	// miss the event.
	for deadline := time.Now().Add(30 * time.Second); s.hub.clientCount() == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the page never opened the live-reload stream")
		}
	}

	writeFile(t, root, "content/docs/page.md", "---\ntitle: P\n---\nSee [x](/docs/nope/).\n")
	waitFor(`(document.getElementById("fy-dev-error") || {}).textContent || ""`, "/docs/nope/")
	if got := eval(`String(window.fyMarker)`); got != "old page" {
		t.Errorf("a failed rebuild reloaded the page (marker %q)", got)
	}

	writeFile(t, root, "content/docs/page.md", "---\ntitle: P\n---\nSecond version.\n")
	waitFor(`(document.body ? document.body.innerText : "").includes("Second version.") + " " + window.fyMarker`, "true undefined")

	mu.Lock()
	defer mu.Unlock()
	if len(logged) > 0 {
		t.Errorf("the browser logged:\n%s", strings.Join(logged, "\n"))
	}
}
