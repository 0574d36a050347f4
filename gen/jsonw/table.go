package jsonw

import (
	"strconv"
	"unsafe"
)

// Struct describes a struct type's JSON members for [Writer.AppendStruct]
// (and for gen's spec decoder, which reads the same tables).
// internal/specgen writes one per struct type from its json tags, as a
// package-level literal of constants (unsafe.Offsetof, unsafe.Sizeof) and
// addresses of other tables, which the compiler lays out as static data:
// one loop over these tables replaced a generated AppendJSON body per type
// (about 50 KB of the wasm module).
type Struct struct {
	// Size is the type's size: the stride of a list of it.
	Size uintptr
	// Fields are the members in field order, the order encoding/json
	// writes them in.
	Fields []Field
}

// Field is one member of a [Struct].
type Field struct {
	// Name is the member's JSON name.
	Name string
	// Off is the field's offset in the struct (unsafe.Offsetof).
	Off uintptr
	// Kind is the field's Go type, as far as JSON cares.
	Kind Kind
	// OmitEmpty is the json tag's omitempty: the member is left out when
	// the field is empty as encoding/json defines it (a struct never is).
	OmitEmpty bool
	// Type is the table of the field's struct type, for the struct kinds.
	Type *Struct
}

// Kind is a field's type. The loop reads and writes a field only as this
// type (a string type's value as a string), so every access is an ordinary
// typed one that the garbage collector sees.
type Kind uint8

// The kinds of fields the tables describe.
const (
	KString    Kind = iota // a string type
	KInt                   // an int type
	KUint32                // a uint32 type
	KBool                  // bool
	KBoolPtr               // *bool: null when nil
	KStrings               // []string
	KStruct                // a struct of Type
	KStructPtr             // a pointer to a struct of Type: null when nil
	KStructs               // a list of structs of Type
)

// sliceHeader is a slice's layout, for reading a list whose element type
// only its table knows.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// empty reports whether the field at p is empty as omitempty means it.
func (f *Field) empty(p unsafe.Pointer) bool {
	switch f.Kind {
	case KString:
		return *(*string)(p) == ""
	case KInt:
		return *(*int)(p) == 0
	case KUint32:
		return *(*uint32)(p) == 0
	case KBool:
		return !*(*bool)(p)
	case KBoolPtr, KStructPtr:
		return *(*unsafe.Pointer)(p) == nil
	case KStrings, KStructs:
		return (*sliceHeader)(p).len == 0
	}
	return false
}

// AppendStruct appends the struct of type t at p (null for a nil p) as
// encoding/json writes it, at depth. The AppendJSON methods internal/specgen
// writes call it with their receiver and table.
func (w Writer) AppendStruct(dst []byte, p unsafe.Pointer, t *Struct, depth int) []byte {
	if p == nil {
		return AppendNull(dst)
	}
	n := 0
	for i := range t.Fields {
		f := &t.Fields[i]
		q := unsafe.Add(p, f.Off)
		if f.OmitEmpty && f.empty(q) {
			continue
		}
		dst = w.Member(dst, n, f.Name, depth)
		n++
		switch f.Kind {
		case KString:
			dst = AppendString(dst, *(*string)(q))
		case KInt:
			dst = strconv.AppendInt(dst, int64(*(*int)(q)), 10)
		case KUint32:
			dst = strconv.AppendUint(dst, uint64(*(*uint32)(q)), 10)
		case KBool:
			dst = strconv.AppendBool(dst, *(*bool)(q))
		case KBoolPtr:
			dst = AppendBoolPtr(dst, *(**bool)(q))
		case KStrings:
			dst = w.AppendStrings(dst, *(*[]string)(q), depth+1)
		case KStruct:
			dst = w.AppendStruct(dst, q, f.Type, depth+1)
		case KStructPtr:
			dst = w.AppendStruct(dst, *(*unsafe.Pointer)(q), f.Type, depth+1)
		case KStructs:
			s := (*sliceHeader)(q)
			dst = OpenList(dst, s.len, s.data == nil)
			for j := range s.len {
				dst = w.Item(dst, j, depth+2)
				dst = w.AppendStruct(dst, unsafe.Add(s.data, uintptr(j)*f.Type.Size), f.Type, depth+2)
			}
			dst = w.CloseList(dst, s.len, depth+1)
		}
	}
	return w.End(dst, n, depth)
}
