package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestDocsSearch: "/" on a docs page focuses the search box, a query lists
// the sections that hold every word (page › heading, with a snippet and the
// words marked) as links, the down arrow moves into them and Enter opens
// one, and a query that matches nothing says so. The index comes from the
// build (site/search.go); no request leaves the site.
func TestDocsSearch(t *testing.T) {
	requireBuilt(t, "docs")
	ctx, p := newTab(t)
	navigate(t, ctx, "/docs/getting-started/")
	pgWait(t, ctx, "the search box", `document.querySelector('.fy-search-input') !== null`, 5*time.Second)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("/")); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, `"/" focusing the search box`, `document.activeElement === document.querySelector('.fy-search-input')`, 2*time.Second)
	if v := pgEval[string](t, ctx, `document.querySelector('.fy-search-input').value`); v != "" {
		t.Errorf(`after "/", the box holds %q`, v)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(".fy-search-input", "state passphrase")); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "results", `document.querySelectorAll('.fy-search-results a').length > 0`, 10*time.Second)
	type result struct {
		Title, Href, Text string
		Marks             int
	}
	results := pgEval[[]result](t, ctx, `[...document.querySelectorAll('.fy-search-results a')].map((a) => ({title: a.querySelector('.fy-search-title').textContent, href: a.getAttribute('href'), text: a.querySelector('.fy-search-text').textContent, marks: a.querySelectorAll('mark').length}))`)
	found := false
	for _, r := range results {
		all := strings.ToLower(r.Title + " " + r.Text)
		if r.Marks == 0 {
			t.Errorf("result %q marks no word of the query", r.Title)
		}
		if !strings.Contains(all, "passphrase") && !strings.Contains(r.Title, "›") {
			t.Errorf("result %q (%s) shows no word of the query", r.Title, r.Href)
		}
		found = found || strings.HasPrefix(r.Href, "/docs/terranix-toggle/")
	}
	if !found {
		t.Errorf("no result on the terranix page, which explains the state passphrase: %+v", results)
	}
	// The open list: no serious axe violation (links inside a listbox's
	// options were one, and the docs' faint text and scrolling code
	// blocks were others).
	axeClean(t, ctx, "docs search results")
	shotVariants(t, ctx, "docs-search", false, ".fy-search")
	// The viewport changes put the focus elsewhere: back to the box, the
	// list as typed.
	pgEval[bool](t, ctx, `(document.querySelector('.fy-search-input').focus(), document.querySelector('.fy-search-input').dispatchEvent(new Event('input')), true)`)
	pgWait(t, ctx, "results again", `!document.querySelector('.fy-search-results').hidden`, 5*time.Second)
	second := pgEval[string](t, ctx, `document.querySelectorAll('.fy-search-results a')[1]?.getAttribute('href') ?? ""`)
	if second == "" {
		t.Fatal("fewer than two results")
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the second result's page", `location.pathname + location.hash === `+jsString(second), 10*time.Second)

	// Nothing found.
	navigate(t, ctx, "/docs/cli/")
	pgWait(t, ctx, "the search box", `document.querySelector('.fy-search-input') !== null`, 5*time.Second)
	if err := chromedp.Do(ctx, chromedp.SendKeys(".fy-search-input", "zzqxj")); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the no-match note", `document.querySelector('.fy-search-note').textContent.startsWith('Nothing in the docs matches')`, 10*time.Second)
	if !pgEval[bool](t, ctx, `document.querySelector('.fy-search-results').hidden`) {
		t.Error("an empty result list is shown")
	}
	p.AssertClean(t)
}
