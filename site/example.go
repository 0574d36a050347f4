package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/diagtext"
	"github.com/fleetyard/fleetyard/internal/sharelink"
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
		// A named example's positions are in its file; an inline spec's are
		// in the fenced block, which where() names.
		file := ""
		if e.Name != "" {
			file = "content/examples/" + e.Name + ".json"
		}
		var msgs []string
		for _, d := range diags {
			if d.Severity == gen.Error {
				msgs = append(msgs, diagtext.Format(file, d))
			}
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

	view := exampleView{
		Name:      name,
		Show:      strings.Join(show, ","),
		Generated: len(files),
		// The generator accepted the spec as a JSON object above, and
		// jsonInScript keeps a "</" in it from closing the <script> it sits
		// in (type application/json, which browsers never run), so it may
		// go in unescaped: escaping would change the text users edit.
		Spec: template.JS(jsonInScript(ex.Spec)),
	}
	for _, s := range show {
		f := byPath[s]
		code, err := highlightWith(f.Data, lexerForPath(s))
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", ex.where(), s, err)
		}
		view.Files = append(view.Files, exampleFile{Path: s, Encrypted: isEncrypted(f), Code: template.HTML(code)})
	}
	// A spec too large for a URL fragment gets no playground link.
	if frag, err := sharelink.Encode(ex.Spec); err == nil {
		view.Fragment = frag
	}
	out, err := renderLayout("render-codeblock-fleet.html", view)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ex.where(), err)
	}
	return out, nil
}

// exampleView is what the ```fleet render hook
// (layouts/_markup/render-codeblock-fleet.html) sees.
type exampleView struct {
	Name      string        // the example in content/examples, empty for an inline spec
	Show      string        // the show= paths, comma-separated (data-show)
	Generated int           // how many files the generator produced
	Spec      template.JS   // the exact spec text, safe inside <script>
	Files     []exampleFile // the shown files, in show= order
	Fragment  string        // the playground's #fleet= value; empty when too large
}

// exampleFile is one generated file of a live example.
type exampleFile struct {
	Path      string
	Encrypted bool          // a sops file: the page says its keys are public
	Code      template.HTML // chroma's highlighted <pre>, which escapes the text
}

// exampleTitles name the gallery of examples the playground page embeds, in
// this order.
var exampleTitles = []struct{ Name, Title string }{
	{"seed", "Seed fleet: two Hetzner servers, a shared Mac, two users"},
	{"minimal", "Minimal: one NixOS server"},
	{"large", "Large: a hundred machines"},
}

// galleryEntry is one example of the playground's gallery, written as JSON
// by base.html: html/template quotes Name and Title as JSON strings there.
type galleryEntry struct {
	Name, Title string
	Spec        template.JS // the file's exact text, checked to be JSON
}

func (b *builder) examplesGallery() ([]galleryEntry, error) {
	var gallery []galleryEntry
	seen := map[string]bool{}
	add := func(name, title string) error {
		spec, err := b.loadExample(name)
		if err != nil {
			return err
		}
		// Spec goes into the page unescaped, so it must be JSON: anything
		// else could end the surrounding JSON array, or run as script.
		if !json.Valid(spec) {
			return fmt.Errorf("content/examples/%s.json is not valid JSON", name)
		}
		gallery = append(gallery, galleryEntry{Name: name, Title: title, Spec: template.JS(jsonInScript(spec))})
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
	return gallery, nil
}
