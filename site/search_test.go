package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSearchIndexCoversTheDocs: every docs page names the same search
// index, a content-hashed asset the build wrote, which has a section for
// each docs page and each of its h2/h3 headings (the URL with the heading's
// id) and each row of the fleet.json reference, the pages' text including
// code blocks, and nothing of the live examples' generated files.
func TestSearchIndexCoversTheDocs(t *testing.T) {
	dir := built(t)
	pages := htmlPages(t, dir)
	re := regexp.MustCompile(`data-search="(/assets/search\.[0-9a-f]+\.json)"`)
	url := ""
	for name, data := range pages {
		m := re.FindSubmatch(data)
		switch {
		case !strings.HasPrefix(name, "docs/"):
			if m != nil {
				t.Errorf("%s names a search index outside the docs", name)
			}
		case m == nil:
			t.Errorf("%s names no search index", name)
		case url == "":
			url = string(m[1])
		case url != string(m[1]):
			t.Errorf("%s names %s, other pages %s", name, m[1], url)
		}
	}
	if url == "" {
		t.Fatal("no page names a search index")
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(url, "/"))))
	if err != nil {
		t.Fatalf("the index the pages name: %v", err)
	}
	var ix struct {
		V        int
		Sections []struct{ U, P, H, T string }
	}
	if err := json.Unmarshal(data, &ix); err != nil || ix.V != 1 {
		t.Fatalf("index: version %d, %v", ix.V, err)
	}
	urls := map[string]string{}
	for _, s := range ix.Sections {
		urls[s.U] = s.H + "\x00" + s.T
	}
	// Each docs page's own URL, and its headings' anchors.
	for name, page := range pages {
		if !strings.HasPrefix(name, "docs/") || name == "docs/index.html" {
			continue
		}
		u := "/" + strings.TrimSuffix(name, "index.html")
		if _, ok := urls[u]; !ok {
			t.Errorf("the index has no section for %s", u)
		}
		for _, m := range regexp.MustCompile(`<h[23] id="?([^" >]+)`).FindAllSubmatch(page, -1) {
			if _, ok := urls[u+"#"+string(m[1])]; !ok {
				t.Errorf("the index has no section for %s#%s", u, m[1])
			}
		}
	}
	for _, c := range []struct{ url, heading, text string }{
		{"/docs/terranix-toggle/#caveats", "Caveats", "passphrase"},
		// a command in a code block
		{"/docs/terranix-toggle/#the-solution", "The solution", "clan secrets set --group admins hetzner-api-token"},
		// a row of the fleet.json reference, headed by its field's path
		{"/docs/fleet-json/#f-machines-hetzner-location", "machines[].hetzner.location", "Hetzner location"},
		{"/docs/fleet-json/#f-version", "version", "Spec format version"},
	} {
		got, ok := urls[c.url]
		h, text, _ := strings.Cut(got, "\x00")
		switch {
		case !ok:
			t.Errorf("no section %s", c.url)
		case h != c.heading:
			t.Errorf("%s: heading %q, want %q (without the # anchor)", c.url, h, c.heading)
		case !strings.Contains(text, c.text):
			t.Errorf("%s: text lacks %q", c.url, c.text)
		}
	}
	// The header comment of the generated hetzner.nix, which the terranix
	// page's live examples show and its prose does not say.
	if strings.Contains(string(data), "kept either way") {
		t.Error("the index holds a live example's generated file")
	}
}
