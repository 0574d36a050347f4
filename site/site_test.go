package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/fleetyard/fleetyard/gen"
)

// The real site is built once per test binary, from the repository root.
var (
	buildOnce  sync.Once
	builtDir   string
	builtStats BuildStats
	buildErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(filepath.Dir(builtDir))
	}
	os.Exit(code)
}

// built returns the directory of the real site build.
func built(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "fleetyard-site-")
		if err != nil {
			buildErr = err
			return
		}
		builtDir = filepath.Join(tmp, "public")
		builtStats, buildErr = BuildWithStats(Options{Root: "..", Out: builtDir})
	})
	if buildErr != nil {
		t.Fatalf("building the site: %v", buildErr)
	}
	return builtDir
}

// htmlPages returns every .html file of the build, by slash path.
func htmlPages(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	pages := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(dir, p)
			data, rerr := os.ReadFile(p)
			if rerr != nil {
				t.Fatal(rerr)
			}
			pages[filepath.ToSlash(rel)] = data
		}
		return nil
	})
	if len(pages) == 0 {
		t.Fatal("no HTML pages built")
	}
	return pages
}

func parseHTML(t *testing.T, name string, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// TestLiveExamplesMatchGenerator regenerates every live example on every page
// from the spec embedded in the page, and compares each shown file with what
// the page pre-renders.
func TestLiveExamplesMatchGenerator(t *testing.T) {
	dir := built(t)
	total := 0
	for name, data := range htmlPages(t, dir) {
		doc := parseHTML(t, name, data)
		figs := findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-example") })
		for i, fig := range figs {
			where := fmt.Sprintf("%s example #%d", name, i+1)
			scripts := findAll(fig, func(n *html.Node) bool { return hasClass(n, "fy-spec") })
			if len(scripts) != 1 || attr(scripts[0], "type") != "application/json" {
				t.Fatalf("%s: want one <script type=application/json class=fy-spec>", where)
			}
			spec := []byte(textOf(scripts[0]))
			if ex := attr(fig, "data-example"); ex != "" {
				want, err := os.ReadFile(filepath.Join("..", "content", "examples", ex+".json"))
				if err != nil {
					t.Fatal(err)
				}
				// The embedded spec must survive minification byte for byte.
				if !bytes.Equal(spec, bytes.TrimRight(want, "\r\n")) {
					t.Errorf("%s: embedded spec differs from content/examples/%s.json", where, ex)
				}
			}
			files, err := Example{Page: name, Index: i + 1, Spec: spec}.Generate()
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			byPath := map[string]gen.File{}
			for _, f := range files {
				byPath[f.Path] = f
			}
			show := strings.Split(attr(fig, "data-show"), ",")
			sections := findAll(fig, func(n *html.Node) bool { return hasClass(n, "fy-file") })
			if len(sections) != len(show) {
				t.Errorf("%s: data-show lists %d files, page shows %d", where, len(show), len(sections))
			}
			for j, sec := range sections {
				p := attr(sec, "data-path")
				if j < len(show) && p != show[j] {
					t.Errorf("%s: section %d is %q, data-show says %q", where, j, p, show[j])
				}
				f, ok := byPath[p]
				if !ok {
					t.Errorf("%s: shows %s, which the generator no longer produces", where, p)
					continue
				}
				pres := findAll(sec, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "pre" })
				if len(pres) != 1 {
					t.Fatalf("%s: %s: want one <pre>, got %d", where, p, len(pres))
				}
				if got := textOf(pres[0]); got != string(f.Data) {
					t.Errorf("%s: %s: pre-rendered text differs from a fresh generation\n got: %.200q\nwant: %.200q", where, p, got, f.Data)
				}
				if len(findAll(pres[0], func(n *html.Node) bool {
					return n.Type == html.ElementNode && n.Data == "span" && attr(n, "class") != "" && attr(n, "class") != "line" && attr(n, "class") != "cl"
				})) == 0 && len(f.Data) > 40 {
					t.Errorf("%s: %s: no highlighted tokens", where, p)
				}
			}
			opens := findAll(fig, func(n *html.Node) bool { return hasClass(n, "fy-open") })
			if len(opens) != 1 || !strings.HasPrefix(attr(opens[0], "href"), "/playground/#fleet=1.") {
				t.Errorf("%s: want one Open in playground link with a #fleet=1. fragment", where)
			}
			total++
		}
	}
	if total == 0 {
		t.Fatal("no live examples found in the built site")
	}
	t.Logf("%d live examples verified", total)
}

