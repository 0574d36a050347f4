package site

import (
	"bytes"
	"encoding/json"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestLayoutsOnDiskMatchEmbedded: serve re-reads the layouts from disk with
// the same patterns the embedded set uses, so both must hold the same
// templates (a folder missing from one list would silently lose hooks).
func TestLayoutsOnDiskMatchEmbedded(t *testing.T) {
	disk, err := parseLayouts(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	names := func(ts []*template.Template) []string {
		var n []string
		for _, t := range ts {
			n = append(n, t.Name())
		}
		sort.Strings(n)
		return n
	}
	got, want := names(disk.Templates()), names(layouts.Templates())
	if !reflect.DeepEqual(got, want) {
		t.Errorf("templates on disk %v, embedded %v", got, want)
	}
	for _, n := range []string{"base.html", "doc.html", "render-heading.html", "render-codeblock-fleet.html", "render-codeblock-reference.html", "code-plain.html"} {
		if layouts.Lookup(n) == nil {
			t.Errorf("no template %s", n)
		}
	}
}

// TestHeadingHook renders headings through the hook: inline markup inside
// the heading survives, text is escaped once, h1 gets no anchor link.
func TestHeadingHook(t *testing.T) {
	md := newMarkdown(&builder{})
	p := &page{Src: "docs/x.md"}
	if err := md.render(p, []byte("# Top\n\n## Use `a<b` & *this*\n\ntext\n")); err != nil {
		t.Fatal(err)
	}
	got := string(p.Body)
	for _, want := range []string{
		"<h1 id=\"top\">Top</h1>\n",
		`<h2 id="use-ab--this">Use <code>a&lt;b</code> &amp; <em>this</em> <a class="fy-anchor" href="#use-ab--this" aria-label="Link to this section">#</a></h2>` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("body lacks\n  %s\ngot:\n%s", want, got)
		}
	}
	if len(p.TOC) != 1 || p.TOC[0].ID != "use-ab--this" {
		t.Errorf("TOC = %+v", p.TOC)
	}
}

// TestTOCTextIsPlain: the typographer turns quotes and dashes into HTML
// entities; the TOC and the title hold the characters, since their
// templates escape them (the TOC showed "Macs&rsquo; host keys").
func TestTOCTextIsPlain(t *testing.T) {
	md := newMarkdown(&builder{})
	p := &page{Src: "docs/x.md"}
	if err := md.render(p, []byte("# Don't -- stop\n\n## The Macs' host keys & more\n")); err != nil {
		t.Fatal(err)
	}
	if want := "Don\u2019t \u2013 stop"; p.Title != want {
		t.Errorf("title %q, want %q", p.Title, want)
	}
	if len(p.TOC) != 1 || p.TOC[0].Text != "The Macs\u2019 host keys & more" {
		t.Errorf("TOC = %+v", p.TOC)
	}
}

// TestExampleHookEscapes feeds the live example hook hostile values: they
// must come out as text, and only the trusted fields (Spec, Code) as markup.
func TestExampleHookEscapes(t *testing.T) {
	evil := `"><script>alert(1)</script>`
	out, err := renderLayout("render-codeblock-fleet.html", exampleView{
		Name:      evil,
		Show:      evil,
		Generated: 3,
		Spec:      `{"a":"<\/script>"}`,
		Files:     []exampleFile{{Path: evil, Encrypted: true, Code: `<pre class="chroma"><code>x</code></pre>`}},
		Fragment:  `1.x" onclick="alert(1)`,
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	scripts := findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "script" })
	if len(scripts) != 1 || !hasClass(scripts[0], "fy-spec") {
		t.Fatalf("want only the fy-spec script, got %d:\n%s", len(scripts), out)
	}
	var spec map[string]string
	if err := json.Unmarshal([]byte(textOf(scripts[0])), &spec); err != nil || spec["a"] != "</script>" {
		t.Errorf("spec = %q (%v)", textOf(scripts[0]), err)
	}
	fig := findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-example") })
	if len(fig) != 1 || attr(fig[0], "data-show") != evil || attr(fig[0], "data-example") != evil {
		t.Errorf("figure attributes do not round-trip:\n%s", out)
	}
	if len(findAll(doc, func(n *html.Node) bool { return hasClass(n, "chroma") })) != 1 {
		t.Error("the highlighted code is not markup")
	}
	open := findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-open") })
	if len(open) != 1 || attr(open[0], "onclick") != "" || !strings.HasPrefix(attr(open[0], "href"), "/playground/#fleet=1.x") {
		t.Errorf("playground link: %s", out)
	}
	if len(findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-file-note") })) != 1 {
		t.Error("no note on the encrypted file")
	}
}

// TestGalleryEscapes: a title or name can hold anything; in the playground's
// JSON it stays a JSON string, and the spec is the file's exact text.
func TestGalleryEscapes(t *testing.T) {
	root := miniRoot(t, "---\ntitle: P\n---\ntext\n")
	spec := "{\"version\": 1, \"description\": \"</script><!-- x\"}"
	writeFile(t, root, "content/examples/a&b<script>\"x.json", spec+"\n")
	out := filepath.Join(root, "public")
	if err := Build(Options{Root: root, Out: out, NoWasm: true, NoNPM: true}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "playground", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, "playground", data)
	nodes := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "fy-examples" })
	if len(nodes) != 1 {
		t.Fatal("no fy-examples")
	}
	var gallery []struct {
		Name, Title string
		Spec        json.RawMessage
	}
	if err := json.Unmarshal([]byte(textOf(nodes[0])), &gallery); err != nil {
		t.Fatalf("fy-examples is not JSON: %v\n%s", err, textOf(nodes[0]))
	}
	found := false
	for _, g := range gallery {
		if g.Name == "a&b<script>\"x" && g.Title == g.Name {
			found = true
			var got, want any
			json.Unmarshal(g.Spec, &got)
			json.Unmarshal([]byte(spec), &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("spec changed meaning: %s", g.Spec)
			}
		}
	}
	if !found {
		t.Errorf("gallery lacks the odd example: %+v", gallery)
	}
	if len(findAll(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "script" && attr(n, "id") == "" && attr(n, "src") == ""
	})) != 0 {
		t.Error("the gallery opened a script element")
	}
}

// TestPlaygroundPageIsReal: static/playground.html exists, so the built
// playground is the real page and the build skips nothing about it; without
// the file the build fails and names it.
func TestPlaygroundPageIsReal(t *testing.T) {
	dir := built(t)
	data, err := os.ReadFile(filepath.Join(dir, "playground", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, "playground", data)
	if len(findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "fy-pg" })) != 1 {
		t.Error("the playground page lacks static/playground.html's #fy-pg")
	}
	if len(findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-placeholder") })) != 0 {
		t.Error("the playground page is a placeholder")
	}
	for _, s := range builtStats.Skipped {
		if strings.Contains(s, "playground.html") {
			t.Errorf("the build skipped: %s", s)
		}
	}

	root := miniRoot(t, "---\ntitle: P\n---\ntext\n")
	if err := os.Remove(filepath.Join(root, "static", "playground.html")); err != nil {
		t.Fatal(err)
	}
	err = Build(Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true})
	if err == nil || !strings.Contains(err.Error(), "static/playground.html") {
		t.Errorf("build without static/playground.html: err = %v", err)
	}
}
