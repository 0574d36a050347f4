package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// cmGatedSite holds back every script that carries CodeMirror's view (the
// chunks lazycm.ts imports) until release is called (heldServer).
func cmGatedSite(t *testing.T) (url string, release func()) {
	return heldServer(t, func(p string) bool {
		if !strings.HasPrefix(p, "/assets/chunk.") || !strings.HasSuffix(p, ".js") {
			return false
		}
		b, err := os.ReadFile(filepath.Join(publicDir, filepath.FromSlash(p)))
		return err == nil && strings.Contains(string(b), "cm-scroller")
	})
}

// TestEditorBeforeCodeMirror: until CodeMirror is in, the preview shows the
// generated files as plain numbered lines and the fleet.json tab a plain
// text area. What is typed there is the spec (the preview follows it),
// private key material is refused there too, and when CodeMirror arrives
// its editor takes the text over, nothing lost.
func TestEditorBeforeCodeMirror(t *testing.T) {
	requireBuilt(t, "playground")
	url, release := cmGatedSite(t)
	ctx, p := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, 0)
	pgWait(t, ctx, "flake.nix as plain lines", `!!document.querySelector("#fy-preview .fy-plain") && `+previewTextJS+`.includes("flake-parts")`, 10*time.Second)
	if pgEval[bool](t, ctx, `!!document.querySelector(".cm-editor")`) {
		t.Fatal("a CodeMirror view exists though CodeMirror is held back")
	}
	shot(t, ctx, "playground-before-codemirror")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-tab-json")), chromedp.WaitVisible(chromedp.CSS("#fy-panel-json textarea.fy-editor-plain"))); err != nil {
		t.Fatalf("the fleet.json tab: %v", err)
	}
	if got := pgEval[string](t, ctx, `document.querySelector("#fy-panel-json textarea").value`); !strings.Contains(got, `"name": "test-clan"`) {
		t.Fatalf("the text area does not hold the spec: %.200q", got)
	}
	var spec map[string]any
	if err := json.Unmarshal([]byte(readSpec(t, "seed")), &spec); err != nil {
		t.Fatal(err)
	}
	spec["description"] = "Typed before CodeMirror came."
	text, _ := json.MarshalIndent(spec, "", "  ")
	g := generation(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#fy-panel-json textarea")), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: string(text)}); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, g)
	pgWait(t, ctx, "the typed description in flake.nix", previewTextJS+`.includes("Typed before CodeMirror came.")`, 10*time.Second)
	shot(t, ctx, "playground-editor-stand-in")

	// A private key typed (pasted) into the stand-in is refused like in the editor.
	before := pgEval[string](t, ctx, `document.querySelector("#fy-panel-json textarea").value`)
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"}); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the refusal", `document.getElementById("fy-notices").textContent.includes("private key")`, 5*time.Second)
	if got := pgEval[string](t, ctx, `document.querySelector("#fy-panel-json textarea").value`); got != before {
		t.Errorf("the text area kept the refused text: %d bytes, want %d", len(got), len(before))
	}

	release()
	pgWait(t, ctx, "CodeMirror's editor in the tab", `!document.querySelector("#fy-panel-json textarea.fy-editor-plain") && !!document.querySelector("#fy-panel-json .cm-content")`, 15*time.Second)
	got := pgEval[string](t, ctx, `[...document.querySelectorAll("#fy-panel-json .cm-line")].map(l => l.textContent).join("\n")`)
	if !strings.Contains(got, "Typed before CodeMirror came.") || strings.Contains(got, "AGE-SECRET-KEY") {
		t.Errorf("CodeMirror's editor does not hold what was typed before it came: %.300q", got)
	}
	pgWait(t, ctx, "the preview's CodeMirror", `!!document.querySelector("#fy-preview .cm-content") && !document.querySelector("#fy-preview .fy-plain")`, 10*time.Second)
	shot(t, ctx, "playground-after-codemirror")
	consoleClean(t, p)
}
