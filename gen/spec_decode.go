package gen

import (
	"unsafe"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
	"github.com/fleetyard/fleetyard/gen/jsonw"
)

// The spec decoder is one loop over the Spec types' field tables
// (fields<T>, the [jsonw.Struct]s internal/specgen writes into
// spec_gen.go from the types' json tags, which the JSON writer reads too)
// instead of a generated function per type: those were about 45 KB of the
// wasm module. The loop stores through field offsets, always as the
// field's own Go type, so the garbage collector sees ordinary typed
// writes; TestSpecCodeGenerated keeps the tables equal to what the types
// say now.

// sliceHeader is a slice's layout, for setting a list whose element type
// the loop knows only by its table; data is typed as a pointer, so the
// store is seen by the garbage collector.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// decodeStruct fills the value of type t at p from the members of the
// object v (checked by the caller), as the generated per-type functions
// did: each member pushed on the path while it decodes, unknown members
// reported with the type's field names.
func (d *decoder) decodeStruct(v *jsonpos.Value, p unsafe.Pointer, t *jsonw.Struct) {
	next := 0 // where the previous member's field ends
	for _, m := range v.Members {
		i := findField(t.Fields, m.Key, next)
		if i < 0 {
			d.unknownField(m, fieldNames(t.Fields))
			continue
		}
		next = i + 1
		f := &t.Fields[i]
		d.push(m.Key)
		q := unsafe.Add(p, f.Off)
		switch f.Kind {
		case jsonw.KString:
			d.str(m.Value, (*string)(q))
		case jsonw.KInt:
			d.int(m.Value, (*int)(q))
		case jsonw.KBool:
			d.bool(m.Value, (*bool)(q))
		case jsonw.KBoolPtr:
			d.boolPtr(m.Value, (**bool)(q))
		case jsonw.KStrings:
			d.strs(m.Value, (*[]string)(q))
		case jsonw.KStruct:
			if d.check(m.Value, shObject) {
				d.decodeStruct(m.Value, q, f.Type)
			}
		case jsonw.KStructPtr:
			if d.check(m.Value, shObject) {
				e := newSpecValues(f.Type, 1)
				*(*unsafe.Pointer)(q) = e
				d.decodeStruct(m.Value, e, f.Type)
			}
		case jsonw.KStructs:
			if l := d.list(m.Value, shObjects); l > 0 {
				data := newSpecValues(f.Type, l)
				*(*sliceHeader)(q) = sliceHeader{data: data, len: l, cap: l}
				for i, e := range m.Value.Elems {
					if d.elem(i, e, shObject) {
						d.decodeStruct(e, unsafe.Add(data, uintptr(i)*f.Type.Size), f.Type)
					}
					d.pop()
				}
			}
		}
		d.pop()
	}
}

// findField returns the index of the member named key, or -1. It looks
// from index from on first, then before it: members usually come in field
// order (fleet.json and the examples are written so), and then each one is
// found at the first comparison.
func findField(fs []jsonw.Field, key string, from int) int {
	for i := from; i < len(fs); i++ {
		if fs[i].Name == key {
			return i
		}
	}
	for i := range min(from, len(fs)) {
		if fs[i].Name == key {
			return i
		}
	}
	return -1
}

// fieldNames lists a type's member names, for an unknown-field message
// (an error path: the tables keep no second copy of the names).
func fieldNames(fs []jsonw.Field) []string {
	names := make([]string, len(fs))
	for i := range fs {
		names[i] = fs[i].Name
	}
	return names
}