// patternPages are the eight seed patterns, one page each.
var patternPages = []string{
	"two-tier-secrets", "overlay-layers", "home-manager-aggregates", "base-modules",
	"darwin-multi-user", "darwin-networking", "terranix-toggle", "test-harness",
}

func TestPatternPagesHaveLiveExamples(t *testing.T) {
	dir := built(t)
	for _, slug := range patternPages {
		t.Run(slug, func(t *testing.T) {
			file := filepath.Join(dir, "docs", slug, "index.html")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("pattern page /docs/%s/ missing: %v", slug, err)
			}
			doc := parseHTML(t, file, data)
			if n := len(findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-example") })); n == 0 {
				t.Errorf("/docs/%s/ has no live example", slug)
			}
			body := findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "body" })[0]
			if attr(body, "data-docs-entropy") != fmt.Sprintf("%x", DocsEntropy) || attr(body, "data-docs-time") != "2025-01-01T00:00:00Z" {
				t.Errorf("/docs/%s/: body lacks data-docs-entropy/data-docs-time", slug)
			}
		})
	}
}

// TestPagesWellFormed checks that every page tokenizes cleanly, has a title,
// exactly one h1, loads site.css, and loads docs.js exactly when it has a
// live example (pages without examples load no script at all).
// doubleEscaped matches the named entities goldmark's typographer and
// escaper produce, escaped a second time.
var doubleEscaped = regexp.MustCompile(`&amp;(?:[lr][sd]quo|[nm]dash|hellip|laquo|raquo|amp|lt|gt|quot);`)

func TestPagesWellFormed(t *testing.T) {
	dir := built(t)
	for name, data := range htmlPages(t, dir) {
		z := html.NewTokenizer(bytes.NewReader(data))
		for z.Next() != html.ErrorToken {
		}
		if err := z.Err(); err.Error() != "EOF" {
			t.Errorf("%s: tokenizer: %v", name, err)
		}
		// An entity escaped twice shows as its name: the TOC showed
		// "Macs&rsquo; host keys" (the typographer's entity, escaped again).
		if m := doubleEscaped.Find(data); m != nil {
			t.Errorf("%s: %s shows as an entity's name (escaped twice)", name, m)
		}
		doc := parseHTML(t, name, data)
		if h1 := findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "h1" }); len(h1) != 1 && name != "playground/index.html" {
			t.Errorf("%s: %d <h1> elements, want 1", name, len(h1))
		}
		titles := findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "title" })
		if len(titles) != 1 || strings.TrimSpace(textOf(titles[0])) == "" {
			t.Errorf("%s: missing <title>", name)
		}
		var css, scripts []string
		for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
			switch {
			case n.Data == "link" && attr(n, "rel") == "stylesheet":
				css = append(css, attr(n, "href"))
			case n.Data == "script" && attr(n, "src") != "":
				scripts = append(scripts, attr(n, "src"))
			case n.Data == "script" && attr(n, "type") != "application/json":
				t.Errorf("%s: inline script (CSP forbids it)", name)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: inline event handler %s (CSP forbids it)", name, a.Key)
				}
			}
		}
		if len(css) == 0 || !strings.HasPrefix(css[0], "/assets/site.") {
			t.Errorf("%s: site.css not loaded first: %v", name, css)
		}
		hasExample := bytes.Contains(data, []byte(`class="fy-example"`))
		isDocsPage := strings.HasPrefix(name, "docs/")
		hasSearch := false
		for _, s := range scripts {
			isDocs := strings.HasPrefix(s, "/assets/docs.")
			isPlay := strings.HasPrefix(s, "/assets/playground.")
			if strings.HasPrefix(s, "/assets/search.") {
				// search.ts is every docs page's search box, and only theirs.
				hasSearch = true
				if !isDocsPage {
					t.Errorf("%s: loads search.js outside the docs", name)
				}
				continue
			}
			if strings.HasPrefix(s, "/assets/start.") {
				// start.ts starts the playground's worker (TestPlaygroundStartsItsWorkerFirst).
				isPlay = true
			}
			switch {
			case isDocs && !hasExample:
				t.Errorf("%s: loads docs.js without a live example", name)
			case isPlay && name != "playground/index.html":
				t.Errorf("%s: loads playground.js", name)
			case !isDocs && !isPlay:
				t.Errorf("%s: unexpected script %s", name, s)
			}
		}
		if isDocsPage && !hasSearch {
			t.Errorf("%s: a docs page without the search box's script", name)
		}
	}
}

