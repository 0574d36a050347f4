package e2e

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/internal/sharelink"
)

// Issue 13 item 1: a private key must not get into the spec through any
// door (every form field, the JSON editor, import, drop, a share link, the
// autosave), and so not into the DOM, the URL, localStorage, the share
// link, fleet.json or the archives.

// keyTrace is what identifies a private key wherever it ends up: 20-character
// runs of its base64 body that do not also occur in the public key (an
// OpenSSH private key file embeds its public key, which the page may show).
type keyTrace []string

func newKeyTrace(t *testing.T, priv, pub string) keyTrace {
	t.Helper()
	var body strings.Builder
	for _, l := range strings.Split(priv, "\n") {
		if !strings.HasPrefix(l, "-----") {
			body.WriteString(strings.TrimSpace(l))
		}
	}
	b := body.String()
	if len(b) < 40 {
		t.Fatalf("private key fixture too short: %d", len(b))
	}
	var tr keyTrace
	for i := 0; i+20 <= len(b); i += 10 {
		if c := b[i : i+20]; !strings.Contains(pub, c) {
			tr = append(tr, c)
		}
	}
	return append(tr, "BEGIN OPENSSH PRIVATE KEY")
}

// in returns the first trace found in text (whitespace removed, since
// fields and archives may wrap or re-indent it), or "".
func (tr keyTrace) in(text string) string {
	flat := strings.NewReplacer("\n", "", "\r", "", " ", "", `\n`, "").Replace(text)
	for _, c := range tr {
		if strings.Contains(flat, strings.ReplaceAll(c, " ", "")) {
			return c
		}
	}
	return ""
}

// pageText is everything the page itself could hold the key in: the DOM,
// every control's value, both storages and the address.
const pageText = `document.documentElement.outerHTML
  + "\n" + [...document.querySelectorAll("input, textarea, select")].map(e => e.value).join("\n")
  + "\n" + Object.keys(localStorage).map(k => k + "=" + localStorage.getItem(k)).join("\n")
  + "\n" + Object.keys(sessionStorage).map(k => k + "=" + sessionStorage.getItem(k)).join("\n")
  + "\n" + location.href`

func assertPageClean(t *testing.T, ctx context.Context, tr keyTrace, when string) {
	t.Helper()
	if c := tr.in(pgEval[string](t, ctx, pageText)); c != "" {
		shot(t, ctx, "fail-"+strings.ReplaceAll(t.Name(), "/", "-"))
		t.Fatalf("%s: private key material %q is in the page (DOM, values, storage or URL)", when, c)
	}
}

// allowDownloads sends the tab's downloads to a fresh directory.
func allowDownloads(t *testing.T, ctx context.Context) string {
	t.Helper()
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	return dl
}

// waitFile waits for a completed download called name.
func waitFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last []byte
	for time.Now().Before(deadline) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil && len(data) > 0 && bytes.Equal(data, last) {
			return data
		}
		last = data
		time.Sleep(200 * time.Millisecond)
	}
	names, _ := os.ReadDir(dir)
	t.Fatalf("no download %s in %s (have %v)", name, dir, names)
	return nil
}

// archiveText is every file of a .tar.gz or .zip, decompressed, concatenated.
func archiveText(t *testing.T, name string, data []byte) string {
	t.Helper()
	var b strings.Builder
	n := 0
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(&b, rc)
			rc.Close()
			n++
		}
	} else {
		gz, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if h.Typeflag == tar.TypeReg {
				io.Copy(&b, tr)
				n++
			}
		}
	}
	if n < 10 {
		t.Fatalf("%s holds only %d files: not a real export", name, n)
	}
	return b.String()
}

