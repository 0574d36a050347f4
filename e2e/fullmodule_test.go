package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/internal/sharelink"
	"github.com/fleetyard/fleetyard/site"
)

// Issue 10 goal 3: downloads and share links live in a second, "full" wasm
// module (site.wasmModules) that a second worker loads on first use, so the
// generator module every visitor waits for is smaller.

// gatedSite serves the built site and holds back every response for the
// full module until release is closed, so a test sees the page while the
// full module is still on its way. It records the paths requested.
type gatedSite struct {
	url     string
	release chan struct{}
	mu      sync.Mutex
	paths   []string
	encs    map[string]string
}

func newGatedSite(t *testing.T) *gatedSite {
	t.Helper()
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	g := &gatedSite{release: make(chan struct{}), encs: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.paths = append(g.paths, r.URL.Path)
		g.mu.Unlock()
		if strings.Contains(r.URL.Path, "/fleetyard-full.") {
			<-g.release
		}
		h.ServeHTTP(w, r)
		g.mu.Lock()
		g.encs[r.URL.Path] = w.Header().Get("Content-Encoding")
		g.mu.Unlock()
	}))
	t.Cleanup(func() {
		select {
		case <-g.release:
		default:
			close(g.release)
		}
		srv.Close()
	})
	g.url = srv.URL
	return g
}

// requested returns the requested paths that contain sub.
func (g *gatedSite) requested(sub string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, p := range g.paths {
		if strings.Contains(p, sub) {
			out = append(out, p)
		}
	}
	return out
}

