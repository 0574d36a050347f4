// Package jsonw writes JSON as encoding/json's Marshal and indenting
// Encoder do with HTML escaping off, for the few kinds of Go values
// Fleetyard writes: generic values (maps with string keys, slices, strings,
// integers, bools, [Number] and [Indented]) through a type switch, and
// structs through their AppendJSON methods ([Appender]), which
// internal/specgen generates from their json tags together with a field
// table per type ([Struct]) that [Writer.AppendStruct] writes from. It exists to keep
// encoding/json's encoder (about 50 KB of the brotli-compressed wasm
// module) and the reflect package out of the browser; the tests hold it to
// encoding/json's bytes.
package jsonw

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// Indented is JSON text written at depth zero with two-space indentation,
// embedded as it is by [MarshalIndent]: only its line starts are indented
// to the depth it is written at (JSON strings cannot hold a raw newline, so
// every newline in it is between tokens). [Marshal] writes it unchanged.
type Indented []byte

// Number is the text of a JSON number, written as it is: decoded specs keep
// numbers as their text so that nothing is rounded on the way through.
type Number string

// Appender is a value that writes itself as JSON: a struct, whose
// AppendJSON internal/specgen generates. depth is the depth of the
// value itself (its members are at depth+1).
type Appender interface {
	AppendJSON(dst []byte, w Writer, depth int) []byte
}

// MarshalIndent returns v as encoding/json's MarshalIndent(v, "", "  ")
// with HTML escaping off. It panics on a type outside the supported set:
// callers pass fixed types, so that is a bug the tests find.
func MarshalIndent(v any) []byte {
	return AppendIndent(nil, v)
}

// AppendIndent appends [MarshalIndent]'s bytes to dst.
func AppendIndent(dst []byte, v any) []byte {
	return Writer{pretty: true}.Value(dst, v, 0)
}

// Marshal returns v as encoding/json's Marshal with HTML escaping off. It
// panics on a type outside the supported set, like [MarshalIndent].
func Marshal(v any) []byte {
	return Writer{}.Value(nil, v, 0)
}

// Writer holds the one choice between the two layouts, compact
// ([Marshal]) or indented ([MarshalIndent]). Depths are counted in levels,
// not carried as indentation strings, so writing a deep value allocates
// nothing but its output (fleet.json of a large fleet is written on every
// keystroke).
type Writer struct{ pretty bool }

// spaces is indentation to slice from: 32 levels, deeper than any value
// Fleetyard writes; deeper ones are written in pieces.
const spaces = "                                                                "

// newline starts a line at depth, or does nothing when compact.
func (w Writer) newline(dst []byte, depth int) []byte {
	if !w.pretty {
		return dst
	}
	dst = append(dst, '\n')
	for n := 2 * depth; n > 0; n -= len(spaces) {
		dst = append(dst, spaces[:min(n, len(spaces))]...)
	}
	return dst
}

// Value appends v, at depth, for the generic kinds of values and
// [Appender]s. It panics on any other type.
func (w Writer) Value(dst []byte, v any, depth int) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case Appender:
		return v.AppendJSON(dst, w, depth)
	case Indented:
		return w.indented(dst, v, depth)
	case Number:
		return append(dst, v...)
	case string:
		return AppendString(dst, v)
	case bool:
		return strconv.AppendBool(dst, v)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case []string:
		return w.AppendStrings(dst, v, depth)
	case []int:
		return appendSlice(dst, w, v, depth)
	case []any:
		return appendSlice(dst, w, v, depth)
	case map[string]any:
		return appendMap(dst, w, v, depth)
	case map[string]string:
		return appendMap(dst, w, v, depth)
	}
	panic("jsonw: cannot write this type as JSON; give it an AppendJSON method (internal/specgen)")
}

// indented embeds text (see [Indented]) at depth.
func (w Writer) indented(dst []byte, text Indented, depth int) []byte {
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
}

// appendSlice writes a slice of generic values; nil is null, as in
// encoding/json.
func appendSlice[E any](dst []byte, w Writer, xs []E, depth int) []byte {
	if xs == nil {
		return append(dst, "null"...)
	}
	if len(xs) == 0 {
		return append(dst, "[]"...)
	}
	dst = append(dst, '[')
	for i := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = w.newline(dst, depth+1)
		dst = w.Value(dst, xs[i], depth+1)
	}
	return append(w.newline(dst, depth), ']')
}

// appendMap writes a map with its keys sorted, as encoding/json does.
func appendMap[V any](dst []byte, w Writer, m map[string]V, depth int) []byte {
	if m == nil {
		return append(dst, "null"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		dst = w.Member(dst, i, k, depth)
		dst = w.Value(dst, m[k], depth+1)
	}
	return w.End(dst, len(keys), depth)
}

// AppendStrings appends a list of strings at depth; nil is null.
func (w Writer) AppendStrings(dst []byte, xs []string, depth int) []byte {
	if xs == nil {
		return append(dst, "null"...)
	}
	if len(xs) == 0 {
		return append(dst, "[]"...)
	}
	dst = append(dst, '[')
	for i, s := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = w.newline(dst, depth+1)
		dst = AppendString(dst, s)
	}
	return append(w.newline(dst, depth), ']')
}

// AppendNull appends null (a nil pointer or list).
func AppendNull(dst []byte) []byte { return append(dst, "null"...) }

// OpenList starts a list of n elements: null for a nil list, [] for an
// empty one, else the opening bracket. The caller then writes each element
// after [Writer.Item] and ends with [Writer.CloseList] (as
// [Writer.AppendStruct] does), rather than calling one generic function:
// each instantiation of one was about 2 KB of wasm.
func OpenList(dst []byte, n int, isNil bool) []byte {
	switch {
	case isNil:
		return append(dst, "null"...)
	case n == 0:
		return append(dst, "[]"...)
	}
	return append(dst, '[')
}

// Item starts element i of a list whose elements are at depth.
func (w Writer) Item(dst []byte, i, depth int) []byte {
	if i > 0 {
		dst = append(dst, ',')
	}
	return w.newline(dst, depth)
}

// CloseList ends a list of n elements at depth (its elements are at
// depth+1) that [OpenList] started: nothing for an empty or nil list.
func (w Writer) CloseList(dst []byte, n, depth int) []byte {
	if n == 0 {
		return dst
	}
	return append(w.newline(dst, depth), ']')
}

// AppendBoolPtr appends *p, or null for a nil p.
func AppendBoolPtr(dst []byte, p *bool) []byte {
	if p == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendBool(dst, *p)
}

// Member writes the separator and key of the i-th member of an object at
// depth, opening the object before the first. [Writer.End] closes it.
func (w Writer) Member(dst []byte, i int, name string, depth int) []byte {
	if i > 0 {
		dst = append(dst, ',')
	} else {
		dst = append(dst, '{')
	}
	dst = w.newline(dst, depth+1)
	dst = AppendString(dst, name)
	dst = append(dst, ':')
	if w.pretty {
		dst = append(dst, ' ')
	}
	return dst
}

// End closes an object at depth that has n members ({} when n is 0).
func (w Writer) End(dst []byte, n, depth int) []byte {
	if n == 0 {
		return append(dst, "{}"...)
	}
	return append(w.newline(dst, depth), '}')
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