// TestGuardPrivateKeyEveryField pastes an OpenSSH private key into every
// free-text field of the form (enumerated from the DOM, with a row added to
// every list so each kind of field exists), both as a real paste event and
// as a plain input (autofill, drag, IME), then through the JSON editor, the
// import button and a file drop. Each field must be refused and emptied of
// it, with a message that reads; afterwards no trace of the key may be in
// the DOM, the field values, storage, the URL, the share link, the
// downloaded fleet.json or either archive.
func TestGuardPrivateKeyEveryField(t *testing.T) {
	requireBuilt(t, "playground")
	dir := fixturesDir(t)
	privB, _ := os.ReadFile(filepath.Join(dir, "alice"))
	pubB, _ := os.ReadFile(filepath.Join(dir, "alice.pub"))
	priv, pub := string(privB), string(pubB)
	tr := newKeyTrace(t, priv, pub)

	ctx, p := newTab(t)
	dl := allowDownloads(t, ctx)
	// A headless tab has no window focus, so focusing a field fires no focus
	// events; emulate a focused page, as a user's is.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	openPlayground(t, ctx, "")
	pgWait(t, ctx, "the schema-driven form", `document.getElementById("fy-pg").dataset.schema === "loaded" && document.querySelector('#fy-panel-form [data-path="name"]')`, 10*time.Second)

	// Every section open, and one more row in every list, so every kind of
	// field is on the page.
	pgEval[bool](t, ctx, `(document.querySelectorAll("#fy-panel-form details").forEach(d => d.open = true), true)`)
	time.Sleep(100 * time.Millisecond)
	adds := pgEval[int](t, ctx, `document.querySelectorAll("#fy-panel-form .fy-add").length`)
	if adds < 8 {
		t.Fatalf("only %d Add buttons in the form", adds)
	}
	for i := 0; i < adds; i++ {
		pgEval[bool](t, ctx, fmt.Sprintf(`(document.querySelectorAll("#fy-panel-form .fy-add")[%d].click(), true)`, i))
	}
	paths := pgEval[[]string](t, ctx, `[...new Set([...document.querySelectorAll('#fy-panel-form input[type="text"], #fy-panel-form input:not([type]), #fy-panel-form textarea')].map(e => e.dataset.path).filter(Boolean))]`)
	if len(paths) < 40 {
		t.Fatalf("only %d free-text fields found: %v", len(paths), paths)
	}
	want := map[string]bool{"description": false, "machines[0].description": false, "users[0].sshKeys": false, "vars[0].script": false, "overlays.flakeOverlays[0].url": false, "admins[0].ageKeys": false}
	for _, pth := range paths {
		if _, ok := want[pth]; ok {
			want[pth] = true
		}
	}
	for pth, seen := range want {
		if !seen {
			t.Errorf("field %s is not among the enumerated fields", pth)
		}
	}
	t.Logf("%d free-text fields", len(paths))

	// First one field alone, as a user meets it: refused, restored, said.
	desc := `#fy-panel-form [data-path="machines[0].description"]`
	pasteInto(t, ctx, desc, priv)
	pgEval[bool](t, ctx, `(document.querySelector('`+desc+`').scrollIntoView({block: "center"}), true)`)
	shotVariants(t, ctx, "guard-field-refused", false)

	for _, pth := range paths {
		sel := `#fy-panel-form [data-path="` + pth + `"]`
		for _, how := range []string{"paste", "input"} {
			before := pgEval[string](t, ctx, `document.querySelector('`+sel+`').value`)
			if how == "paste" {
				pasteInto(t, ctx, sel, priv)
			} else {
				setField(t, ctx, sel, priv)
			}
			got := pgEval[string](t, ctx, `document.querySelector('`+sel+`').value`)
			if c := tr.in(got); c != "" || strings.Contains(got, "PRIVATE KEY") {
				t.Fatalf("%s (%s): the field still holds the key after the refusal: %.80q", pth, how, got)
			}
			// A refused paste never changes the field; a value that got in
			// some other way is replaced by the field's last clean value
			// (taken when it was focused).
			if got != before {
				t.Errorf("%s (%s): the field holds %q after the refusal, want its value before the paste %q", pth, how, got, before)
			}
			msg := pgEval[string](t, ctx, `(() => { const el = document.querySelector('`+sel+`'); const box = el.closest(".fy-keys") || el.closest(".fy-field"); const m = box && box.querySelector(".fy-refusal"); return m ? m.textContent : "" })()`)
			if !strings.Contains(msg, "private key") || !strings.Contains(msg, "cleared") {
				t.Errorf("%s (%s): no refusal next to the field (got %q)", pth, how, msg)
			}
		}
	}
	waitGeneration(t, ctx, 0)
	time.Sleep(500 * time.Millisecond) // autosave's debounce and any regeneration
	assertPageClean(t, ctx, tr, "after every form field")

	// The JSON editor: a valid spec with the whole key in its description.
	// (The rows added above are incomplete, so the spec has errors; the
	// seed is put back first, so the downloads below are on.)
	seed := readSpec(t, "seed")
	g := generation(t, ctx)
	replaceEditor(t, ctx, seed)
	waitGeneration(t, ctx, g)
	withKey := strings.Replace(seed, `"version": 1,`, `"version": 1, "description": `+jsString(priv)+`,`, 1)
	if withKey == seed {
		t.Fatal("could not place the key in the spec text")
	}
	replaceEditor(t, ctx, withKey)
	time.Sleep(400 * time.Millisecond)
	assertPageClean(t, ctx, tr, "after the JSON editor")

	// Import (the file picker) and a file dropped on the page.
	f := filepath.Join(t.TempDir(), "fleet-with-key.json")
	os.WriteFile(f, []byte(withKey), 0o644)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#fy-import-file"), []string{f})); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the import refusal", `[...document.querySelectorAll("#fy-notices .fy-notice")].some(n => n.textContent.includes("private key"))`, 5*time.Second)
	pgEval[bool](t, ctx, `(() => { const dt = new DataTransfer(); dt.items.add(new File([`+jsString(withKey)+`], "dropped.json", {type: "application/json"}));
	  document.getElementById("fy-pg").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); return true })()`)
	time.Sleep(600 * time.Millisecond)
	assertPageClean(t, ctx, tr, "after import and drop")
	if pgEval[bool](t, ctx, `document.querySelector('#fy-panel-form [data-path="description"]').value.includes("BEGIN")`) {
		t.Error("an import put the key into the form")
	}

	// The sinks: share link, fleet.json, both archives.
	jsClick(t, ctx, "#fy-share")
	pgWait(t, ctx, "the share link", `document.getElementById("fy-share-url")`, 10*time.Second)
	link := pgEval[string](t, ctx, `document.getElementById("fy-share-url").value`)
	spec, err := sharelink.Decode(link[strings.Index(link, "#fleet=")+len("#fleet="):])
	if err != nil {
		t.Fatalf("share link %q: %v", link, err)
	}
	if c := tr.in(string(spec)); c != "" {
		t.Errorf("the share link's spec holds private key material %q", c)
	}
	assertPageClean(t, ctx, tr, "after sharing")
	jsClick(t, ctx, "#fy-export-json")
	if c := tr.in(string(waitFile(t, dl, "fleet.json"))); c != "" {
		t.Errorf("the downloaded fleet.json holds private key material %q", c)
	}
	var s struct{ Name string }
	json.Unmarshal(spec, &s)
	for _, c := range []struct{ btn, ext string }{{"#fy-export-tar", "tar.gz"}, {"#fy-export-zip", "zip"}} {
		pgWait(t, ctx, c.ext+" enabled", `!document.querySelector("`+c.btn+`").disabled`, 10*time.Second)
		jsClick(t, ctx, c.btn)
		name := s.Name + "." + c.ext
		if hit := tr.in(archiveText(t, name, waitFile(t, dl, name))); hit != "" {
			t.Errorf("%s holds private key material %q", name, hit)
		}
	}
	p.AllowConsole("private")
	p.AssertClean(t)
}

