// Package jsonw writes JSON as encoding/json's Marshal and indenting
// Encoder do with HTML escaping off, for the few kinds of Go values
// Fleetyard writes: structs with json tags, slices, maps with string keys,
// strings, integers, bools, [Number] and [Indented]. It exists to keep
// encoding/json's encoder (about 50 KB of the brotli-compressed wasm
// module) out of the browser; the tests hold it to encoding/json's bytes.
package jsonw

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Indented is JSON text written at depth zero with two-space indentation,
// embedded as it is by [MarshalIndent]: only its line starts are indented
// to the depth it is written at (JSON strings cannot hold a raw newline, so
// every newline in it is between tokens). [Marshal] writes it unchanged.
type Indented []byte

var (
	indentedType = reflect.TypeFor[Indented]()
	numberType   = reflect.TypeFor[Number]()
)

// Number is the text of a JSON number, written as it is: decoded specs keep
// numbers as their text so that nothing is rounded on the way through.
type Number string

// MarshalIndent returns v as encoding/json's MarshalIndent(v, "", "  ")
// with HTML escaping off. It panics on a type outside the supported set:
// callers pass fixed types, so that is a bug the tests find.
func MarshalIndent(v any) []byte {
	return AppendIndent(nil, v)
}

// AppendIndent appends [MarshalIndent]'s bytes to dst.
func AppendIndent(dst []byte, v any) []byte {
	w := writer{pretty: true}
	return w.value(dst, reflect.ValueOf(v), 0)
}

// Marshal returns v as encoding/json's Marshal with HTML escaping off. It
// panics on a type outside the supported set, like [MarshalIndent].
func Marshal(v any) []byte {
	var w writer
	return w.value(nil, reflect.ValueOf(v), 0)
}

// writer holds the one choice between the two layouts. Depths are counted
// in levels, not carried as indentation strings, so writing a deep value
// allocates nothing but its output (fleet.json of a large fleet is written
// on every keystroke).
type writer struct{ pretty bool }

// spaces is indentation to slice from: 32 levels, deeper than any value
// Fleetyard writes; deeper ones are written in pieces.
const spaces = "                                                                "

// newline starts a line at depth, or does nothing when compact.
func (w writer) newline(dst []byte, depth int) []byte {
	if !w.pretty {
		return dst
	}
	dst = append(dst, '\n')
	for n := 2 * depth; n > 0; n -= len(spaces) {
		dst = append(dst, spaces[:min(n, len(spaces))]...)
	}
	return dst
}

func (w writer) value(dst []byte, v reflect.Value, depth int) []byte {
	if !v.IsValid() {
		return append(dst, "null"...)
	}
	switch v.Type() {
	case indentedType:
		text := v.Bytes()
		if !w.pretty {
			return append(dst, text...)
		}
		for {
			i := slices.Index(text, '\n')
			if i < 0 {
				return append(dst, text...)
			}
			dst = w.newline(append(dst, text[:i]...), depth)
			text = text[i+1:]
		}
	case numberType:
		return append(dst, v.String()...)
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		return w.value(dst, v.Elem(), depth)
	case reflect.String:
		return AppendString(dst, v.String())
	case reflect.Bool:
		return strconv.AppendBool(dst, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(dst, v.Uint(), 10)
	case reflect.Slice:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		if v.Len() == 0 {
			return append(dst, "[]"...)
		}
		dst = append(dst, '[')
		for i := range v.Len() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = w.newline(dst, depth+1)
			dst = w.value(dst, v.Index(i), depth+1)
		}
		return append(w.newline(dst, depth), ']')
	case reflect.Map:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		if v.Type().Key().Kind() != reflect.String {
			break
		}
		if v.Len() == 0 {
			return append(dst, "{}"...)
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			dst = w.member(dst, i, k, depth)
			dst = w.value(dst, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), depth+1)
		}
		return append(w.newline(dst, depth), '}')
	case reflect.Struct:
		n := 0
		for _, f := range fieldsOf(v.Type()) {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			if n == 0 {
				dst = append(dst, '{')
			}
			dst = w.member(dst, n, f.name, depth)
			dst = w.value(dst, fv, depth+1)
			n++
		}
		if n == 0 {
			return append(dst, "{}"...)
		}
		return append(w.newline(dst, depth), '}')
	}
	panic("gen: cannot write a " + v.Type().String() + " as JSON")
}

// member writes the separator and key of an object's i-th member, whose
// object is at depth.
func (w writer) member(dst []byte, i int, name string, depth int) []byte {
	if i > 0 {
		dst = append(dst, ',')
	}
	dst = w.newline(dst, depth+1)
	dst = AppendString(dst, name)
	dst = append(dst, ':')
	if w.pretty {
		dst = append(dst, ' ')
	}
	return dst
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

type field struct {
	name      string
	index     int
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf lists the exported fields of t that encoding/json would
// write, with their names from the json tag.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		fs = append(fs, field{name: name, index: i, omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	fieldCache.Store(t, fs)
	return fs
}

// AppendString appends s quoted as encoding/json quotes it with HTML escaping off:
// short escapes for \b \f \n \r \t, \u00XX for other control characters,
// \u2028 and \u2029 (line separators to JavaScript), and U+FFFD for bytes
// that are not UTF-8.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