// TestDocsIndexListsEveryPage: /docs/, the parent of every docs URL, is a
// page listing each docs page (it was a 404), and the sitemap has it.
func TestDocsIndexListsEveryPage(t *testing.T) {
	dir := built(t)
	pages := htmlPages(t, dir)
	index, ok := pages["docs/index.html"]
	if !ok {
		t.Fatal("no docs/index.html")
	}
	for name := range pages {
		if dir, ok := strings.CutSuffix(name, "/index.html"); ok && strings.HasPrefix(dir, "docs/") {
			if !bytes.Contains(index, []byte(`href="/`+dir+`/"`)) {
				t.Errorf("/docs/ does not link to /%s/", dir)
			}
		}
	}
	if !bytes.Contains(index, []byte(`class="fy-next" href="/docs/getting-started/"`)) {
		t.Error("/docs/ does not lead on to the first page (Getting started)")
	}
	sm, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sm, []byte("/docs/</loc>")) {
		t.Error("sitemap.xml lacks /docs/")
	}
}

func TestSitemapAndSchema(t *testing.T) {
	dir := built(t)
	sm, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/</loc>", "/docs/getting-started/</loc>", "/playground/</loc>", "/docs/fleet-json/</loc>"} {
		if !bytes.Contains(sm, []byte(u)) {
			t.Errorf("sitemap.xml lacks %s", u)
		}
	}
	if bytes.Contains(sm, []byte("404")) {
		t.Error("sitemap.xml lists the 404 page")
	}
	schema, err := os.ReadFile(filepath.Join(dir, "schema", "fleet.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(schema, gen.Schema()) {
		t.Error("/schema/fleet.v1.json differs from gen.Schema()")
	}
}

func TestPlaygroundGallery(t *testing.T) {
	dir := built(t)
	data, err := os.ReadFile(filepath.Join(dir, "playground", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, "playground", data)
	nodes := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "fy-examples" })
	if len(nodes) != 1 || attr(nodes[0], "type") != "application/json" {
		t.Fatal("playground: want one <script type=application/json id=fy-examples>")
	}
	var gallery []struct {
		Name, Title string
		Spec        json.RawMessage
	}
	if err := json.Unmarshal([]byte(textOf(nodes[0])), &gallery); err != nil {
		t.Fatalf("fy-examples is not JSON: %v", err)
	}
	var names []string
	for _, g := range gallery {
		names = append(names, g.Name)
		want, _ := os.ReadFile(filepath.Join("..", "content", "examples", g.Name+".json"))
		if !bytes.Equal(g.Spec, bytes.TrimRight(want, "\r\n")) {
			t.Errorf("gallery spec %s differs from its file", g.Name)
		}
	}
	if got := strings.Join(names, ","); !strings.HasPrefix(got, "seed,minimal,large") {
		t.Errorf("gallery order %s, want seed,minimal,large first", got)
	}
}

const wantCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

