package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestDiagnosticJumpCentresTheLine: "line L:C" in Diagnostics moves the
// caret there with the line in the middle of the editor, not on its bottom
// row, half hidden by the pane's edge (CodeMirror's plain scrollIntoView
// stops at the nearest edge).
func TestDiagnosticJumpCentresTheLine(t *testing.T) {
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	waitGeneration(t, ctx, 0)
	// The seed with an unknown machine in its generator's list, near the
	// end of fleet.json.
	spec := strings.Replace(readSpec(t, "seed"), `"machines": ["cinnabar"],`, `"machines": ["cinnabaz"],`, 1)
	if !strings.Contains(spec, "cinnabaz") {
		t.Fatal("the seed's generator no longer lists cinnabar alone")
	}
	g := generation(t, ctx)
	replaceEditor(t, ctx, spec)
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "the error's position", `[...document.querySelectorAll("#fy-panel-diags .fy-where")].some(b => b.closest(".fy-diag").textContent.includes("cinnabaz"))`, 10*time.Second)
	// From the JSON text (from the form, the jump goes to the form's field:
	// TestDiagnosticFromTheFormStaysInTheForm).
	pgEval[bool](t, ctx, `(document.querySelector("#fy-tab-json").click(), true)`)
	pgEval[bool](t, ctx, `(document.querySelector("#fy-panel-json .cm-scroller").scrollTop = 0, true)`)
	pgEval[bool](t, ctx, `([...document.querySelectorAll("#fy-panel-diags .fy-where")].find(b => b.closest(".fy-diag").textContent.includes("cinnabaz")).click(), true)`)
	pgWait(t, ctx, "the caret on the error", `(() => { const l = document.querySelector("#fy-panel-json .cm-activeLine"); return l && l.textContent.includes("cinnabaz") })()`, 5*time.Second)
	// Where the active line sits in the scroller, as a fraction of its
	// height. CodeMirror scrolls in its next measure cycle, which on a busy
	// machine can come a few frames after the caret moved: wait for it.
	const where = `(() => {
	  const s = document.querySelector("#fy-panel-json .cm-scroller").getBoundingClientRect();
	  const l = document.querySelector("#fy-panel-json .cm-activeLine").getBoundingClientRect();
	  return (l.top + l.height / 2 - s.top) / s.height;
	})()`
	var pos float64
	for end := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if pos = pgEval[float64](t, ctx, where); (pos >= 0.3 && pos <= 0.7) || time.Now().After(end) {
			break
		}
	}
	if pos < 0.3 || pos > 0.7 {
		t.Errorf("the line of the error is at %.0f%% of the editor's height 3 s after the jump, want near the middle", pos*100)
	}
	p.AssertClean(t)
}

// TestDiagnosticFromTheFormStaysInTheForm: clicking a diagnostic's place
// while the form is shown focuses the form's own field for that path,
// which shows the message already, instead of switching to the JSON text.
func TestDiagnosticFromTheFormStaysInTheForm(t *testing.T) {
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	waitGeneration(t, ctx, 0)
	pgEval[bool](t, ctx, `(document.querySelector("#fy-tab-form").click(), true)`)
	// The seed's own warning, on machines[0].targetHost.
	const where = `[...document.querySelectorAll("#fy-panel-diags .fy-where")].find(b => b.closest(".fy-diag").textContent.includes("machines[0].targetHost"))`
	pgWait(t, ctx, "the targetHost warning", where+` !== undefined`, 10*time.Second)
	pgEval[bool](t, ctx, `(`+where+`.click(), true)`)
	pgWait(t, ctx, "the form's targetHost field focused", `document.activeElement && document.activeElement.dataset.path === "machines[0].targetHost"`, 5*time.Second)
	if sel := pgEval[string](t, ctx, `document.querySelector("#fy-tab-form").getAttribute("aria-selected")`); sel != "true" {
		t.Errorf("the form tab is no longer selected (aria-selected %q)", sel)
	}
	shot(t, ctx, "diag-from-form")
	p.AssertClean(t)
}
