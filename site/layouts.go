package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
)

// layoutPatterns are the template files, named as Hugo names them: page
// layouts at the top, render hooks (headings, fenced code blocks) in
// _markup/, shared pieces in partials/. Templates are addressed by their file
// name, so names must be unique across the folders. The embedded set and the
// one serve re-reads from disk use the same list, so they cannot differ.
var layoutPatterns = []string{"layouts/*.html", "layouts/_markup/*.html", "layouts/partials/*.html"}

//go:embed layouts/*.html layouts/_markup/*.html layouts/partials/*.html
var layoutFS embed.FS

var layouts = template.Must(parseLayouts(layoutFS))

// parseLayouts parses every template under fsys/layouts.
func parseLayouts(fsys fs.FS) (*template.Template, error) {
	return template.New("").Funcs(template.FuncMap{
		"safe": func(b []byte) template.HTML { return template.HTML(b) },
	}).ParseFS(fsys, layoutPatterns...)
}

// renderLayout executes one template (a render hook or a partial) into a
// fragment of a page. All markup is written by html/template, so every value
// the Go code passes is escaped for where it lands; only values typed
// template.HTML or template.JS (chroma's output, checked JSON) are not.
func renderLayout(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := layouts.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("site/layouts: %w", err)
	}
	return buf.Bytes(), nil
}