// TestFullModuleLoadsOnFirstDownload: the playground starts, previews and
// regenerates with the generator module alone, without requesting the full
// module; the first Download requests it, the button shows it is busy and
// the editor keeps regenerating while the full module is held back, and
// once it arrives (brotli-compressed) the download is the bytes Go's
// archive.TarGz makes.
func TestFullModuleLoadsOnFirstDownload(t *testing.T) {
	requireBuilt(t, "playground")
	g := newGatedSite(t)
	ctx, p := newTab(t)
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(g.url+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGenerationFor(t, ctx, 0, 30*time.Second)
	full := pgEval[string](t, ctx, `document.body.dataset.wasmFull || ""`)
	if !strings.HasPrefix(full, "/assets/fleetyard-full.") {
		t.Fatalf("data-wasm-full = %q, want the full module's hashed URL", full)
	}
	// An edit regenerates on the generator module alone.
	gen0 := pgEval[int](t, ctx, `Number(document.getElementById("fy-pg").dataset.generation || 0)`)
	replaceEditor(t, ctx, readSpec(t, "seed"))
	waitGenerationFor(t, ctx, gen0, 20*time.Second)
	time.Sleep(time.Second) // idle: nothing may fetch the full module now either
	if hot := g.requested("/assets/fleetyard."); len(hot) != 1 {
		t.Errorf("generator module requested %d times: %v", len(hot), hot)
	}
	if got := g.requested("/assets/fleetyard-full."); len(got) > 0 {
		t.Fatalf("the full module was requested before any download or share: %v", got)
	}

	// The first download asks for the full module, which is held back.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-export-tar"))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(g.requested("/assets/fleetyard-full.")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Download did not request the full module")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if busy := pgEval[string](t, ctx, `document.getElementById("fy-export-tar").getAttribute("aria-busy") || ""`); busy != "true" {
		t.Errorf("while the full module loads, the Download button's aria-busy is %q, want true", busy)
	}
	if label := pgEval[string](t, ctx, `document.getElementById("fy-export-tar").textContent`); label != "Preparing…" {
		t.Errorf("while the full module loads, the Download button says %q, want Preparing…", label)
	}
	shot(t, ctx, "playground-download-preparing")
	// The generator does not wait for the full module.
	gen1 := pgEval[int](t, ctx, `Number(document.getElementById("fy-pg").dataset.generation || 0)`)
	replaceEditor(t, ctx, readSpec(t, "minimal"))
	waitGenerationFor(t, ctx, gen1, 20*time.Second)
	if pgEval[bool](t, ctx, `!!document.getElementById("fy-export-sha")`) {
		t.Fatal("the download finished without the full module")
	}

	close(g.release)
	pgWait(t, ctx, "the SHA-256 of the tar.gz", `document.getElementById("fy-export-sha")`, 30*time.Second)
	// The full module's own load, from its response (after the gate opened) to
	// its functions registered: printed, not asserted.
	t.Logf("MEASURE full module: %.0f ms from the response to started (download, compile, start)",
		pgEval[float64](t, ctx, `(() => { const r = performance.getEntriesByName("fy-full-wasm-started")[0], s = performance.getEntriesByName("fy-full-wasm-response")[0]; return r && s ? r.startTime - s.startTime : -1 })()`))
	got := g.requested("/assets/fleetyard-full.")
	if enc := g.encs[got[0]]; enc != "br" {
		t.Errorf("the full module came with Content-Encoding %q, want br", enc)
	}
	// The download holds the spec as it was when Download was pressed.
	entropy, _ := hex.DecodeString(pgEval[string](t, ctx, `document.getElementById("fy-reproduce").dataset.entropy`))
	tm, err := time.Parse(time.RFC3339, pgEval[string](t, ctx, `document.getElementById("fy-reproduce").dataset.time`))
	if err != nil {
		t.Fatal(err)
	}
	spec := readSpec(t, "seed")
	s, _ := gen.Parse([]byte(spec))
	want := archive.TarGz(s.Spec().Name, goFiles(t, spec, entropy, tm))
	sum := sha256.Sum256(want)
	if shown := pgEval[string](t, ctx, `document.getElementById("fy-export-sha").textContent`); shown != hex.EncodeToString(sum[:]) {
		t.Errorf("page shows SHA-256 %s, Go's archive.TarGz gives %s", shown, hex.EncodeToString(sum[:]))
	}
	file := filepath.Join(dl, s.Spec().Name+".tar.gz")
	var data []byte
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if data, err = os.ReadFile(file); err == nil && len(data) == len(want) {
			break
		}
	}
	if !bytes.Equal(data, want) {
		names, _ := os.ReadDir(dl)
		t.Errorf("downloaded %d bytes at %s (dir: %v), want the %d bytes archive.TarGz gives", len(data), file, names, len(want))
	}
	if label := pgEval[string](t, ctx, `document.getElementById("fy-export-tar").textContent`); label != "Download .tar.gz" || !pgEval[bool](t, ctx, `!!document.querySelector("#fy-export-tar > .fy-long")`) {
		t.Errorf("after the download the button is %q, want its label back with its .fy-long part (hidden on phones)", pgEval[string](t, ctx, `document.getElementById("fy-export-tar").innerHTML`))
	}
	shot(t, ctx, "playground-download-done")
	consoleClean(t, p)
}