func TestHandlerAppliesNetlifyHeaders(t *testing.T) {
	dir := built(t)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	var asset, wasm string
	entries, _ := os.ReadDir(filepath.Join(dir, "assets"))
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "site.") && strings.HasSuffix(e.Name(), ".css"):
			asset = "/assets/" + e.Name()
		case strings.HasSuffix(e.Name(), ".wasm"):
			wasm = "/assets/" + e.Name()
		}
	}
	tests := []struct {
		path, wantStatus, header, want string
	}{
		{"/", "200", "Content-Security-Policy", wantCSP},
		{"/", "200", "X-Content-Type-Options", "nosniff"},
		{"/", "200", "Referrer-Policy", "no-referrer"},
		{"/", "200", "Cross-Origin-Opener-Policy", "same-origin"},
		{"/docs/cli/", "200", "Content-Type", "text/html; charset=utf-8"},
		{"/docs/cli/", "200", "Cache-Control", ""},
		{"/docs/cli", "301", "Location", "/docs/cli/"},
		{"/no/such/page", "404", "Content-Security-Policy", wantCSP},
		{asset, "200", "Cache-Control", "public, max-age=31536000, immutable"},
		{asset, "200", "Content-Security-Policy", wantCSP},
	}
	if wasm != "" {
		tests = append(tests, struct{ path, wantStatus, header, want string }{wasm, "200", "Content-Type", "application/wasm"})
	}
	for _, tc := range tests {
		resp, err := client.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		if got := fmt.Sprint(resp.StatusCode); got != tc.wantStatus {
			t.Errorf("GET %s: status %s, want %s", tc.path, got, tc.wantStatus)
		}
		if got := resp.Header.Get(tc.header); got != tc.want {
			t.Errorf("GET %s: %s = %q, want %q", tc.path, tc.header, got, tc.want)
		}
		if tc.wantStatus == "404" && !bytes.Contains(body.Bytes(), []byte("Page not found")) {
			t.Errorf("GET %s: 404 does not serve 404.html", tc.path)
		}
	}
	if p := pathOf(t, srv.URL+"/"); p == "" {
		t.Error("no Permissions-Policy on /")
	}
}

func pathOf(t *testing.T, u string) string {
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Permissions-Policy")
}

