package site

import (
	"bytes"
	"html"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// renderReference renders the ```reference directive: one row per field of
// gen.Reference(), the same list the JSON Schema is generated from, so the
// docs cannot drift from the decoder.
func renderReference() []byte {
	var w bytes.Buffer
	w.WriteString(`<div class="fy-reference"><table><thead><tr><th>Field</th><th>Type</th><th>Default</th><th>Meaning</th></tr></thead><tbody>` + "\n")
	for _, f := range gen.Reference() {
		depth := strings.Count(strings.ReplaceAll(f.Path, "[]", ""), ".")
		w.WriteString(`<tr class="fy-ref-depth` + string(rune('0'+min(depth, 4))) + `" id="` + html.EscapeString(refID(f.Path)) + `">`)
		w.WriteString(`<td><a class="fy-ref-link" href="#` + html.EscapeString(refID(f.Path)) + `"><code>` + html.EscapeString(f.Path) + `</code></a>`)
		if f.Required {
			w.WriteString(` <span class="fy-ref-req">required</span>`)
		}
		w.WriteString(`</td><td>` + html.EscapeString(f.Type) + `</td><td>`)
		if f.Default != "" {
			w.WriteString(`<code>` + html.EscapeString(f.Default) + `</code>`)
		}
		w.WriteString(`</td><td>` + html.EscapeString(f.Description))
		if len(f.Enum) > 0 {
			w.WriteString(` <span class="fy-ref-meta">One of: `)
			for i, e := range f.Enum {
				if i > 0 {
					w.WriteString(", ")
				}
				w.WriteString(`<code>` + html.EscapeString(e) + `</code>`)
			}
			w.WriteString(`.</span>`)
		}
		if f.Pattern != "" {
			w.WriteString(` <span class="fy-ref-meta">Pattern: <code>` + html.EscapeString(f.Pattern) + `</code>`)
			if f.MaxLength > 0 {
				w.WriteString(`, at most ` + itoa(f.MaxLength) + ` characters`)
			}
			w.WriteString(`.</span>`)
		}
		w.WriteString("</td></tr>\n")
	}
	w.WriteString("</tbody></table></div>\n")
	return w.Bytes()
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

// refID makes a field path usable as an HTML id ("users[].home" -> "f-users-home").
func refID(p string) string {
	r := strings.NewReplacer("[]", "", ".", "-")
	return "f-" + r.Replace(p)
}
