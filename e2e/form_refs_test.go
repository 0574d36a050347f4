package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The form shows and fixes what it edits (issue 13 item 4): renaming a
// machine or user renames every reference to it, and every diagnostic with
// a path appears at its form field, an unknown machine included.

// savedSpec waits until the autosaved spec contains want and returns it decoded.
func savedSpec(t *testing.T, ctx context.Context, want string) map[string]any {
	t.Helper()
	pgWait(t, ctx, "autosave with "+want, `(localStorage.getItem("fleetyard:playground:spec") || "").includes(`+jsString(want)+`)`, 10*time.Second)
	// Autosave is debounced: let the last edit land.
	time.Sleep(400 * time.Millisecond)
	var v map[string]any
	if err := json.Unmarshal([]byte(pgEval[string](t, ctx, `localStorage.getItem("fleetyard:playground:spec")`)), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// at walks a decoded spec: string keys and int indices.
func at(v any, path ...any) any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// typeOver selects a text field's contents and types text key by key.
func typeOver(t *testing.T, ctx context.Context, path, text string) {
	t.Helper()
	pgEval[bool](t, ctx, `(() => { const e = document.querySelector('[data-path="`+path+`"]'); e.scrollIntoView({block: "center"}); e.focus(); e.select(); return true })()`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(text)); err != nil {
		t.Fatal(err)
	}
}

// TestPlaygroundFormRenames: renaming a machine and a user in the form
// renames their references (users' and generators' machine lists, a Mac's
// primary user), even when the name passes through another machine's name
// on the way; removing a machine drops it from those lists.
func TestPlaygroundFormRenames(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the form", `document.querySelector('[data-path="machines[0].name"]')`, 10*time.Second)

	// cinnabar -> electrumx, typed key by key: "electrum" (machines[1]'s name) on the way.
	g := generation(t, ctx)
	typeOver(t, ctx, "machines[0].name", "electrumx")
	waitGeneration(t, ctx, g)
	spec := savedSpec(t, ctx, `"electrumx"`)
	for _, c := range []struct {
		path []any
		want []string
	}{
		{[]any{"users", 0, "machines"}, []string{"electrumx", "electrum", "blackphos"}},
		{[]any{"users", 1, "machines"}, []string{"blackphos"}},
		{[]any{"vars", 0, "machines"}, []string{"electrumx"}},
	} {
		if got := strs(at(spec, c.path...)); !slices.Equal(got, c.want) {
			t.Errorf("after renaming cinnabar to electrumx, %v = %q, want %q", c.path, got, c.want)
		}
	}
	// The form shows the new name where the old one was.
	if got := pgEval[[]string](t, ctx, `[...document.querySelectorAll('[data-path="users[0].machines"] input[type=checkbox]')].map(b => b.dataset.machine + (b.checked ? "+" : "-"))`); !slices.Equal(got, []string{"electrumx+", "electrum+", "blackphos+"}) {
		t.Errorf("users[0]'s machine boxes %q", got)
	}
	// Leaving the field keeps focus in the form.
	keys(t, ctx, kb.Tab)
	if got := active(t, ctx); got != "machines[0].class" {
		t.Errorf("Tab out of the renamed machine focused %q", got)
	}

	// crs58 -> cam: the Mac's primary user follows.
	g = generation(t, ctx)
	typeOver(t, ctx, "users[0].name", "cam")
	waitGeneration(t, ctx, g)
	spec = savedSpec(t, ctx, `"cam"`)
	if got := at(spec, "machines", 2, "darwin", "primaryUser"); got != "cam" {
		t.Errorf("after renaming crs58 to cam the Mac's primaryUser is %v", got)
	}
	if got := pgEval[string](t, ctx, `document.querySelector('[data-path="machines[2].darwin.primaryUser"]').value`); got != "cam" {
		t.Errorf("the primary user select shows %q", got)
	}
	pgWait(t, ctx, "no diagnostics but the seed's own", seedDiagnosticsOnly, 10*time.Second)

	// Removing electrum (machines[1]) drops it from the lists.
	g = generation(t, ctx)
	jsClick(t, ctx, `[data-path="machines[1]"] .fy-remove`)
	waitGeneration(t, ctx, g)
	spec = savedSpec(t, ctx, `"electrumx"`)
	if got := strs(at(spec, "users", 0, "machines")); !slices.Equal(got, []string{"electrumx", "blackphos"}) {
		t.Errorf("after removing electrum, users[0].machines = %q", got)
	}
	if pgEval[bool](t, ctx, `document.activeElement === document.body`) {
		t.Error("removing a machine dropped focus to <body>")
	}
	pgWait(t, ctx, "no diagnostics but the seed's own", seedDiagnosticsOnly, 10*time.Second)
	// The removal can be undone from its notice: the machine and the
	// references to it come back.
	removed := spec
	pgWait(t, ctx, "the undo notice", `[...document.querySelectorAll("#fy-notices .fy-notice")].some(n => n.textContent.includes("Removed machine electrum."))`, 5*time.Second)
	g = generation(t, ctx)
	pgEval[bool](t, ctx, `([...document.querySelectorAll("#fy-notices .fy-notice")].find(n => n.textContent.includes("Removed machine")).querySelector("button").click(), true)`)
	waitGeneration(t, ctx, g)
	spec = savedSpec(t, ctx, `"electrum"`)
	if got := strs(at(spec, "users", 0, "machines")); !slices.Equal(got, []string{"electrumx", "electrum", "blackphos"}) {
		t.Errorf("after undoing the removal, users[0].machines = %q", got)
	}
	if n := len(at(spec, "machines").([]any)); n != len(at(removed, "machines").([]any))+1 {
		t.Errorf("after undoing the removal there are %d machines", n)
	}
	if got := pgEval[string](t, ctx, `(document.querySelector('[data-path="machines[1].name"]') || {}).value || ""`); got != "electrum" {
		t.Errorf("after undoing, the form's second machine is %q, want electrum", got)
	}
	// Removing it again, for the screenshots as before.
	g = generation(t, ctx)
	jsClick(t, ctx, `[data-path="machines[1]"] .fy-remove`)
	waitGeneration(t, ctx, g)
	shots(t, ctx, "form-renamed", func(screen) {
		pgEval[bool](t, ctx, `(document.querySelector('[data-path="users[0].machines"]').scrollIntoView({block: "center"}), true)`)
	})
	p.AssertClean(t)
}

// TestPlaygroundFormDiagnostics: every diagnostic with a path is shown in
// the form at its field (aria-invalid and aria-describedby for errors), or
// at the nearest part of the form that holds it; a machine name that is no
// machine shows as a ticked, invalid box that unticking removes.
func TestPlaygroundFormDiagnostics(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the form", `document.querySelector('[data-path="machines[0].name"]')`, 10*time.Second)

	var spec map[string]any
	if err := json.Unmarshal([]byte(readSpec(t, "seed")), &spec); err != nil {
		t.Fatal(err)
	}
	// A reference to a machine that does not exist, a name gen refuses (so
	// users[0]'s reference to electrum dangles too), and a field the form
	// has no control for.
	u1 := at(spec, "users", 1).(map[string]any)
	u1["machines"] = []any{"blackphos", "ghost"}
	at(spec, "machines", 1).(map[string]any)["name"] = "Electrum"
	at(spec, "vars", 0).(map[string]any)["prompts"] = []any{map[string]any{"name": "token", "type": "loud"}}
	bad, _ := json.MarshalIndent(spec, "", "  ")
	g := generation(t, ctx)
	replaceEditor(t, ctx, string(bad))
	waitGeneration(t, ctx, g)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-tab-form"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "messages in the form", `document.querySelector("#fy-panel-form [data-diag]")`, 10*time.Second)

	type diag struct{ Path, Msg, Sev string }
	diags := pgEval[[]diag](t, ctx, `[...document.querySelectorAll("#fy-panel-diags .fy-diag")].map(li => ({Path: (li.querySelector(".fy-diag-path") || {}).textContent || "", Msg: li.querySelector(".fy-diag-msg").textContent, Sev: li.querySelector(".fy-sev").textContent}))`)
	paths := map[string]bool{}
	for _, d := range diags {
		paths[d.Path] = true
	}
	for _, want := range []string{"users[1].machines[1]", "machines[1].name", "users[0].machines[1]", "vars[0].prompts[0].type"} {
		if !paths[want] {
			t.Errorf("gen gave no diagnostic at %s (the test's premise); got %v", want, diags)
		}
	}
	shown := pgEval[string](t, ctx, `[...document.querySelectorAll("#fy-panel-form [data-diag]")].map(e => e.textContent).join("\n")`)
	for _, d := range diags {
		if d.Path == "" {
			continue
		}
		if !strings.Contains(shown, d.Msg) {
			t.Errorf("diagnostic at %s (%q) is not shown in the form; the form shows:\n%s", d.Path, d.Msg, shown)
		}
	}
	// Errors at a control: aria-invalid, and the message is its description.
	for _, path := range []string{"machines[1].name", "users[1].machines[1]", "users[0].machines[1]"} {
		got := pgEval[string](t, ctx, `(() => {
		  const e = document.querySelector('#fy-panel-form [data-path="`+path+`"]');
		  if (!e) return "no control";
		  const ids = (e.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
		  const text = ids.map(id => (document.getElementById(id) || {}).textContent || "").join(" ");
		  return e.getAttribute("aria-invalid") + "|" + text;
		})()`)
		var msg string
		for _, d := range diags {
			if d.Path == path {
				msg = d.Msg
			}
		}
		if !strings.HasPrefix(got, "true|") || !strings.Contains(got, msg) {
			t.Errorf("%s: aria-invalid|description = %q, want true and %q", path, got, msg)
		}
	}
	// The unknown machine: a ticked, labelled box.
	ghost := `[data-path="users[1].machines"] input[data-machine="ghost"]`
	if got := pgEval[string](t, ctx, `(() => { const b = document.querySelector('`+ghost+`'); return b ? b.checked + "|" + document.querySelector('label[for="' + b.id + '"]').textContent : "none" })()`); !strings.HasPrefix(got, "true|") || !strings.Contains(got, "not a machine") {
		t.Errorf("the ghost box: %q", got)
	}
	// A field without a control: shown at its generator, with its path.
	if got := pgEval[string](t, ctx, `(document.querySelector('[data-path="vars[0]"] [data-diag]') || {}).textContent || ""`); !strings.Contains(got, "vars[0].prompts[0].type") {
		t.Errorf("the prompt type's message at the generator's row: %q", got)
	}
	shots(t, ctx, "form-diagnostics", func(screen) {
		pgEval[bool](t, ctx, `(document.querySelector('`+ghost+`').scrollIntoView({block: "center"}), true)`)
	})

	// Unticking the ghost removes it, and its message goes.
	g = generation(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(ghost))); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, g)
	got := savedSpec(t, ctx, `"Electrum"`)
	if m := strs(at(got, "users", 1, "machines")); !slices.Equal(m, []string{"blackphos"}) {
		t.Errorf("after unticking ghost, users[1].machines = %q", m)
	}
	pgWait(t, ctx, "the ghost box to go", `!document.querySelector('`+ghost+`')`, 5*time.Second)
	if pgEval[bool](t, ctx, `document.activeElement === document.body`) {
		t.Error("unticking the unknown machine dropped focus to <body>")
	}
	if strings.Contains(pgEval[string](t, ctx, `document.getElementById("fy-panel-form").textContent`), `"ghost"`) {
		t.Error("the form still mentions ghost")
	}
	p.AssertClean(t)
}

