package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// page is one HTML page of the site.
type page struct {
	Src         string // content-relative source ("docs/cli.md"); empty for generated pages
	URL         string // "/docs/cli/"
	Out         string // "docs/cli/index.html"
	Title       string
	Description string
	Section     string
	Weight      int
	Kind        string // "home", "doc", "playground", "404"
	Body        []byte
	TOC         []tocEntry
	Examples    []Example
	Prev, Next  *page
}

// navSection is a group of docs pages in the sidebar.
type navSection struct {
	Name  string
	Pages []*page
}

// layoutData is what the templates see.
type layoutData struct {
	Page   *page
	Nav    []navSection
	Assets assetSet
	CSS    []string
	// Start is the playground's start.ts: an async script ahead of the
	// others that starts the generator worker while the page is parsed.
	Start   string
	Scripts []string
	// Preloads are the chunks the page's script imports (statically or,
	// for the playground's CodeMirror, dynamically): fetched and compiled
	// early, evaluated only when imported.
	Preloads  []string
	Entropy   string
	Time      string
	Body      template.HTML
	Gallery   []galleryEntry
	SiteTitle string
	// Search is the URL of the docs' search index (docs pages only).
	Search string
	// Prerendered is the URL of the playground's pre-rendered default files.
	Prerendered string
	// WasmSize is the wasm's uncompressed size in bytes (0 without one).
	WasmSize int
}

func (b *builder) loadPages() error {
	content := b.path("content")
	return filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(content, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "examples" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".md") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fm, body, err := parseFrontMatter(src)
		if err != nil {
			return fmt.Errorf("content/%s: %v", rel, err)
		}
		pg := &page{Src: rel, Title: fm.Title, Description: fm.Description, Section: fm.Section, Weight: fm.Weight, Kind: "doc"}
		stem := strings.TrimSuffix(rel, ".md")
		switch {
		case stem == "index":
			pg.URL, pg.Out, pg.Kind = "/", "index.html", "home"
		case strings.HasSuffix(stem, "/index"):
			dir := strings.TrimSuffix(stem, "/index")
			pg.URL, pg.Out = "/"+dir+"/", dir+"/index.html"
		default:
			pg.URL, pg.Out = "/"+stem+"/", stem+"/index.html"
		}
		pg.Body = body
		b.pages = append(b.pages, pg)
		return nil
	})
}

// nav groups docs pages by section; sections are ordered by their lightest
// page, pages by weight then title.
func (b *builder) nav() []navSection {
	bySec := map[string][]*page{}
	for _, p := range b.pages {
		if p.Kind == "doc" {
			bySec[p.Section] = append(bySec[p.Section], p)
		}
	}
	var secs []navSection
	for name, ps := range bySec {
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].Weight != ps[j].Weight {
				return ps[i].Weight < ps[j].Weight
			}
			return ps[i].Title < ps[j].Title
		})
		secs = append(secs, navSection{Name: name, Pages: ps})
	}
	sort.Slice(secs, func(i, j int) bool {
		wi, wj := secs[i].Pages[0].Weight, secs[j].Pages[0].Weight
		if wi != wj {
			return wi < wj
		}
		return secs[i].Name < secs[j].Name
	})
	var flat []*page
	for _, s := range secs {
		flat = append(flat, s.Pages...)
	}
	for i, p := range flat {
		if i > 0 {
			p.Prev = flat[i-1]
		}
		if i+1 < len(flat) {
			p.Next = flat[i+1]
		}
	}
	return secs
}