// TestGuardPrivateKeyLinkAndAutosave: a share link carrying a private key is
// refused and removed from the address bar; an autosave holding one (left
// by an older version, or edited by hand) is deleted instead of restored,
// and a saved fleet holding one never appears under Restore previous.
func TestGuardPrivateKeyLinkAndAutosave(t *testing.T) {
	requireBuilt(t, "playground")
	dir := fixturesDir(t)
	privB, _ := os.ReadFile(filepath.Join(dir, "alice"))
	pubB, _ := os.ReadFile(filepath.Join(dir, "alice.pub"))
	tr := newKeyTrace(t, string(privB), string(pubB))
	withKey := strings.Replace(readSpec(t, "minimal"), `"version": 1,`, `"version": 1, "description": `+jsString(string(privB))+`,`, 1)
	frag, err := sharelink.Encode([]byte(withKey))
	if err != nil {
		t.Fatal(err)
	}

	ctx, p := newTab(t)
	p.AllowConsole("private")
	openPlayground(t, ctx, "#fleet="+frag)
	pgWait(t, ctx, "the link refusal", `document.getElementById("fy-notices").textContent.includes("private key material")`, 10*time.Second)
	if h := pgEval[string](t, ctx, `location.hash`); h != "" {
		t.Errorf("the refused link stays in the address bar: %.60s…", h)
	}
	assertPageClean(t, ctx, tr, "after opening the link")
	shotVariants(t, ctx, "guard-link-refused", false)

	// An autosave and a history entry holding the key, then a reload.
	pgEval[bool](t, ctx, `(localStorage.setItem("fleetyard:playground:spec", `+jsString(withKey)+`),
	  localStorage.setItem("fleetyard:playground:history", JSON.stringify([{hash: "x", name: "evil", time: new Date().toISOString(), reason: "test", text: `+jsString(withKey)+`}])), true)`)
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, 0)
	pgWait(t, ctx, "the autosave refusal", `document.getElementById("fy-notices").textContent.includes("deleted instead of restored")`, 5*time.Second)
	pgEval[bool](t, ctx, `(document.getElementById("fy-history").open = true, true)`)
	if n := pgEval[int](t, ctx, `document.querySelectorAll("#fy-history-list .fy-history-item").length`); n != 0 {
		t.Errorf("Restore previous offers %d fleets, want none (the only saved one holds a key)", n)
	}
	// The history entry is still in storage (it is only never shown or loaded), so check the page without it.
	pgEval[bool](t, ctx, `(localStorage.removeItem("fleetyard:playground:history"), true)`)
	assertPageClean(t, ctx, tr, "after the reload")
	p.AssertClean(t)
}

