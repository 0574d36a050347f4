package site

import (
	"bytes"
	"html"
	"reflect"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// refField is one row of the fleet.json reference.
type refField struct {
	Path    string // users[].home.aggregates
	Type    string // string, integer, boolean, list of string, object
	Doc     string
	Default string
}

// referenceFields lists every spec field. It reads the json tags of
// gen.Spec by reflection, so the table cannot drift from the decoder.
func referenceFields() []refField {
	var out []refField
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			row := refField{Path: p, Type: typeName(ft)}
			out = append(out, row)
			switch ft.Kind() {
			case reflect.Struct:
				walk(ft, p)
			case reflect.Slice:
				if e := ft.Elem(); e.Kind() == reflect.Struct {
					walk(e, p+"[]")
				}
			}
		}
	}
	walk(reflect.TypeOf(gen.Spec{}), "")
	return out
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Slice:
		e := t.Elem()
		if e.Kind() == reflect.Struct {
			return "list of objects"
		}
		return "list of " + typeName(e)
	case reflect.Struct:
		return "object"
	case reflect.Pointer:
		return typeName(t.Elem())
	}
	return t.Kind().String()
}

// renderReference renders the ```reference directive: a table of every
// fleet.json field.
func renderReference() []byte {
	var w bytes.Buffer
	w.WriteString(`<div class="fy-reference"><table><thead><tr><th>Field</th><th>Type</th><th>Default</th><th>Meaning</th></tr></thead><tbody>` + "\n")
	for _, f := range referenceFields() {
		depth := strings.Count(f.Path, ".")
		w.WriteString(`<tr class="fy-ref-depth` + string(rune('0'+min(depth, 4))) + `" id="` + html.EscapeString(refID(f.Path)) + `">`)
		w.WriteString(`<td><code>` + html.EscapeString(f.Path) + `</code></td><td>` + html.EscapeString(f.Type) + `</td><td>`)
		if f.Default != "" {
			w.WriteString(`<code>` + html.EscapeString(f.Default) + `</code>`)
		}
		w.WriteString(`</td><td>` + html.EscapeString(f.Doc) + "</td></tr>\n")
	}
	w.WriteString("</tbody></table></div>\n")
	return w.Bytes()
}

// refID makes a field path usable as an HTML id ("users[].home" -> "f-users-home").
func refID(p string) string {
	r := strings.NewReplacer("[]", "", ".", "-")
	return "f-" + r.Replace(p)
}
