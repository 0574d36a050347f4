package gen

import (
	"unsafe"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// The spec decoder is one loop over field tables (specTypes, written by
// internal/specgen into spec_gen.go from the types' json tags) instead of
// a generated function per type: the per-type functions were about 45 KB
// of the wasm module, the tables are a few KB of static data. The loop
// stores through field offsets (unsafe.Offsetof in the tables), always as
// the field's own Go type, so the garbage collector sees ordinary typed
// writes; TestSpecCodeGenerated keeps the tables equal to what the types
// say now.

// fieldKind is how a member of a Spec type decodes.
type fieldKind uint8

const (
	fString    fieldKind = iota // string
	fInt                        // int
	fBool                       // bool
	fBoolPtr                    // *bool: nil when absent or null
	fStrings                    // []string
	fStruct                     // a struct, specType typ
	fStructPtr                  // a pointer to a struct of specType typ
	fStructs                    // a list of structs of specType typ
)

// specField is one JSON member of a Spec type.
type specField struct {
	name string
	off  uintptr
	kind fieldKind
	typ  uint8 // the member's struct type, for fStruct, fStructPtr, fStructs
}

// specType is one Spec type: its size (the stride of a list of it) and its
// members in field order (unknown-field messages list them so).
type specType struct {
	size   uintptr
	fields []specField
}

// sliceHeader is a slice's layout, for setting a list whose element type
// the loop knows only by its table; data is typed as a pointer, so the
// store is seen by the garbage collector.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// decodeStruct fills the value of Spec type t at p from the members of the
// object v (checked by the caller), as the generated per-type functions
// did: each member pushed on the path while it decodes, unknown members
// reported with the type's field names.
func (d *decoder) decodeStruct(v *jsonpos.Value, p unsafe.Pointer, t uint8) {
	fs := specTypes[t].fields
	for _, m := range v.Members {
		f := findField(fs, m.Key)
		if f == nil {
			d.unknownField(m, fieldNames(fs))
			continue
		}
		d.push(m.Key)
		q := unsafe.Add(p, f.off)
		switch f.kind {
		case fString:
			d.str(m.Value, (*string)(q))
		case fInt:
			d.int(m.Value, (*int)(q))
		case fBool:
			d.bool(m.Value, (*bool)(q))
		case fBoolPtr:
			d.boolPtr(m.Value, (**bool)(q))
		case fStrings:
			d.strs(m.Value, (*[]string)(q))
		case fStruct:
			if d.check(m.Value, shObject) {
				d.decodeStruct(m.Value, q, f.typ)
			}
		case fStructPtr:
			if d.check(m.Value, shObject) {
				e := newSpecValues(f.typ, 1)
				*(*unsafe.Pointer)(q) = e
				d.decodeStruct(m.Value, e, f.typ)
			}
		case fStructs:
			if l := d.list(m.Value, shObjects); l > 0 {
				data := newSpecValues(f.typ, l)
				*(*sliceHeader)(q) = sliceHeader{data: data, len: l, cap: l}
				size := specTypes[f.typ].size
				for i, e := range m.Value.Elems {
					if d.elem(i, e, shObject) {
						d.decodeStruct(e, unsafe.Add(data, uintptr(i)*size), f.typ)
					}
					d.pop()
				}
			}
		}
		d.pop()
	}
}

// findField returns the member named key, or nil.
func findField(fs []specField, key string) *specField {
	for i := range fs {
		if fs[i].name == key {
			return &fs[i]
		}
	}
	return nil
}

// fieldNames lists a type's member names, for an unknown-field message
// (an error path: the tables keep no second copy of the names).
func fieldNames(fs []specField) []string {
	names := make([]string, len(fs))
	for i := range fs {
		names[i] = fs[i].name
	}
	return names
}