// shotVariants saves screenshots of what is on screen at desktop (1440×900)
// and phone (390×844) sizes, in light and (unless lightOnly) dark, and
// leaves the tab at desktop light. scrollTo names elements to scroll into
// view at each size (the resize moves the page).
func shotVariants(t *testing.T, ctx context.Context, name string, lightOnly bool, scrollTo ...string) {
	t.Helper()
	type v struct {
		suffix string
		w, h   int64
		mobile bool
		dark   bool
	}
	vs := []v{{"desktop-light", 1440, 900, false, false}, {"phone-light", 390, 844, true, false}}
	if !lightOnly {
		vs = append(vs, v{"desktop-dark", 1440, 900, false, true}, v{"phone-dark", 390, 844, true, true})
	}
	for _, x := range vs {
		viewport(t, ctx, x.w, x.h, x.mobile)
		emulateDark(t, ctx, x.dark)
		for _, sel := range scrollTo {
			pgEval[bool](t, ctx, `(() => { const e = document.querySelector(`+jsString(sel)+`); if (e) e.scrollIntoView({block: "start"}); return true })()`)
		}
		time.Sleep(150 * time.Millisecond)
		shotViewport(t, ctx, name+"-"+x.suffix)
	}
	viewport(t, ctx, 1440, 900, false)
	emulateDark(t, ctx, false)
}

// shotViewport saves what is on screen (not the whole page): the state
// tests care about what a user sees without scrolling.
func shotViewport(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll("out", 0o755)
	file := filepath.Join("out", name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: e2e/%s", file)
}