func TestMatchPath(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/*", "/", true},
		{"/*", "/docs/cli/", true},
		{"/assets/*", "/assets/site.abc.css", true},
		{"/assets/*", "/assetsx", false},
		{"/assets/*", "/docs/", false},
		{"/*.wasm", "/assets/fleetyard.abc.wasm", true},
		{"/*.wasm", "/assets/fleetyard.abc.wasm.map", false},
		{"/404.html", "/404.html", true},
		{"/404.html", "/404.htm", false},
	}
	for _, tc := range tests {
		if got := matchPath(tc.pattern, tc.path); got != tc.want {
			t.Errorf("matchPath(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

func TestNetlifyToml(t *testing.T) {
	n, err := LoadNetlify(filepath.Join("..", "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if n.Build.Publish != "public" || n.Build.Environment["GO_VERSION"] != "1.26.8" ||
		n.Build.Command != "cd static && npm ci && cd .. && go run . build -o public" {
		t.Errorf("unexpected [build]: %+v", n.Build)
	}
	if got := n.HeadersFor("/docs/").Get("Content-Security-Policy"); got != wantCSP {
		t.Errorf("CSP = %q", got)
	}
	bad := filepath.Join(t.TempDir(), "netlify.toml")
	os.WriteFile(bad, []byte("[[headers]]\nfor = \"/*\"\n[headers.valuez]\nX = \"y\"\n"), 0o644)
	if _, err := LoadNetlify(bad); err == nil || !strings.Contains(err.Error(), "valuez") {
		t.Errorf("misspelt table not reported: %v", err)
	}
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name, src string
		want      frontMatter
		body      string
		err       string
	}{
		{"none", "# Hi\n", frontMatter{}, "# Hi\n", ""},
		{"full", "---\ntitle: Two-tier secrets\nweight: 20\nsection: Patterns\ndescription: \"a: b\"\n---\nbody\n", frontMatter{"Two-tier secrets", 20, "Patterns", "a: b"}, "body\n", ""},
		{"crlf", "---\r\ntitle: X\r\n---\r\nbody", frontMatter{Title: "X"}, "body", ""},
		{"unclosed", "---\ntitle: X\n", frontMatter{}, "", "not closed"},
		{"badweight", "---\nweight: ten\n---\n", frontMatter{}, "", "not an integer"},
		{"unknown", "---\ntitel: X\n---\n", frontMatter{}, "", `unknown key "titel"`},
		{"nocolon", "---\njust text\n---\n", frontMatter{}, "", "not `key: value`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fm, body, err := parseFrontMatter([]byte(tc.src))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fm != tc.want || string(body) != tc.body {
				t.Errorf("got %+v %q, want %+v %q", fm, body, tc.want, tc.body)
			}
		})
	}
}

// miniRoot makes a throwaway repository root with one page.
func miniRoot(t *testing.T, page string) string {
	t.Helper()
	root := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("static/css/site.css", "body{margin:0}\n")
	write("static/css/playground.css", ".fy-pg{margin:0}\n")
	// The playground page's markup is required, like site.css.
	write("static/playground.html", "<div class=\"fy-pg\" id=\"fy-pg\"><h1>Playground</h1></div>\n")
	min, err := os.ReadFile(filepath.Join("..", "content", "examples", "minimal.json"))
	if err != nil {
		t.Fatal(err)
	}
	write("content/examples/minimal.json", string(min))
	write("content/index.md", "---\ntitle: Home\n---\n# Home\n")
	for _, p := range []string{"getting-started", "security", "fleet-json", "cli"} {
		write("content/docs/"+p+".md", "---\ntitle: "+p+"\n---\ntext\n")
	}
	write("content/docs/page.md", page)
	return root
}

func TestBuildFailures(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string
	}{
		{"unknown show path", "---\ntitle: P\n---\n```fleet example=minimal show=flake.nix,no/such/file.nix\n```\n",
			[]string{"content/docs/page.md", "live example #1", "no/such/file.nix"}},
		{"missing example", "---\ntitle: P\n---\n```fleet example=nope show=flake.nix\n```\n",
			[]string{"content/docs/page.md", "example=nope"}},
		{"invalid inline spec", "---\ntitle: P\n---\n```fleet show=flake.nix\n{\"version\": 1}\n```\n",
			[]string{"content/docs/page.md", "invalid"}},
		{"no show", "---\ntitle: P\n---\n```fleet example=minimal\n```\n",
			[]string{"content/docs/page.md", "show="}},
		{"broken page link", "---\ntitle: P\n---\nSee [x](/docs/nope/).\n",
			[]string{"content/docs/page.md", `"/docs/nope/"`}},
		{"broken anchor", "---\ntitle: P\n---\nSee [x](/docs/cli/#nope).\n",
			[]string{"content/docs/page.md", `#nope`}},
		{"broken asset", "---\ntitle: P\n---\n<img src=\"/img/nope.png\" alt=\"\">\n",
			[]string{"content/docs/page.md", "/img/nope.png"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := miniRoot(t, tc.page)
			err := Build(Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true})
			if err == nil {
				t.Fatal("build succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if _, serr := os.Stat(filepath.Join(root, "public")); serr == nil {
				t.Error("a failed build left an output directory")
			}
		})
	}
}

// TestMiniBuild checks a good page end to end without the front end: links
// and anchors resolve, the inline spec survives minification exactly (even
// with "</script>" inside a string), and headings get anchors and a TOC.
func TestMiniBuild(t *testing.T) {
	spec := `{"version":1,"name":"x","description":"</script><!-- tricky",` +
		`"admins":[{"name":"admin","sshKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture"]}],` +
		`"machines":[{"name":"a","class":"nixos"}]}`
	root := miniRoot(t, "---\ntitle: P\n---\n## First part\n\nSee [below](#second-part) and [cli](/docs/cli/).\n\n## Second part\n\n```fleet show=fleet.json\n"+spec+"\n```\n")
	out := filepath.Join(root, "public")
	if err := Build(Options{Root: root, Out: out, NoWasm: true, NoNPM: true}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "docs", "page", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, "page", data)
	specs := findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-spec") })
	if len(specs) != 1 {
		t.Fatal("no fy-spec")
	}
	var got, want any
	if err := json.Unmarshal([]byte(textOf(specs[0])), &got); err != nil {
		t.Fatalf("embedded spec is not JSON: %v", err)
	}
	json.Unmarshal([]byte(spec), &want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("embedded spec changed meaning: %v", got)
	}
	if !bytes.Contains(data, []byte(`<a class="fy-anchor" href="#second-part"`)) {
		t.Error("no heading anchor link")
	}
	toc := findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-toc") })
	if len(toc) != 1 || !strings.Contains(textOf(toc[0]), "Second part") {
		t.Error("no table of contents")
	}
}

func BenchmarkBuild(b *testing.B) {
	built(b) // warms the wasm cache and node_modules
	out := filepath.Join(b.TempDir(), "public")
	var st BuildStats
	for i := 0; i < b.N; i++ {
		var err error
		st, err = BuildWithStats(Options{Root: "..", Out: out})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Pages), "pages")
	b.ReportMetric(float64(st.Examples), "examples")
	b.ReportMetric(float64(st.Bytes)/1024, "KiB")
}
