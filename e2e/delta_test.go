package e2e

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/fileid"
)

// TestPlaygroundDeltaEdits: the worker answers each keystroke with only what
// changed and the page merges it (static/ts/genstream.ts). After a sequence
// of edits (fast typing whose requests overtake their answers, a machine
// added, the JSON broken and fixed, the fleet renamed, a machine removed and
// Hetzner toggled) the page's file list after every step, and at the end
// every file's SHA-256 and the text of a few files, are what Go generates
// from scratch for the same spec with the page's entropy and time.
func TestPlaygroundDeltaEdits(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	viewport(t, ctx, desktop.w, desktop.h, false)
	openPlayground(t, ctx, "")
	entropyHex := pgEval[string](t, ctx, `document.getElementById("fy-reproduce").dataset.entropy`)
	stamp := pgEval[string](t, ctx, `document.getElementById("fy-reproduce").dataset.time`)
	entropy, err := hex.DecodeString(entropyHex)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		t.Fatal(err)
	}

	// Fast typing in the form: six keystrokes without waiting, so requests
	// are sent while earlier ones are still being answered.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-tab-form"))); err != nil {
		t.Fatal(err)
	}
	pgEval[bool](t, ctx, `(() => { const e = document.querySelector('input[data-path="name"]'); e.focus(); e.setSelectionRange(e.value.length, e.value.length); return true })()`)
	for _, k := range "uvwxyz" {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(string(k))); err != nil {
			t.Fatal(err)
		}
	}
	pgWait(t, ctx, "the typed name in the output", `document.getElementById("fy-pg").dataset.ok === "true" && document.getElementById("fy-status").textContent.includes("files")
	  && document.querySelector('input[data-path="name"]').value === "test-clanuvwxyz"`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // let the last answer land

	var doc map[string]any
	if err := json.Unmarshal([]byte(readSpec(t, "seed")), &doc); err != nil {
		t.Fatal(err)
	}
	edit := func(what string, change func(d map[string]any)) string {
		if change != nil {
			change(doc)
		}
		b, _ := json.MarshalIndent(doc, "", "  ")
		return string(b) + "\n"
	}
	machines := func(d map[string]any) []any { return d["machines"].([]any) }
	steps := []struct{ what, text string }{
		{"a machine added", edit("add", func(d map[string]any) {
			d["name"] = "test-clanuvwxyz"
			d["machines"] = append(machines(d), map[string]any{"name": "newbox", "class": "nixos"})
		})},
		{"broken JSON", `{"version": 1, "name": "test-clan`},
		{"the fleet renamed, another machine added", edit("rename", func(d map[string]any) {
			d["name"] = "renamed-fleet"
			d["description"] = "Edited in small steps."
			d["machines"] = append(machines(d), map[string]any{"name": "otherbox", "class": "nixos"})
		})},
		{"a machine removed, Hetzner toggled", edit("remove", func(d map[string]any) {
			ms := machines(d)
			d["machines"] = ms[:len(ms)-1] // otherbox goes, and its files with it
			h := machines(d)[0].(map[string]any)["hetzner"].(map[string]any)
			on, _ := h["enabled"].(bool)
			h["enabled"] = !on
		})},
	}
	var want []gen.File
	for _, s := range steps {
		g := generation(t, ctx)
		replaceEditor(t, ctx, s.text)
		waitGeneration(t, ctx, g)
		if pgEval[string](t, ctx, `document.getElementById("fy-pg").dataset.ok`) != "true" {
			continue
		}
		// After every valid step the tree lists what Go generates.
		want = goFiles(t, s.text, entropy, tm)
		var wantPaths []string
		for _, f := range want {
			wantPaths = append(wantPaths, f.Path)
		}
		got := pgEval[[]string](t, ctx, `[...document.querySelectorAll(".fy-file-btn")].filter(b => b.dataset.badge !== "removed").map(b => b.dataset.path)`)
		if strings.Join(got, "\n") != strings.Join(wantPaths, "\n") {
			t.Fatalf("after %s the file tree differs from a fresh generation:\n got %d: %v\nwant %d: %v", s.what, len(got), got, len(wantPaths), wantPaths)
		}
	}
	if pgEval[string](t, ctx, `document.getElementById("fy-pg").dataset.ok`) != "true" {
		t.Fatal("the last step did not generate")
	}
	// Every file's ID, as the preview shows it, and the text of a few.
	texts := map[string]bool{"modules/clan/meta.nix": true, "modules/machines/nixos/newbox/default.nix": true, ".gitignore": true, "modules/clan/inventory/machines.nix": true}
	for _, f := range want {
		jsClick(t, ctx, `.fy-file-btn[data-path=`+jsString(f.Path)+`]`)
		pgWait(t, ctx, f.Path+" in the preview", `document.getElementById("fy-preview-title").textContent === `+jsString(f.Path), 5*time.Second)
		if got, want := pgEval[string](t, ctx, `document.querySelector("#fy-preview .fy-preview-body").dataset.fileId`), fileid.Of(f.Data); got != want {
			t.Errorf("%s: the page holds ID %s, a fresh generation %s", f.Path, got, want)
		}
		if texts[f.Path] {
			shown := pgEval[string](t, ctx, `[...document.querySelectorAll("#fy-preview .cm-line")].map(l => l.textContent).join("\n")`)
			if shown != string(f.Data) { // CodeMirror shows the final newline as an empty last line
				t.Errorf("%s: the preview shows\n%s\nwant\n%s", f.Path, shown, f.Data)
			}
		}
	}
	p.AssertClean(t)
}
