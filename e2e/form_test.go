package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/gen"
)

// The form takes its choices and defaults from the JSON Schema the worker
// hands over (gen.Schema); these tests hold it to the schema, and check
// that without the schema the form still edits the spec.

// schemaField returns the schema of a field, walking gen.Schema() by
// property names ("[]" steps into items).
func schemaField(t *testing.T, path ...string) map[string]any {
	t.Helper()
	var n map[string]any
	if err := json.Unmarshal(gen.Schema(), &n); err != nil {
		t.Fatal(err)
	}
	for _, k := range path {
		var next any
		if k == "[]" {
			next = n["items"]
		} else if props, ok := n["properties"].(map[string]any); ok {
			next = props[k]
		}
		m, ok := next.(map[string]any)
		if !ok {
			t.Fatalf("gen.Schema has no %s", strings.Join(path, "."))
		}
		n = m
	}
	return n
}

func schemaEnum(field map[string]any) []string {
	var out []string
	for _, v := range field["enum"].([]any) {
		out = append(out, v.(string))
	}
	return out
}

// TestPlaygroundFormSchema: every choice in the form offers exactly the
// values the schema allows (a field without an enum is a text field), and
// an unset field shows the schema's default.
func TestPlaygroundFormSchema(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the schema", `document.getElementById("fy-pg").dataset.schema === "loaded"`, 5*time.Second)

	// The seed example: two nixos machines and a darwin one (machines[2]),
	// every choice set, so none offers "(not set)".
	for _, c := range []struct {
		control string   // data-path in the form
		schema  []string // the field in gen.Schema
		suffix  string   // only enum values ending so (systems of the machine's class)
		without string   // an enum value the machine's class rules exclude
	}{
		{"machines[0].class", []string{"machines", "[]", "class"}, "", ""},
		{"machines[0].system", []string{"machines", "[]", "system"}, "-linux", ""},
		{"machines[2].system", []string{"machines", "[]", "system"}, "-darwin", ""},
		{"machines[0].zerotier", []string{"machines", "[]", "zerotier"}, "", ""},
		// gen.Schema's class rules: a Mac is never the zerotier controller.
		{"machines[2].zerotier", []string{"machines", "[]", "zerotier"}, "", "controller"},
		{"machines[0].disk.layout", []string{"machines", "[]", "disk", "layout"}, "", ""},
		{"machines[0].hetzner.location", []string{"machines", "[]", "hetzner", "location"}, "", ""},
		{"machines[2].darwin.networking", []string{"machines", "[]", "darwin", "networking"}, "", ""},
		{"users[0].shell", []string{"users", "[]", "shell"}, "", ""},
	} {
		t.Run(c.control, func(t *testing.T) {
			field := schemaField(t, c.schema...)
			sel := jsString(`[data-path="` + c.control + `"]`)
			tag := pgEval[string](t, ctx, `(document.querySelector(`+sel+`) || {tagName: "none"}).tagName`)
			if _, hasEnum := field["enum"]; !hasEnum {
				if tag != "INPUT" {
					t.Errorf("no enum in the schema, so a text field; the form has %s", tag)
				}
				return
			}
			if tag != "SELECT" {
				t.Fatalf("the schema has an enum, so a select; the form has %s", tag)
			}
			var want []string
			for _, v := range schemaEnum(field) {
				if strings.HasSuffix(v, c.suffix) && v != c.without {
					want = append(want, v)
				}
			}
			got := pgEval[[]string](t, ctx, `[...document.querySelector(`+sel+`).options].map(o => o.value)`)
			if !slices.Equal(got, want) {
				t.Errorf("options %q, want %q (from gen.Schema)", got, want)
			}
		})
	}
	shot(t, ctx, "playground-form-schema")

	// A list whose items the schema enumerates (a hotfix's platforms) is one
	// checkbox per value, in schema order, ticked as the seed lists them
	// (darwin only); a click writes the list in schema order.
	t.Run("overlays.hotfixes[0].platforms", func(t *testing.T) {
		box := jsString(`[data-path="overlays.hotfixes[0].platforms"]`)
		var want, wantAfter []string
		for _, v := range schemaEnum(schemaField(t, "overlays", "hotfixes", "[]", "platforms", "[]")) {
			mark := ""
			if v == "darwin" {
				mark = " (ticked)"
			}
			want = append(want, v+mark)
			wantAfter = append(wantAfter, v)
		}
		got := pgEval[[]string](t, ctx, `[...document.querySelector(`+box+`).querySelectorAll("input[type=checkbox]")].map(i => i.dataset.value + (i.checked ? " (ticked)" : ""))`)
		if !slices.Equal(got, want) {
			t.Fatalf("checkboxes %q, want %q (from gen.Schema and the seed)", got, want)
		}
		jsClick(t, ctx, `[data-path="overlays.hotfixes[0].platforms"] input[data-value="linux"]`)
		pgWait(t, ctx, "autosave of the platforms", `(() => { try { return JSON.parse(localStorage.getItem("fleetyard:playground:spec")).overlays.hotfixes[0].platforms.join() === `+jsString(strings.Join(wantAfter, ","))+` } catch { return false } })()`, 5*time.Second)
		pgEval[bool](t, ctx, `(() => { document.querySelector(`+box+`).closest("details").open = true; return true })()`)
		time.Sleep(200 * time.Millisecond) // the section lays out once open
		pgEval[bool](t, ctx, `(() => { document.querySelector(`+box+`).scrollIntoView({block: "center"}); return true })()`)
		shotViewport(t, ctx, "playground-form-platforms") // a full-page shot would lay the form out anew
	})

	// The minimal example leaves most fields unset: the form shows their defaults.
	g := generation(t, ctx)
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "the minimal example in the form", `document.querySelector('[data-path="name"]').value === "minimal"`, 5*time.Second)
	for _, c := range []struct {
		control string
		schema  []string
	}{
		{"machines[0].zerotier", []string{"machines", "[]", "zerotier"}},
		{"machines[0].disk.layout", []string{"machines", "[]", "disk", "layout"}},
		{"checks.nixUnit", []string{"checks", "nixUnit"}},
		{"checks.performance", []string{"checks", "performance"}},
	} {
		want := fmt.Sprint(schemaField(t, c.schema...)["default"])
		got := pgEval[string](t, ctx, `(() => { const e = document.querySelector(`+jsString(`[data-path="`+c.control+`"]`)+`); return e.type === "checkbox" ? String(e.checked) + (e.indeterminate ? " (indeterminate)" : "") : e.value })()`)
		if got != want {
			t.Errorf("unset %s shows %q, want the schema default %q", c.control, got, want)
		}
	}
	// A new cloud server spells out the schema's defaults.
	g = generation(t, ctx)
	jsClick(t, ctx, `input[data-path="machines[0].hetzner"]`)
	waitGeneration(t, ctx, g)
	var spec struct {
		Machines []struct{ Hetzner map[string]any }
	}
	pgWait(t, ctx, "autosave of the cloud server", `(localStorage.getItem("fleetyard:playground:spec") || "").includes("hetzner")`, 5*time.Second)
	if err := json.Unmarshal([]byte(pgEval[string](t, ctx, `localStorage.getItem("fleetyard:playground:spec")`)), &spec); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"enabled", "serverType", "location"} {
		want := schemaField(t, "machines", "[]", "hetzner", k)["default"]
		if len(spec.Machines) == 0 || spec.Machines[0].Hetzner[k] != want {
			t.Errorf("new hetzner.%s = %v, want the schema default %v", k, spec.Machines, want)
		}
	}
	if !pgEval[bool](t, ctx, `document.querySelector('input[data-path="machines[0].hetzner.enabled"]').checked`) {
		t.Error("the new server is not shown enabled")
	}
	p.AssertClean(t)
}

