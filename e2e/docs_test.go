package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestHomeClean(t *testing.T) {
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title == "" {
		t.Error("empty title")
	}
	shot(t, ctx, "home")
	p.AssertClean(t)
}
