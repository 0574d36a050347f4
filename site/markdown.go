package site

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// frontMatter is the small header of a content page:
//
//	---
//	title: Two-tier secrets
//	weight: 20
//	section: Patterns
//	description: …
//	---
type frontMatter struct {
	Title       string
	Weight      int
	Section     string
	Description string
}

// parseFrontMatter splits src into its front matter and body. Only
// `key: value` lines are understood; values may be quoted. An unknown key is
// an error so a typo does not silently drop a setting.
func parseFrontMatter(src []byte) (frontMatter, []byte, error) {
	var fm frontMatter
	s := string(src)
	s = strings.TrimPrefix(s, "\ufeff")
	if !strings.HasPrefix(s, "---\n") && !strings.HasPrefix(s, "---\r\n") {
		return fm, src, nil
	}
	rest := s[strings.Index(s, "\n")+1:]
	end := -1
	lines := strings.SplitAfter(rest, "\n")
	off := 0
	var header []string
	for _, l := range lines {
		if strings.TrimRight(l, "\r\n") == "---" {
			end = off + len(l)
			break
		}
		header = append(header, strings.TrimRight(l, "\r\n"))
		off += len(l)
	}
	if end < 0 {
		return fm, nil, fmt.Errorf("front matter is not closed: add a line with --- after the header")
	}
	for i, l := range header {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		key, val, ok := strings.Cut(l, ":")
		if !ok {
			return fm, nil, fmt.Errorf("front matter line %d: %q is not `key: value`", i+2, l)
		}
		key = strings.TrimSpace(key)
		val = strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' && val[len(val)-1] == '"' || val[0] == '\'' && val[len(val)-1] == '\'') {
			val = val[1 : len(val)-1]
		}
		switch key {
		case "title":
			fm.Title = val
		case "section":
			fm.Section = val
		case "description":
			fm.Description = val
		case "weight":
			var w int
			if _, err := fmt.Sscanf(val, "%d", &w); err != nil {
				return fm, nil, fmt.Errorf("front matter line %d: weight %q is not an integer", i+2, val)
			}
			fm.Weight = w
		default:
			return fm, nil, fmt.Errorf("front matter line %d: unknown key %q (known: title, weight, section, description)", i+2, key)
		}
	}
	return fm, []byte(rest[end:]), nil
}

// tocEntry is one heading in a page's table of contents.
type tocEntry struct {
	Level int
	ID    string
	Text  string
}

// markdown converts content pages. The fenced-block renderer calls back into
// the builder (live examples, reference), so one instance serves one build
// and pages are rendered one at a time.
type markdown struct {
	md  goldmark.Markdown
	cur *page
	b   *builder
}

func newMarkdown(b *builder) *markdown {
	m := &markdown{b: b}
	m.md = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(
			ghtml.WithUnsafe(), // content/ is ours; pages may use a little raw HTML
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{m: m}, 100)),
		),
	)
	return m
}

// render converts p's Markdown body to HTML and fills its table of contents.
func (m *markdown) render(p *page, body []byte) error {
	m.cur = p
	defer func() { m.cur = nil }()
	ctx := parser.NewContext()
	doc := m.md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			if h.Level >= 2 && h.Level <= 3 && len(idb) > 0 {
				p.TOC = append(p.TOC, tocEntry{Level: h.Level, ID: string(idb), Text: plainText(h, body)})
			}
			if h.Level == 1 && p.Title == "" {
				p.Title = plainText(h, body)
			}
		}
		return ast.WalkContinue, nil
	})
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, body, doc); err != nil {
		return err
	}
	p.Body = buf.Bytes()
	return nil
}

// plainText is the text of an inline subtree (headings for the TOC).
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// The typographer's quotes and dashes are HTML entities
			// ("&rsquo;"), and the TOC and title are text that templates
			// escape: kept as they are, a heading "the users' secrets"
			// showed in the TOC as "users&rsquo; secrets".
			b.WriteString(html.UnescapeString(string(t.Value)))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// nodeRenderer overrides headings (anchor links) and fenced code blocks
// (chroma, live examples, the spec reference).
type nodeRenderer struct{ m *markdown }

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, r.heading)
	reg.Register(ast.KindFencedCodeBlock, r.fenced)
	reg.Register(ast.KindCodeBlock, r.indented)
}

// headingView is what the heading render hook
// (layouts/_markup/render-heading.html) sees.
type headingView struct {
	Level int
	// ID is the heading's id, from the parser's automatic heading IDs: the
	// attribute syntax is off, so it is the only attribute a heading has.
	ID string
	// Text is the heading's inline content, rendered by goldmark.
	Text template.HTML
}

