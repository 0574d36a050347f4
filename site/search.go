package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// searchSection is one heading's part of a docs page in the index; the
// section the page's own URL leads to has its description and the text
// before its first heading.
type searchSection struct {
	URL     string `json:"u"` // the page URL, with #heading-id below the first heading
	Page    string `json:"p"` // the page title
	Heading string `json:"h,omitempty"`
	Text    string `json:"t"` // the section's text, white space collapsed
}

// searchIndex builds the docs' search index, which static/ts/search.ts
// fetches the first time a reader focuses the search box (its URL is the
// body's data-search): one file for every docs page, small enough that
// searching needs no server. The pages are in nav order
// so that equally good matches list as the sidebar does. The text is the
// rendered page's, without live examples' generated files (they would match
// most queries through the Nix they show) and without the heading anchors.
func searchIndex(nav []navSection) ([]byte, error) {
	var out struct {
		Version  int             `json:"v"`
		Sections []searchSection `json:"sections"`
	}
	out.Version = 1
	for _, sec := range nav {
		for _, p := range sec.Pages {
			secs, err := pageSections(p)
			if err != nil {
				return nil, fmt.Errorf("search index: %s: %w", p.URL, err)
			}
			out.Sections = append(out.Sections, secs...)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pageSections splits p's rendered body at its h2 and h3 headings; a table
// row with an id (the fleet.json reference's) is a section too.
func pageSections(p *page) ([]searchSection, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(bytes.NewReader(p.Body), ctx)
	if err != nil {
		return nil, err
	}
	// The page's own section, which a search for its subject finds: its
	// description (the lede under the title) and any text before the first
	// heading.
	cur := searchSection{URL: p.URL, Page: p.Title}
	var text strings.Builder
	text.WriteString(p.Description + " ")
	var secs []searchSection
	flush := func() {
		cur.Text = collapseSpace(text.String())
		secs = append(secs, cur)
		text.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
			return
		case html.ElementNode:
		default:
			return
		}
		switch {
		case skippedInSearch(n):
			return
		case n.DataAtom == atom.Tr && attr(n, "id") != "":
			// A row of the fleet.json reference is a section of its own,
			// headed by its field's path, so that a search for a field
			// leads to its row.
			var h, t strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || c.DataAtom != atom.Td {
					continue
				}
				if h.Len() == 0 {
					// The field's path (its <code>), not the "required" tag
					// beside it.
					if code := firstElement(c, atom.Code); code != nil {
						h.WriteString(nodeText(code))
					} else {
						h.WriteString(nodeText(c))
					}
					continue
				}
				t.WriteString(nodeText(c) + " ")
			}
			secs = append(secs, searchSection{URL: p.URL + "#" + attr(n, "id"), Page: p.Title, Heading: collapseSpace(h.String()), Text: collapseSpace(t.String())})
			return
		case (n.DataAtom == atom.H2 || n.DataAtom == atom.H3) && attr(n, "id") != "":
			flush()
			var h strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.DataAtom == atom.A && hasClass(c, "fy-anchor") {
					continue
				}
				h.WriteString(nodeText(c))
			}
			cur = searchSection{URL: p.URL + "#" + attr(n, "id"), Page: p.Title, Heading: collapseSpace(h.String())}
			return
		}
		// Block elements end a run of words, so that two cells or list
		// items do not read as one word.
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if !inlineElement(n.DataAtom) {
			text.WriteByte(' ')
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	flush()
	return secs, nil
}

// skippedInSearch reports whether n's text stays out of the index: scripts,
// the live examples (generated files and the spec they come from) and
// buttons.
func skippedInSearch(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Button, atom.Svg, atom.Template:
		return true
	case atom.Figure:
		return hasClass(n, "fy-example")
	}
	return false
}

func inlineElement(a atom.Atom) bool {
	switch a {
	case atom.A, atom.Code, atom.Em, atom.Strong, atom.Span, atom.B, atom.I, atom.Kbd, atom.Abbr, atom.Sub, atom.Sup, atom.Mark, atom.Small, atom.Wbr:
		return true
	}
	return false
}

// firstElement is the first element of type a in n's subtree, nil if none.
func firstElement(n *html.Node, a atom.Atom) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
		if e := firstElement(c, a); e != nil {
			return e
		}
	}
	return nil
}

func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

// attr is n's attribute key, "" when it has none.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasClass reports whether element n has class among its classes.
func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
