package site

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/share"
)

// Example is one live example as a page renders it. Tests use the same type
// to regenerate and compare.
type Example struct {
	// Page is the content file ("docs/secrets.md") and Index the example's
	// 1-based position on it, for error messages.
	Page  string
	Index int
	// Name is the example in content/examples ("seed"), empty for an inline spec.
	Name string
	// Spec is the exact spec JSON text embedded in the page.
	Spec []byte
	// Show are the generated paths the page displays.
	Show []string
}

func (e Example) where() string {
	s := fmt.Sprintf("content/%s: live example #%d", e.Page, e.Index)
	if e.Name != "" {
		s += " (example=" + e.Name + ")"
	}
	return s
}

// Generate runs the generator exactly as the docs build does. A panic in
// the generator becomes an error naming the example, so the build says
// which page triggered it.
func (e Example) Generate() (files []gen.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			files, err = nil, fmt.Errorf("%s: the generator panicked: %v", e.where(), r)
		}
	}()
	spec, diags := gen.Parse(e.Spec)
	if spec == nil || gen.HasErrors(diags) {
		var msgs []string
		for _, d := range diags {
			if d.Severity != gen.Error {
				continue
			}
			m := d.Message
			if d.Path != "" {
				m = d.Path + ": " + m
			}
			if d.Line > 0 {
				m = fmt.Sprintf("%d:%d: %s", d.Line, d.Col, m)
			}
			msgs = append(msgs, m)
		}
		return nil, fmt.Errorf("%s: the spec is invalid:\n  %s", e.where(), strings.Join(msgs, "\n  "))
	}
	files, err = gen.Generate(spec, gen.Options{Entropy: DocsEntropy, Time: DocsTime})
	if err != nil {
		return nil, fmt.Errorf("%s: generating: %w", e.where(), err)
	}
	return files, nil
}

var exampleName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// parseExampleArgs reads the fence info after "fleet": example=NAME and
// show=PATH,PATH.
func parseExampleArgs(args string) (name string, show []string, err error) {
	for _, f := range strings.Fields(args) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return "", nil, fmt.Errorf("%q is not key=value (use example=NAME show=PATH,PATH)", f)
		}
		switch k {
		case "example":
			if !exampleName.MatchString(v) {
				return "", nil, fmt.Errorf("example=%q is not a file stem in content/examples", v)
			}
			name = v
		case "show":
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					show = append(show, s)
				}
			}
		default:
			return "", nil, fmt.Errorf("unknown option %q (known: example, show)", k)
		}
	}
	if len(show) == 0 {
		return "", nil, fmt.Errorf("no show= list: name the generated files to display, e.g. show=flake.nix,.sops.yaml")
	}
	return name, show, nil
}

// loadExample reads content/examples/<name>.json as exact text (only a
// trailing newline is dropped).
func (b *builder) loadExample(name string) ([]byte, error) {
	data, err := os.ReadFile(b.path("content", "examples", name+".json"))
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(data, "\r\n"), nil
}

func isEncrypted(f gen.File) bool {
	return bytes.Contains(f.Data, []byte("ENC[AES256_GCM,"))
}

// jsonInScript makes JSON text safe inside <script>: "</" and "<!--" can only
// occur inside JSON strings, where "<\/" and "\u003c!--" mean the same.
func jsonInScript(b []byte) []byte {
	if !bytes.Contains(b, []byte("</")) && !bytes.Contains(b, []byte("<!--")) {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("</"), []byte(`<\/`))
	return bytes.ReplaceAll(b, []byte("<!--"), []byte(`\u003c!--`))
}