func (b *builder) buildPages() error {
	if err := b.loadPages(); err != nil {
		return err
	}
	md := newMarkdown(b)
	for _, p := range b.pages {
		if err := md.render(p, p.Body); err != nil {
			if strings.Contains(err.Error(), "content/"+p.Src) {
				return err
			}
			return fmt.Errorf("content/%s: %w", p.Src, err)
		}
		if p.Title == "" {
			return fmt.Errorf("content/%s: no title: add `title:` to the front matter or a # heading", p.Src)
		}
	}
	nav := b.nav()

	// Generated pages: the playground and the 404.
	pg := &page{URL: "/playground/", Out: "playground/index.html", Title: "Playground", Kind: "playground",
		Description: "Describe a fleet, paste public SSH keys, and download a ready Nix repository. Runs entirely in your browser."}
	// static/playground.html is the playground's markup; the page is
	// useless without it, so a missing file fails the build like a missing
	// site.css rather than shipping a placeholder.
	inner, err := os.ReadFile(b.path("static", "playground.html"))
	if err != nil {
		return fmt.Errorf("site: the playground page needs static/playground.html: %w", err)
	}
	pg.Body = inner
	gallery, err := b.examplesGallery()
	if err != nil {
		return fmt.Errorf("playground examples gallery: %w", err)
	}
	prerendered, err := b.prerenderPlayground(gallery)
	if err != nil {
		return fmt.Errorf("playground default files: %w", err)
	}
	notFound := &page{URL: "/404.html", Out: "404.html", Title: "Page not found", Kind: "404"}
	all := append(append([]*page{}, b.pages...), pg, notFound)
	// /docs/ lists the docs pages by section, from the nav, unless content/
	// has a page there: it was a 404, though every page's URL starts with it.
	if !slices.ContainsFunc(b.pages, func(p *page) bool { return p.URL == "/docs/" }) {
		index := &page{URL: "/docs/", Out: "docs/index.html", Title: "Documentation", Kind: "docindex",
			Description: "Guides to start and reshape a fleet, a page per pattern of the generated repository, and the reference."}
		// Its pager leads into the first page, as each page's leads on.
		if len(nav) > 0 {
			index.Next = nav[0].Pages[0]
		}
		all = append(all, index)
	}

	// The docs' search index, content-hashed like the other assets: a page
	// names the index of its own build, which caches for good.
	index, err := searchIndex(nav)
	if err != nil {
		return err
	}
	searchURL := "/assets/search." + shortHash(index) + ".json"
	b.out[strings.TrimPrefix(searchURL, "/")] = index

	for _, p := range all {
		d := layoutData{Page: p, Nav: nav, Assets: b.assets, Body: template.HTML(p.Body), SiteTitle: "Fleetyard", WasmSize: b.wasmSize()}
		if u, ok := b.assets["site.css"]; ok {
			d.CSS = append(d.CSS, u)
		}
		switch {
		case p.Kind == "playground":
			if u, ok := b.assets["playground.css"]; ok {
				d.CSS = append(d.CSS, u)
			}
			if u, ok := b.assets["playground.js"]; ok {
				if _, wasm := b.assets["fleetyard.wasm"]; wasm {
					d.Start = b.assets["start.js"]
				}
				d.Scripts = append(d.Scripts, u)
				d.Preloads = append(d.Preloads, strings.Fields(b.assets[chunksKey("playground.js")])...)
			}
			d.Gallery = gallery
			d.Prerendered = prerendered
		}
		// Every docs page has the search box (search.ts), examples or not.
		if p.Kind == "doc" || p.Kind == "docindex" {
			if u, ok := b.assets["search.js"]; ok {
				d.Scripts = append(d.Scripts, u)
				d.Search = searchURL
			}
		}
		switch {
		case len(p.Examples) > 0:
			if u, ok := b.assets["docs.js"]; ok {
				d.Scripts = append(d.Scripts, u)
				d.Preloads = append(d.Preloads, strings.Fields(b.assets[chunksKey("docs.js")])...)
			}
			d.Entropy = fmt.Sprintf("%x", DocsEntropy)
			d.Time = DocsTime.UTC().Format("2006-01-02T15:04:05Z07:00")
		}
		var buf bytes.Buffer
		if err := layouts.ExecuteTemplate(&buf, "base.html", d); err != nil {
			return fmt.Errorf("rendering %s: %w", p.URL, err)
		}
		b.out[p.Out] = buf.Bytes()
		b.stats.Pages++
	}
	b.out["sitemap.xml"] = b.sitemap(all)
	if err := b.schema(); err != nil {
		return err
	}
	return nil
}

func (b *builder) sitemap(pages []*page) []byte {
	var urls []string
	for _, p := range pages {
		if p.Kind != "404" {
			urls = append(urls, p.URL)
		}
	}
	sort.Strings(urls)
	var w bytes.Buffer
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		fmt.Fprintf(&w, "  <url><loc>%s%s</loc></url>\n", template.HTMLEscapeString(b.baseURL()), template.HTMLEscapeString(u))
	}
	w.WriteString("</urlset>\n")
	return w.Bytes()
}

// baseURL is the absolute site address for the sitemap: Options.BaseURL,
// else Netlify's URL build variable, else the default deploy name.
func (b *builder) baseURL() string {
	u := b.opts.BaseURL
	if u == "" {
		u = os.Getenv("URL")
	}
	if u == "" {
		u = "https://fleetyard.netlify.app"
	}
	return strings.TrimRight(u, "/")
}
