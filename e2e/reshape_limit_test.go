package e2e

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestUpdateRefusesTarballThatUnpacksTooLarge: "Update my repo" unpacks a
// .tar.gz in the page; one that unpacks past the cap (static/ts/reshape.ts,
// MAX_UNPACKED: 64 MiB) is refused with a message that says what to upload
// instead, rather than filling the tab's memory. 65 MiB of zeros gzip to
// about 65 KB: a small upload, well under the page's compressed-size check.
func TestUpdateRefusesTarballThatUnpacksTooLarge(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, _ := newTab(t)
	openPlayground(t, ctx, "")
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 65 {
		zw.Write(zero)
	}
	zw.Close()
	bomb := filepath.Join(t.TempDir(), "repo.tar.gz")
	if err := os.WriteFile(bomb, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#fy-update-file"), []string{bomb})); err != nil {
		t.Fatal(err)
	}
	pgWait(t, ctx, "the refusal", `document.getElementById("fy-notices").textContent.includes("unpacks to more than 64 MiB")`, 20*time.Second)
	msg := pgEval[string](t, ctx, `document.getElementById("fy-notices").textContent`)
	for _, want := range []string{"repo.tar.gz", "fleet.json"} {
		if !bytes.Contains([]byte(msg), []byte(want)) {
			t.Errorf("the refusal %q does not name %q", msg, want)
		}
	}
	if pgEval[bool](t, ctx, `!!document.getElementById("fy-update-count")`) {
		t.Error("the update panel opened for a refused file")
	}
}
