package site

import (
	"html/template"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// renderReference renders the ```reference directive: one row per field of
// gen.Reference(), the same list the JSON Schema is generated from, so the
// docs cannot drift from the decoder. The markup is the render hook
// layouts/_markup/render-codeblock-reference.html.
func renderReference() ([]byte, error) {
	var rows []refRow
	for _, f := range gen.Reference() {
		depth := strings.Count(strings.ReplaceAll(f.Path, "[]", ""), ".")
		rows = append(rows, refRow{Field: f, ID: refID(f.Path), Depth: min(depth, 4)})
	}
	return renderLayout("render-codeblock-reference.html", rows)
}

// refRow is one row of the reference table: the field, its anchor, and its
// nesting depth for indentation (capped at 4, the deepest style site.css has).
type refRow struct {
	gen.Field
	ID    string
	Depth int
}

// BreakablePath is the field's path with a line break allowed after each
// dot, so a narrow column breaks "machines[].disk.device" between its
// parts rather than inside a word. The paths are Fleetyard's own, escaped
// all the same.
func (r refRow) BreakablePath() template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(r.Path), ".", ".<wbr>"))
}

// refID makes a field path usable as an HTML id ("users[].home" -> "f-users-home").
func refID(p string) string {
	r := strings.NewReplacer("[]", "", ".", "-")
	return "f-" + r.Replace(p)
}
