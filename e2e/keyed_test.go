package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Updating only what changed (issue 13 item 3): an edit keeps the form's,
// the tree's and the preview's DOM nodes and changes them in place. The
// time it takes is measured by TestMeasure; this test holds the mechanism.

// watchAdded starts counting the elements added under each selector's
// element (a MutationObserver per root); added() reads the counts.
const watchJS = `(() => {
  window.__fyAdded = {};
  window.__fyObs?.forEach(o => o.disconnect());
  window.__fyObs = [];
  for (const sel of SELS) {
    const root = document.querySelector(sel);
    window.__fyAdded[sel] = 0;
    const o = new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) if (n.nodeType === 1) window.__fyAdded[sel]++; });
    o.observe(root, {childList: true, subtree: true});
    window.__fyObs.push(o);
  }
  return true;
})()`

func watchAdded(t *testing.T, ctx context.Context, sels ...string) {
	t.Helper()
	b, _ := json.Marshal(sels)
	pgEval[bool](t, ctx, strings.Replace(watchJS, "SELS", string(b), 1))
}

func added(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	// Observer callbacks are microtasks: they have run by the time this evaluates.
	return pgEval[map[string]int](t, ctx, `window.__fyAdded`)
}

// mark tags elements with a property a rebuilt element would not have.
func mark(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return pgEval[int](t, ctx, `[...document.querySelectorAll(`+jsString(sel)+`)].map(e => e.__fyMark = true).length`)
}

// unmarked counts the elements matching sel that lack the mark (new ones).
func unmarked(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return pgEval[int](t, ctx, `[...document.querySelectorAll(`+jsString(sel)+`)].filter(e => !e.__fyMark).length`)
}

// TestPlaygroundKeyedUpdates: an edit in the fleet.json editor updates the
// form in place (no control is replaced, values follow), a change of a
// machine's class rebuilds that machine's row alone, the tree keeps its
// rows, and the preview updates its document in place, or not at all when
// its file did not change.
func TestPlaygroundKeyedUpdates(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the form with the schema", `document.getElementById("fy-pg").dataset.schema === "loaded" && document.querySelector('select[data-path="machines[0].class"]')`, 10*time.Second)
	controls := "#fy-panel-form input, #fy-panel-form select, #fy-panel-form textarea"
	n := mark(t, ctx, controls)
	mark(t, ctx, ".fy-tree li")
	// The preview is plain text until the page loads CodeMirror, once idle
	// after the first preview (lazycm.ts): the view to keep is CodeMirror's.
	pgWait(t, ctx, "the preview's CodeMirror", `document.querySelector("#fy-preview .cm-editor")`, 10*time.Second)
	mark(t, ctx, "#fy-preview .cm-editor")
	if n < 50 {
		t.Fatalf("only %d form controls", n)
	}

	// An edit of the description in fleet.json: the README changes, flake.nix too (its description).
	var spec map[string]any
	if err := json.Unmarshal([]byte(readSpec(t, "seed")), &spec); err != nil {
		t.Fatal(err)
	}
	spec["description"] = "Edited in the fleet.json tab."
	text, _ := json.MarshalIndent(spec, "", "  ")
	watchAdded(t, ctx, "#fy-panel-form", ".fy-tree", "#fy-preview")
	g := generation(t, ctx)
	replaceEditor(t, ctx, string(text))
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "the new description in the preview", previewTextJS+`.includes("Edited in the fleet.json tab.")`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-tab-form"))); err != nil {
		t.Fatal(err)
	}
	if got := pgEval[string](t, ctx, `document.querySelector('[data-path="description"]').value`); got != "Edited in the fleet.json tab." {
		t.Errorf("the form's description shows %q", got)
	}
	if u := unmarked(t, ctx, controls); u != 0 {
		t.Errorf("%d of %d form controls were replaced by an edit of one field", u, n)
	}
	if u := unmarked(t, ctx, ".fy-tree li"); u != 0 {
		t.Errorf("%d tree rows were replaced though the set of files did not change", u)
	}
	if u := unmarked(t, ctx, "#fy-preview .cm-editor"); u != 0 {
		t.Error("the preview's editor was replaced instead of updated")
	}
	a := added(t, ctx)
	if a["#fy-panel-form"] > 5 {
		t.Errorf("the form gained %d elements for a changed value", a["#fy-panel-form"])
	}

	// Another file changes, the shown one does not: the preview is left alone.
	jsClick(t, ctx, `.fy-file-btn[data-path=".gitignore"]`)
	pgWait(t, ctx, ".gitignore in the preview", `document.getElementById("fy-preview-title").textContent === ".gitignore"`, 5*time.Second)
	// CodeMirror measures and adjusts the new document over the next frames;
	// on a busy machine that is still going on when the title changes.
	pgEval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(true), 100))))`)
	watchAdded(t, ctx, "#fy-preview")
	before := pgEval[string](t, ctx, `document.querySelector("#fy-preview .fy-preview-body").innerHTML`)
	g = generation(t, ctx)
	setField(t, ctx, `[data-path="description"]`, "Edited again, in the form.")
	waitGeneration(t, ctx, g)
	time.Sleep(200 * time.Millisecond)
	if a := added(t, ctx); a["#fy-preview"] != 0 || pgEval[string](t, ctx, `document.querySelector("#fy-preview .fy-preview-body").innerHTML`) != before {
		t.Errorf("the preview of an unchanged file was redrawn (%d elements added)", a["#fy-preview"])
	}

	// A class change swaps one machine's fields: that row alone is rebuilt.
	mark(t, ctx, controls)
	rows := mark(t, ctx, `#fy-panel-form .fy-row`)
	g = generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.querySelector('select[data-path="machines[1].class"]'); s.value = "darwin"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	if u := unmarked(t, ctx, `#fy-panel-form .fy-row`); u != 1 {
		t.Errorf("a class change replaced %d of %d rows, want 1", u, rows)
	}
	if got := unmarked(t, ctx, `[data-path="machines[1]"] select, [data-path="machines[1]"] input`); got == 0 {
		t.Error("the machine that became a Mac kept its NixOS fields")
	}
	if !pgEval[bool](t, ctx, `!!document.querySelector('[data-path="machines[1].darwin.primaryUser"]')`) {
		t.Error("the new Mac has no primary user field")
	}
	if u := unmarked(t, ctx, `[data-path="machines[0]"] input, [data-path="users[0]"] input`); u != 0 {
		t.Errorf("%d controls of other rows were replaced by machines[1]'s class change", u)
	}
	shots(t, ctx, "keyed-class-change", func(screen) {
		pgEval[bool](t, ctx, `(document.querySelector('[data-path="machines[1]"]').scrollIntoView({block: "start"}), true)`)
	})
	p.AssertClean(t)
}
