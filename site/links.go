package site

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/tdewolff/minify/v2"
	minhtml "github.com/tdewolff/minify/v2/html"
	"golang.org/x/net/html"
)

// linkAttrs are the attributes that point at other resources of the site.
var linkAttrs = map[string]bool{"href": true, "src": true, "data-worker": true, "data-wasm": true, "data-wasm-full": true}

// htmlLinks returns every id and every (attribute, value) link in an HTML
// document.
func htmlLinks(doc []byte) (ids map[string]bool, links []string, err error) {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, nil, err
	}
	ids = map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "id" || (a.Key == "name" && n.Data == "a"):
					ids[a.Val] = true
				case linkAttrs[a.Key]:
					links = append(links, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return ids, links, nil
}

// target maps a site URL path to the output file that serves it.
func (b *builder) target(p string) (string, bool) {
	name := strings.TrimPrefix(p, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	_, ok := b.out[name]
	return name, ok
}

// checkLinks fails the build on any internal link (page, #anchor or asset)
// that does not resolve, naming the page and the link.
func (b *builder) checkLinks() error {
	idCache := map[string]map[string]bool{}
	idsOf := func(name string) map[string]bool {
		if ids, ok := idCache[name]; ok {
			return ids
		}
		ids, _, _ := htmlLinks(b.out[name])
		idCache[name] = ids
		return ids
	}
	var problems []string
	names := make([]string, 0, len(b.out))
	for name := range b.out {
		if strings.HasSuffix(name, ".html") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		ids, links, err := htmlLinks(b.out[name])
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: HTML does not parse: %v", b.srcOf(name), err))
			continue
		}
		idCache[name] = ids
		base := "/" + strings.TrimSuffix(name, "index.html")
		for _, l := range links {
			u, err := url.Parse(l)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: link %q does not parse: %v", b.srcOf(name), l, err))
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				continue // other sites and data: URLs are not ours to check
			}
			p := u.Path
			if p == "" {
				p = base
			} else if !strings.HasPrefix(p, "/") {
				p = path.Join(path.Dir(base+"x"), p)
				if strings.HasSuffix(u.Path, "/") {
					p += "/"
				}
			}
			tgt, ok := b.target(p)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: broken link %q: nothing is built at %s", b.srcOf(name), l, p))
				continue
			}
			// The playground's fragment carries a spec, not an anchor.
			if u.Fragment != "" && strings.HasSuffix(tgt, ".html") && !strings.HasPrefix(u.Fragment, "fleet=") {
				if !idsOf(tgt)[u.Fragment] {
					problems = append(problems, fmt.Sprintf("%s: broken anchor %q: %s has no id %q", b.srcOf(name), l, p, u.Fragment))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("site: %d broken link(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// srcOf names the source of an output page for error messages.
func (b *builder) srcOf(out string) string {
	for _, p := range b.pages {
		if p.Out == out {
			return "content/" + p.Src + " (" + p.URL + ")"
		}
	}
	return out
}

func (b *builder) minifyHTML() error {
	m := minify.New()
	m.Add("text/html", &minhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	for name, data := range b.out {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		var buf bytes.Buffer
		if err := m.Minify("text/html", &buf, bytes.NewReader(data)); err != nil {
			return fmt.Errorf("site: minifying %s: %w", name, err)
		}
		b.out[name] = buf.Bytes()
	}
	return nil
}
