package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/gen/update"
	"github.com/fleetyard/fleetyard/internal/cli"
)

// TestPlaygroundUpdateMyRepo drives "Update my repo" end to end: a
// repository's .tar.gz becomes the starting point, a machine is added in the
// editor, the changes download holds only what differs (never secrets), the
// page shows the exact `fleetyard update` command, and that command, run on
// the repository with the downloaded fleet.json, adds the machine.
func TestPlaygroundUpdateMyRepo(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	openPlayground(t, ctx, "")

	// The user's repository, as `fleetyard gen --tar` made it.
	seed := readSpec(t, "seed")
	repoFiles := goFiles(t, seed, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s, _ := gen.Parse([]byte(seed))
	tarball := filepath.Join(t.TempDir(), s.Spec().Name+".tar.gz")
	if err := os.WriteFile(tarball, archive.TarGz(s.Spec().Name, repoFiles), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#fy-update-file"), []string{tarball})); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the update panel", `document.getElementById("fy-update-count")`, 20*time.Second)
	pgWait(t, ctx, "nothing differs yet", `document.getElementById("fy-update-count").textContent.startsWith("0 files")`, 20*time.Second)

	// Add a machine in the editor.
	var doc map[string]any
	if err := json.Unmarshal([]byte(seed), &doc); err != nil {
		t.Fatal(err)
	}
	doc["machines"] = append(doc["machines"].([]any), map[string]any{"name": "newbox", "class": "nixos", "description": "added in the playground"})
	next, _ := json.MarshalIndent(doc, "", "  ")
	n := generation(t, ctx)
	replaceEditor(t, ctx, string(next))
	waitGeneration(t, ctx, n)
	pgWait(t, ctx, "the count of changed files", `!document.getElementById("fy-update-count").textContent.startsWith("0 files")`, 20*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fy-export-changes"))); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the download result", `document.getElementById("fy-update-result")`, 20*time.Second)

	root := s.Spec().Name + "-changes"
	cmd := pgEval[string](t, ctx, `document.getElementById("fy-update-cmd").textContent`)
	if want := update.Command(root, "path/to/your/repo"); cmd != want {
		t.Errorf("page shows %q, want %q", cmd, want)
	}
	var data []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if data, err = os.ReadFile(filepath.Join(dl, root+".zip")); err == nil && len(data) > 0 {
			break
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the changes download is not a zip: %v", err)
	}
	got := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		got[strings.TrimPrefix(f.Name, root+"/")] = b.Bytes()
	}
	for _, want := range []string{"fleet.json", "UPDATE.txt", "modules/machines/nixos/newbox/default.nix"} {
		if got[want] == nil {
			t.Errorf("the download lacks %s", want)
		}
	}
	if len(got) >= len(repoFiles) {
		t.Errorf("the download has %d files; the repository has %d: it should hold only the changes", len(got), len(repoFiles))
	}
	for name := range got {
		if gen.Protected(name) {
			t.Errorf("the download holds %s", name)
		}
	}
	shot(t, ctx, "playground-update")

	// The command on the page, run on the repository, applies the change.
	repo := filepath.Join(t.TempDir(), "repo")
	for _, f := range repoFiles {
		pth := filepath.Join(repo, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(pth), 0o755)
		os.WriteFile(pth, f.Data, os.FileMode(f.Mode))
	}
	unpacked := filepath.Join(t.TempDir(), root)
	os.MkdirAll(unpacked, 0o755)
	os.WriteFile(filepath.Join(unpacked, "fleet.json"), got["fleet.json"], 0o644)
	args := strings.Fields(update.Command(unpacked, repo))[1:]
	// --force: the temp dir may sit inside some other git work tree.
	args = append([]string{args[0], "--force"}, args[1:]...)
	var out, errOut bytes.Buffer
	if code := cli.Main(args, cli.Env{Stdout: &out, Stderr: &errOut}); code != 0 {
		t.Fatalf("%v: exit %d\n%s\n%s", args, code, out.String(), errOut.String())
	}
	if b, err := os.ReadFile(filepath.Join(repo, "modules", "machines", "nixos", "newbox", "default.nix")); err != nil || !bytes.Equal(b, got["modules/machines/nixos/newbox/default.nix"]) {
		t.Errorf("fleetyard update did not write newbox's module as the download shows it (%v)", err)
	}
	p.AssertClean(t)
}

// TestDocsReshapingLiveExample: on the Reshaping a fleet guide, adding a
// machine to the live example regenerates the inventory in the browser to
// exactly what the Go generator gives.
func TestDocsReshapingLiveExample(t *testing.T) {
	requireBuilt(t, "docs")
	ctx, p := newTab(t)
	navigate(t, ctx, "/docs/reshaping-a-fleet/")
	fig := `.fy-example:not([data-example])`
	spec := evalString(t, ctx, `document.querySelector('`+fig+` .fy-spec').textContent`)
	var doc map[string]any
	if err := json.Unmarshal([]byte(spec), &doc); err != nil {
		t.Fatalf("the example's spec: %v\n%s", err, spec)
	}
	doc["machines"] = append(doc["machines"].([]any), map[string]any{"name": "zinc", "class": "nixos", "tags": []string{"cloud"}})
	edited, _ := json.MarshalIndent(doc, "", "  ")
	const path = "modules/clan/inventory/machines.nix"
	want := generated(t, string(edited), path)
	if !strings.Contains(want, "zinc") {
		t.Fatalf("test is vacuous: %s does not name the new machine", path)
	}
	replaceExampleText(t, ctx, fig, string(edited))
	file := fig + ` .fy-file[data-path="` + path + `"]`
	var got string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		got = evalString(t, ctx, `(() => { const s = document.querySelector('`+file+`'); return s ? (s.querySelector('.cm-content, pre') || s).innerText : "" })()`)
		if squash(got) == squash(want) {
			break
		}
	}
	shot(t, ctx, "docs-reshaping-edited")
	if squash(got) != squash(want) {
		t.Fatalf("%s after adding zinc does not match the Go generator\n got: %.400s\nwant: %.400s", path, got, want)
	}
	p.AssertClean(t)
}