func (r *nodeRenderer) heading(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	h := n.(*ast.Heading)
	v := headingView{Level: h.Level}
	if id, ok := h.AttributeString("id"); ok {
		if idb, ok := id.([]byte); ok {
			v.ID = string(idb)
		}
	}
	// Like Hugo's hook, the template gets the content already rendered: the
	// children go through the same renderer (links, code, emphasis), into a
	// buffer of their own, and are skipped in the main walk.
	var inner bytes.Buffer
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		if err := r.m.md.Renderer().Render(&inner, src, c); err != nil {
			return ast.WalkStop, err
		}
	}
	v.Text = template.HTML(inner.String())
	out, err := renderLayout("render-heading.html", v)
	if err != nil {
		return ast.WalkStop, err
	}
	w.Write(out)
	return ast.WalkSkipChildren, nil
}

func codeText(n ast.Node, src []byte) []byte {
	var buf bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		buf.Write(seg.Value(src))
	}
	return buf.Bytes()
}

func (r *nodeRenderer) indented(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	out, err := highlight(codeText(n, src), "")
	if err != nil {
		return ast.WalkStop, err
	}
	w.Write(out)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) fenced(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	fb := n.(*ast.FencedCodeBlock)
	info := ""
	if fb.Info != nil {
		info = string(fb.Info.Segment.Value(src))
	}
	lang, args, _ := strings.Cut(strings.TrimSpace(info), " ")
	body := codeText(n, src)
	p := r.m.cur
	// The fleet and reference blocks have render hooks of their own
	// (layouts/_markup/render-codeblock-LANG.html); any other language is
	// highlighted code.
	var out []byte
	var err error
	switch lang {
	case "fleet":
		out, err = r.m.b.renderExample(p, args, body)
	case "reference":
		out, err = renderReference()
	default:
		out, err = highlight(body, lang)
	}
	if err != nil {
		return ast.WalkStop, err
	}
	w.Write(out)
	return ast.WalkSkipChildren, nil
}

// lexerFor maps a fence language or file extension to a chroma lexer.
func lexerFor(lang string) chroma.Lexer {
	switch strings.ToLower(lang) {
	case "", "text", "plain", "txt":
		return lexers.Fallback
	case "sh", "shell", "console":
		lang = "bash"
	case "jsonc":
		lang = "json"
	case "md":
		lang = "markdown"
	case "yml":
		lang = "yaml"
	}
	if l := lexers.Get(lang); l != nil {
		return l
	}
	return lexers.Fallback
}

// lexerForPath picks the lexer for a generated file by its extension.
func lexerForPath(p string) chroma.Lexer {
	base := p[strings.LastIndex(p, "/")+1:]
	switch {
	case strings.HasSuffix(base, ".nix"):
		return lexerFor("nix")
	case strings.HasSuffix(base, ".yaml"), strings.HasSuffix(base, ".yml"):
		return lexerFor("yaml")
	case strings.HasSuffix(base, ".json"):
		return lexerFor("json")
	case strings.HasSuffix(base, ".md"):
		return lexerFor("markdown")
	case strings.HasSuffix(base, ".sh"):
		return lexerFor("bash")
	case strings.HasSuffix(base, ".toml"):
		return lexerFor("toml")
	}
	return lexers.Fallback
}

var chromaFormatter = chromahtml.New(chromahtml.WithClasses(true))

// highlight renders code as <pre class="chroma"> with token classes. The
// text content of the result is exactly code.
func highlight(code []byte, lang string) ([]byte, error) {
	return highlightWith(code, lexerFor(lang))
}

func highlightWith(code []byte, l chroma.Lexer) ([]byte, error) {
	l = chroma.Coalesce(l)
	it, err := l.Tokenise(nil, string(code))
	var buf bytes.Buffer
	if err == nil {
		err = chromaFormatter.Format(&buf, styles.Fallback, it)
	}
	if err != nil {
		// Lexer trouble must not break a page: fall back to plain text.
		return renderLayout("code-plain.html", string(code))
	}
	// A long line scrolls the block sideways, which a keyboard can do only
	// in an element it can focus (axe: scrollable-region-focusable).
	return bytes.Replace(buf.Bytes(), []byte(`<pre class="chroma">`), []byte(`<pre class="chroma" tabindex="0">`), 1), nil
}
