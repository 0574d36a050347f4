package gen

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
	"github.com/fleetyard/fleetyard/gen/jsonw"
)

// Schema returns the JSON Schema (draft 2020-12) of the fleet spec, indented
// with two spaces, byte-for-byte the same on every call. Structure comes
// from the Go types; descriptions, defaults, enums and patterns from
// [Reference]; a machine's class-specific rules from [machineClassRules].
// Rules across objects (unique names, references between machines and
// users, …) are beyond JSON Schema; [Parse] checks them.
func Schema() []byte {
	ref := map[string]Field{}
	for _, f := range Reference() {
		ref[f.Path] = f
	}
	root := obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"title", "Fleetyard fleet spec, version 1"},
		{"description", "fleet.json: machines, users, keys, overlays and cloud servers from which Fleetyard generates a clan-core Nix repository."},
	}
	root = append(root, objectSchema(reflect.TypeOf(Spec{}), "", ref)...)
	var b bytes.Buffer
	writeJSON(&b, root, "")
	b.WriteByte('\n')
	return b.Bytes()
}

// obj is a JSON object with its members in a fixed order.
type obj []member

type member struct {
	k string
	v any
}

func objectSchema(t reflect.Type, path string, ref map[string]Field) obj {
	props := obj{}
	var required []any
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || !t.Field(i).IsExported() {
			continue
		}
		p := joinPath(path, name)
		f := ref[p]
		props = append(props, member{name, fieldSchema(t.Field(i).Type, p, f, ref)})
		if f.Required {
			required = append(required, name)
		}
	}
	o := obj{{"type", "object"}, {"properties", props}}
	if len(required) > 0 {
		o = append(o, member{"required", required})
	}
	return append(o, member{"additionalProperties", false})
}

func fieldSchema(t reflect.Type, path string, f Field, ref map[string]Field) obj {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	o := obj{}
	if f.Description != "" {
		o = append(o, member{"description", f.Description})
	}
	switch t.Kind() {
	case reflect.Slice:
		var items obj
		if t.Elem().Kind() == reflect.Struct {
			items = objectSchema(t.Elem(), path+"[]", ref)
			if path == "machines" {
				items = append(items, member{"allOf", machineClassRules()})
			}
		} else {
			items = scalarSchema(t.Elem(), f)
		}
		o = append(o, member{"type", "array"}, member{"items", items})
		if f.Required {
			o = append(o, member{"minItems", 1})
		}
		if f.MaxItems > 0 {
			o = append(o, member{"maxItems", f.MaxItems})
		}
	case reflect.Struct:
		o = append(o, objectSchema(t, path, ref)...)
	default:
		o = append(o, scalarSchema(t, f)...)
	}
	if v, errs := jsonpos.Parse([]byte(f.Default)); f.Default != "" && len(errs) == 0 {
		o = append(o, member{"default", generic(v)})
	}
	return o
}

func scalarSchema(t reflect.Type, f Field) obj {
	switch t.Kind() {
	case reflect.Bool:
		return obj{{"type", "boolean"}}
	case reflect.Int:
		if len(f.Enum) == 1 {
			n, _ := strconv.Atoi(f.Enum[0])
			return obj{{"type", "integer"}, {"const", n}}
		}
		if f.Path == "users[].uid" {
			return obj{{"type", "integer"}, {"minimum", 1}, {"maximum", 2147483646}}
		}
		return obj{{"type", "integer"}}
	}
	o := obj{{"type", "string"}}
	if len(f.Enum) > 0 {
		e := make([]any, len(f.Enum))
		for i, s := range f.Enum {
			e[i] = s
		}
		o = append(o, member{"enum", e})
	}
	if f.Pattern != "" {
		o = append(o, member{"pattern", f.Pattern})
	}
	if f.Required || f.Pattern != "" || len(f.Enum) > 0 {
		o = append(o, member{"minLength", 1})
	}
	if f.MaxLength > 0 {
		o = append(o, member{"maxLength", f.MaxLength})
	}
	return o
}

// writeJSON prints v indented by two spaces per level. It knows only the
// types the schema uses, and never escapes <, > or & (unlike encoding/json),
// so patterns stay readable.
func writeJSON(b *bytes.Buffer, v any, indent string) {
	switch v := v.(type) {
	case obj:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range v {
			b.WriteString(indent + "  ")
			writeString(b, m.k)
			b.WriteString(": ")
			writeJSON(b, m.v, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSON(b, e, indent)
		}
		b.WriteByte(']')
	case string:
		writeString(b, v)
	case int:
		b.WriteString(strconv.Itoa(v))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case map[string]any: // a default written as a JSON object (generic)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := make(obj, len(keys))
		for i, k := range keys {
			o[i] = member{k, v[k]}
		}
		writeJSON(b, o, indent)
	case jsonw.Number:
		b.WriteString(string(v))
	case nil:
		b.WriteString("null")
	}
}

func writeString(b *bytes.Buffer, s string) {
	b.Write(jsonw.AppendString(b.AvailableBuffer(), s))
}

// machineClassRules are the rules of a machine that depend on its class, as
// JSON Schema conditionals, so that an editor validating fleet.json against
// the schema flags a Mac with x86_64-linux, or a darwin machine with a
// hetzner block, as Parse does (validate.go, checker.machines): the system
// must be of the class, the stateVersion in the class's form, hetzner and
// disk blocks only on nixos, the darwin block only on darwin, and the
// zerotier controller a nixos machine.
func machineClassRules() []any {
	systems := func(of func(string) bool) []any {
		var out []any
		for _, s := range enumSystem {
			if of(s) {
				out = append(out, s)
			}
		}
		return out
	}
	when := func(c class, then obj) obj {
		return obj{
			{"if", obj{{"properties", obj{{"class", obj{{"const", string(c)}}}}}, {"required", []any{"class"}}}},
			{"then", obj{{"properties", then}}},
		}
	}
	return []any{
		when(classNixOS, obj{
			{"system", obj{{"enum", systems(linuxSystem)}}},
			{"stateVersion", obj{{"pattern", "^" + stateVersionNixOS + "$"}}},
			{"darwin", false},
		}),
		when(classDarwin, obj{
			{"system", obj{{"enum", systems(darwinSystem)}}},
			{"stateVersion", obj{{"pattern", "^" + stateVersionDarwin + "$"}}},
			{"zerotier", obj{{"not", obj{{"const", string(zerotierCtl)}}}}},
			{"hetzner", false},
			{"disk", false},
		}),
	}
}
