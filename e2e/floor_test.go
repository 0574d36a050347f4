package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/site"
)

// measureFloor prints what a fresh browser on this machine needs before any
// of the playground's own work: the first paint of a page with no script
// and no stylesheet, and of a docs page (one stylesheet, and the search
// box's small module script, which does not hold up the first paint) served
// with the production headers (site.Handler: the CSP, and COOP, which makes
// the navigation start a renderer process of its own, as a visit from
// another site does). The cold-load goal (600 ms to the first preview)
// includes this floor.
func measureFloor(t *testing.T) {
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/blank", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><html lang=en><head><title>blank</title></head><body><p>A page with nothing to load.</p></body></html>")
	})
	mux.Handle("/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	const runs = 3
	for _, page := range []struct{ path, what string }{
		{"/blank", "a page with no script and no stylesheet, no headers"},
		{"/docs/getting-started/", "a docs page (one stylesheet, the search box's 2 KB module script), production headers"},
	} {
		var paints []float64
		for range runs {
			ctx, _ := newTab(t)
			if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path)); err != nil {
				t.Fatal(err)
			}
			paints = append(paints, pgEval[float64](t, ctx, `new Promise(r => {
			  const done = () => r(performance.getEntriesByName("first-contentful-paint")[0].startTime);
			  if (performance.getEntriesByName("first-contentful-paint").length) done();
			  else new PerformanceObserver(done).observe({type: "paint", buffered: true});
			})`))
		}
		sort.Float64s(paints)
		s := make([]string, len(paints))
		for i, p := range paints {
			s[i] = fmt.Sprintf("%.0f", p)
		}
		t.Logf("MEASURE fresh-browser floor, first contentful paint of %s: median %.0f ms (%s ms)", page.what, paints[runs/2], strings.Join(s, ", "))
	}
}