func (b *builder) renderExample(p *page, args string, body []byte) ([]byte, error) {
	ex := Example{Page: p.Src, Index: len(p.Examples) + 1}
	name, show, err := parseExampleArgs(args)
	if err != nil {
		return nil, fmt.Errorf("%s: ```fleet block: %v", ex.where(), err)
	}
	ex.Name, ex.Show = name, show
	inline := bytes.TrimSpace(body)
	switch {
	case name != "" && len(inline) > 0:
		return nil, fmt.Errorf("%s: has both example=%s and an inline spec; use one", ex.where(), name)
	case name != "":
		if ex.Spec, err = b.loadExample(name); err != nil {
			return nil, fmt.Errorf("%s: %v (examples live in content/examples/<name>.json)", ex.where(), err)
		}
	case len(inline) == 0:
		return nil, fmt.Errorf("%s: empty ```fleet block: give example=NAME or put a spec in the block", ex.where())
	default:
		ex.Spec = inline
	}
	files, err := ex.Generate()
	if err != nil {
		return nil, err
	}
	byPath := map[string]gen.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	var missing []string
	for _, s := range show {
		if _, ok := byPath[s]; !ok {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		var have []string
		for _, f := range files {
			have = append(have, f.Path)
		}
		return nil, fmt.Errorf("%s: show= names files the generator did not produce: %s\n  generated (%d): %s",
			ex.where(), strings.Join(missing, ", "), len(files), strings.Join(have, ", "))
	}
	p.Examples = append(p.Examples, ex)
	b.stats.Examples++

	var w bytes.Buffer
	fmt.Fprintf(&w, `<figure class="fy-example" data-show="%s"`, html.EscapeString(strings.Join(show, ",")))
	if name != "" {
		fmt.Fprintf(&w, ` data-example="%s"`, name)
	}
	w.WriteString(">\n")
	src := "an inline spec"
	if name != "" {
		src = "<code>content/examples/" + name + ".json</code>"
	}
	fmt.Fprintf(&w, `<figcaption class="fy-example-caption"><span class="fy-example-label">Live example</span> %d of the %d files generated from %s</figcaption>`+"\n", len(show), len(files), src)
	w.WriteString(`<script type="application/json" class="fy-spec">`)
	w.Write(jsonInScript(ex.Spec))
	w.WriteString("</script>\n<div class=\"fy-example-files\">\n")
	for _, s := range show {
		f := byPath[s]
		fmt.Fprintf(&w, `<section class="fy-file" data-path="%s"><h4 class="fy-file-path">%s</h4>`, html.EscapeString(s), html.EscapeString(s))
		if isEncrypted(f) {
			w.WriteString(`<p class="fy-file-note">Encrypted with the public docs entropy: example only — generate your own in the playground or with <code>fleetyard gen</code>.</p>`)
		}
		w.Write(highlightWith(f.Data, lexerForPath(s)))
		w.WriteString("</section>\n")
	}
	w.WriteString("</div>\n<p class=\"fy-example-actions\">")
	if frag, err := share.Encode(ex.Spec); err == nil {
		fmt.Fprintf(&w, `<a class="fy-open" href="/playground/#fleet=%s">Open in playground</a> `, frag)
	}
	w.WriteString(`<button class="fy-edit" type="button">Edit this example</button></p>` + "\n</figure>\n")
	return w.Bytes(), nil
}

// examplesGallery is the JSON array embedded in the playground page.
var exampleTitles = []struct{ Name, Title string }{
	{"seed", "Seed fleet: two Hetzner servers, a shared Mac, two users"},
	{"minimal", "Minimal: one NixOS server"},
	{"large", "Large: a hundred machines"},
}

func (b *builder) examplesGallery() ([]byte, error) {
	var w bytes.Buffer
	w.WriteString("[")
	seen := map[string]bool{}
	n := 0
	add := func(name, title string) error {
		spec, err := b.loadExample(name)
		if err != nil {
			return err
		}
		if n > 0 {
			w.WriteString(",")
		}
		n++
		fmt.Fprintf(&w, `{"name":%s,"title":%s,"spec":`, jsonString(name), jsonString(title))
		w.Write(spec)
		w.WriteString("}")
		return nil
	}
	for _, e := range exampleTitles {
		if _, err := os.Stat(b.path("content", "examples", e.Name+".json")); err != nil {
			continue
		}
		seen[e.Name] = true
		if err := add(e.Name, e.Title); err != nil {
			return nil, err
		}
	}
	// Examples added later without a title still appear, after the known ones.
	more, _ := filepath.Glob(b.path("content", "examples", "*.json"))
	for _, m := range more {
		name := strings.TrimSuffix(filepath.Base(m), ".json")
		if !seen[name] {
			if err := add(name, name); err != nil {
				return nil, err
			}
		}
	}
	w.WriteString("]")
	return jsonInScript(w.Bytes()), nil
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == '<' || r == '>' || r == '&':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
