package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// importRE finds the relative imports of an esbuild ES module: static
// (`from"./x.js"`, `import"./x.js"`) and dynamic (`import("./x.js")`).
var importRE = regexp.MustCompile(`(from|import)\s*(\()?\s*"\./([A-Za-z0-9._-]+\.js)"`)

// cmMarker is a string only CodeMirror's view module holds (its scroller's
// class name): a script that contains it carries CodeMirror.
const cmMarker = "cm-scroller"

// TestPlaygroundDefersCodeMirror: the playground's script reaches
// CodeMirror only through a dynamic import (static/ts/lazycm.ts), so the
// page evaluates it after the first preview instead of before; and every
// chunk the page's script reaches, statically or dynamically, is listed as
// a modulepreload (so neither waits for a round trip) and exists. The docs
// pages likewise preload what their script imports.
func TestPlaygroundDefersCodeMirror(t *testing.T) {
	dir := built(t)
	for _, tc := range []struct {
		page, script string
		cmStatic     bool // whether CodeMirror may be in the static graph
	}{
		{"playground/index.html", "/assets/playground.", false},
		{"docs/terranix-toggle/index.html", "/assets/docs.", true},
	} {
		t.Run(tc.page, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.page))
			if err != nil {
				t.Fatal(err)
			}
			doc := parseHTML(t, tc.page, data)
			var entry string
			preloads := map[string]bool{}
			for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
				switch {
				case n.Data == "script" && strings.HasPrefix(attr(n, "src"), tc.script):
					entry = attr(n, "src")
				case n.Data == "link" && attr(n, "rel") == "modulepreload":
					preloads[attr(n, "href")] = true
				}
			}
			if entry == "" {
				t.Fatalf("no %s script", tc.script)
			}
			read := func(url string) string {
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(url, "/"))))
				if err != nil {
					t.Fatalf("%s imports %s, which the build did not write: %v", tc.page, url, err)
				}
				return string(b)
			}
			// Walk the graph: static edges first, then what is behind a dynamic import.
			static := map[string]bool{entry: true}
			dynamic := map[string]bool{}
			queue := []string{entry}
			for len(queue) > 0 {
				cur := queue[0]
				queue = queue[1:]
				for _, m := range importRE.FindAllStringSubmatch(read(cur), -1) {
					url := "/assets/" + m[3]
					isDynamic := m[2] == "(" || dynamic[cur]
					if static[url] || (dynamic[url] && isDynamic) {
						continue
					}
					if isDynamic {
						dynamic[url] = true
					} else {
						static[url] = true
						delete(dynamic, url)
					}
					queue = append(queue, url)
				}
			}
			cmStatic, cmDynamic := false, false
			for url := range static {
				if url != entry && !preloads[url] {
					t.Errorf("%s statically imports %s without preloading it", tc.page, url)
				}
				if strings.Contains(read(url), cmMarker) {
					cmStatic = true
				}
			}
			for url := range dynamic {
				if !preloads[url] {
					t.Errorf("%s imports %s dynamically without preloading it", tc.page, url)
				}
				if strings.Contains(read(url), cmMarker) {
					cmDynamic = true
				}
			}
			if cmStatic && !tc.cmStatic {
				t.Errorf("%s evaluates CodeMirror before its first preview: it is in a statically imported script", tc.page)
			}
			if !cmStatic && !cmDynamic {
				t.Errorf("%s reaches no CodeMirror at all (is %q still CodeMirror's?)", tc.page, cmMarker)
			}
			for url := range preloads {
				if !static[url] && !dynamic[url] {
					t.Errorf("%s preloads %s, which its script never imports", tc.page, url)
				}
			}
		})
	}
}

// TestPlaygroundStartsItsWorkerFirst: the playground's first script is
// start.ts, async (it runs as soon as it arrives, not after the page is
// parsed), importing nothing (an import would be one more round trip), and
// naming the same worker and wasm as <body>, whose client adopts the worker
// it starts (e2e TestWorkerStartsBeforeTheBundle). Pages without the
// playground's client do not load it.
func TestPlaygroundStartsItsWorkerFirst(t *testing.T) {
	dir := built(t)
	scripts := func(page string) (*html.Node, []*html.Node) {
		data, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Fatal(err)
		}
		doc := parseHTML(t, page, data)
		body := findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "body" })[0]
		return body, findAll(doc, func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "script" && attr(n, "src") != ""
		})
	}
	body, list := scripts("playground/index.html")
	if len(list) == 0 {
		t.Fatal("the playground has no script")
	}
	first := list[0]
	if !hasAttr(first, "data-fy-start") || !hasAttr(first, "async") || attr(first, "type") != "module" {
		t.Fatalf("the playground's first script is %s, want start.ts as <script type=module async data-fy-start>", attr(first, "src"))
	}
	for _, a := range []string{"data-worker", "data-wasm", "data-wasm-size"} {
		if attr(first, a) == "" || attr(first, a) != attr(body, a) {
			t.Errorf("start.ts's %s is %q, <body>'s %q: they must name the same file", a, attr(first, a), attr(body, a))
		}
	}
	js, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(attr(first, "src"), "/"))))
	if err != nil {
		t.Fatal(err)
	}
	if m := importRE.FindString(string(js)); m != "" {
		t.Errorf("start.ts imports (%s): it must run without waiting for another file", m)
	}
	if len(js) > 2048 {
		t.Errorf("start.ts is %d bytes: it is meant to be tiny (it runs before everything else)", len(js))
	}
	_, docs := scripts("docs/terranix-toggle/index.html")
	for _, s := range docs {
		if hasAttr(s, "data-fy-start") {
			t.Error("a docs page loads start.ts, whose worker nobody there adopts")
		}
	}
}

// hasAttr reports whether n carries attribute key, with or without a value.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