// seedDiagnosticsOnly holds once the diagnostics panel lists only what the
// seed example itself draws: the warning that cinnabar's targetHost,
// root@cinnabar.zt, is in the clan domain, which nothing resolves (a
// reference left dangling by a rename would be an error).
const seedDiagnosticsOnly = `(() => {
  const d = [...document.querySelectorAll("#fy-panel-diags .fy-diag")];
  return d.length === 1 && d[0].classList.contains("fy-warning") &&
    d[0].querySelector(".fy-diag-path")?.textContent === "machines[0].targetHost";
})()`

// TestPlaygroundZerotierWithoutController: with no controller there is no
// zerotier network (the generator leaves it out), and the form's "peer"
// says so instead of looking like a working membership.
func TestPlaygroundZerotierWithoutController(t *testing.T) {
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the form", `document.querySelector('[data-path="machines[0].zerotier"]')`, 10*time.Second)
	label := func() string {
		return pgEval[string](t, ctx, `(() => { const s = document.querySelector('[data-path="machines[1].zerotier"]'); return s.options[s.selectedIndex].textContent })()`)
	}
	if got := label(); got != "peer" {
		t.Errorf("with cinnabar the controller, electrum's ZeroTier shows %q", got)
	}
	g := generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.querySelector('[data-path="machines[0].zerotier"]'); s.value = "peer"; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`)
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "the peer marked off", `(() => { const s = document.querySelector('[data-path="machines[1].zerotier"]'); return s.options[s.selectedIndex].textContent === "peer (off: no controller)" })()`, 5*time.Second)
	if pgEval[bool](t, ctx, `!!document.querySelector('.fy-file-btn[data-path="modules/clan/inventory/services/zerotier.nix"]:not(.fy-removed)')`) {
		t.Error("without a controller the zerotier service is still generated")
	}
	p.AssertClean(t)
}