// TestPlaygroundFormWithoutSchema: in a browser without WebAssembly the
// generator never comes, and when the published schema cannot be fetched
// either (offline, a proxy), the form still edits the spec: choices are
// text fields, unset checkboxes are indeterminate, and nothing reaches the
// console.
func TestPlaygroundFormWithoutSchema(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete globalThis.WebAssembly;
		const realFetch = globalThis.fetch;
		globalThis.fetch = (input, init) => String(input instanceof Request ? input.url : input).includes("/schema/") ? Promise.reject(new TypeError("offline")) : realFetch(input, init);`}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	pgWait(t, ctx, "the schema to be unavailable", `document.getElementById("fy-pg").dataset.schema === "unavailable"`, 10*time.Second)
	pgWait(t, ctx, "the form", `document.querySelector('[data-path="users[0].shell"]')`, 5*time.Second)
	if tag := pgEval[string](t, ctx, `document.querySelector('[data-path="machines[0].zerotier"]').tagName + ":" + document.querySelector('[data-path="machines[0].zerotier"]').value`); tag != "INPUT:controller" {
		t.Errorf("machines[0].zerotier without the schema: %s, want a text field holding controller", tag)
	}
	if tag := pgEval[string](t, ctx, `document.querySelector('[data-path="overlays.hotfixes[0].platforms"]').tagName`); tag != "INPUT" {
		t.Errorf("overlays.hotfixes[0].platforms without the schema: %s, want a comma-separated text field", tag)
	}
	setField(t, ctx, `[data-path="users[0].shell"]`, "bash")
	pgWait(t, ctx, "autosave of the edit", `(localStorage.getItem("fleetyard:playground:spec") || "").includes('"shell": "bash"')`, 5*time.Second)
	// The minimal example sets no checks; with no default read, the form
	// says neither on nor off.
	pgEval[bool](t, ctx, `(() => { const s = document.getElementById("fy-example"); s.value = "minimal"; s.dispatchEvent(new Event("change")); return true })()`)
	pgWait(t, ctx, "the minimal example in the form", `document.querySelector('[data-path="name"]').value === "minimal"`, 5*time.Second)
	if !pgEval[bool](t, ctx, `document.querySelector('[data-path="checks.nixUnit"]').indeterminate`) {
		t.Error("unset checks.nixUnit without the schema is not indeterminate")
	}
	if ph := pgEval[string](t, ctx, `document.querySelector('[data-path="domain"]').placeholder`); ph != "" {
		t.Errorf("without the schema the domain field claims the default %q", ph)
	}
	if pgEval[string](t, ctx, `document.getElementById("fy-load-text").textContent`) == "" {
		t.Error("the page does not say why the generator is missing")
	}
	shot(t, ctx, "playground-form-no-schema")
	p.AssertClean(t)
}