// TestFullModuleOnSharedLink: a page opened with a share fragment fetches
// the full module (shareDecode lives there) and opens the link, while the
// generator module is what previews it.
func TestFullModuleOnSharedLink(t *testing.T) {
	requireBuilt(t, "playground")
	spec := strings.Replace(readSpec(t, "minimal"), `"name": "minimal"`, `"name": "shared-via-link"`, 1)
	frag, err := sharelink.Encode([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	g := newGatedSite(t)
	close(g.release)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(g.url+"/playground/#fleet="+frag), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGenerationFor(t, ctx, 0, 30*time.Second)
	name := `#fy-panel-form [data-path="name"]`
	pgWait(t, ctx, "the shared fleet", `(document.querySelector('`+name+`') || {}).value === "shared-via-link"`, 30*time.Second)
	if got := g.requested("/assets/fleetyard-full."); len(got) != 1 {
		t.Errorf("full module requested %d times for a share link, want once: %v", len(got), got)
	}
	shot(t, ctx, "playground-shared-link-full-module")
	consoleClean(t, p)
}

// TestDocsEditWithoutFullModule: editing a docs example regenerates with
// the generator module alone; its "Open in playground" link is brought up
// to date (by the full module) only when it is used, and then carries the
// edited spec.
func TestDocsEditWithoutFullModule(t *testing.T) {
	requireBuilt(t, "docs")
	g := newGatedSite(t)
	close(g.release)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(g.url+"/docs/terranix-toggle/"), chromedp.WaitReady(chromedp.CSS("figure.fy-example"))); err != nil {
		t.Fatal(err)
	}
	fig := terranixFigure
	spec := pgEval[string](t, ctx, `document.querySelector('`+fig+` .fy-spec').textContent`)
	edited := strings.Replace(spec, `"enabled": true`, `"enabled": false`, 1)
	if edited == spec {
		t.Fatalf("unexpected inline spec: %s", spec)
	}
	replaceExampleText(t, ctx, fig, edited)
	pgWait(t, ctx, "the regeneration", `(document.querySelector('`+fig+` .fy-example-status') || {}).textContent.startsWith("Regenerated")`, 30*time.Second)
	time.Sleep(time.Second)
	if got := g.requested("/assets/fleetyard-full."); len(got) > 0 {
		t.Fatalf("editing a docs example fetched the full module: %v", got)
	}
	if len(g.requested("/assets/fleetyard.")) != 1 {
		t.Errorf("the generator module was not fetched once: %v", g.requested("/assets/fleetyard."))
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(fig+` .fy-open`)), chromedp.Click(chromedp.CSS(fig+` .fy-open`))); err != nil {
		t.Fatal(err)
	}
	var loc string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + "|" + location.hash`))
		if strings.HasPrefix(loc, "/playground/|") {
			break
		}
	}
	path, hash, _ := strings.Cut(loc, "|")
	if path != "/playground/" {
		t.Fatalf("the link led to %q", loc)
	}
	got, err := sharelink.Decode(strings.TrimPrefix(hash, "#fleet="))
	if err != nil {
		t.Fatalf("fragment %q: %v", hash, err)
	}
	if string(got) != edited {
		t.Errorf("the link carries a spec other than the edited one:\n%s", got)
	}
	consoleClean(t, p)
}

// TestFullModulePrefetchedOnIntent: pointing at Download, or tabbing to
// Share link, starts the full module's load before any click (playground.ts
// prefetchFullOnIntent), and nothing is downloaded or shared by it.
func TestFullModulePrefetchedOnIntent(t *testing.T) {
	requireBuilt(t, "playground")
	for _, tc := range []struct {
		name   string
		intent func(t *testing.T, ctx context.Context)
	}{
		{"pointer over Download", func(t *testing.T, ctx context.Context) {
			box := pgEval[[]float64](t, ctx, `(() => { const r = document.getElementById("fy-export-tar").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
			if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: box[0], Y: box[1]}); err != nil {
				t.Fatal(err)
			}
		}},
		{"focus on Share link", func(t *testing.T, ctx context.Context) {
			// A headless tab has no window focus, so focus() fires no
			// focus event; emulate a focused page, as a user's is.
			if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
				t.Fatal(err)
			}
			pgEval[bool](t, ctx, `(document.getElementById("fy-share").focus(), true)`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGatedSite(t)
			close(g.release)
			ctx, p := newTab(t)
			if err := chromedp.Do(ctx, chromedp.Navigate(g.url+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
				t.Fatal(err)
			}
			waitGenerationFor(t, ctx, 0, 30*time.Second)
			if got := g.requested("/assets/fleetyard-full."); len(got) > 0 {
				t.Fatalf("the full module was requested before any intent: %v", got)
			}
			tc.intent(t, ctx)
			pgWait(t, ctx, "the full module's worker started", `performance.getEntriesByName("fy-full-wasm-started").length > 0`, 30*time.Second)
			if got := g.requested("/assets/fleetyard-full."); len(got) != 1 {
				t.Errorf("the full module was requested %d times: %v", len(got), got)
			}
			if pgEval[bool](t, ctx, `!!document.getElementById("fy-export-sha") || !document.getElementById("fy-share-out").hidden && document.getElementById("fy-share-out").textContent !== ""`) {
				t.Error("an intent alone downloaded or shared something")
			}
			consoleClean(t, p)
		})
	}
}
