package jsonw_test

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/fleetyard/fleetyard/gen/jsonw"
)

// kinds has a field of every kind a table describes, with and without
// omitempty, and a named string type (written as its string).
type kinds struct {
	S     string   `json:"s"`
	SE    string   `json:"se,omitempty"`
	N     name     `json:"n,omitempty"`
	I     int      `json:"i"`
	IE    int      `json:"ie,omitempty"`
	U     uint32   `json:"u"`
	UE    uint32   `json:"ue,omitempty"`
	B     bool     `json:"b"`
	BE    bool     `json:"be,omitempty"`
	BP    *bool    `json:"bp"`
	BPE   *bool    `json:"bpe,omitempty"`
	SS    []string `json:"ss"`
	SSE   []string `json:"sse,omitempty"`
	Sub   inner    `json:"sub"`
	SubE  inner    `json:"sube,omitempty"` // omitempty never drops a struct
	SP    *inner   `json:"sp"`
	SPE   *inner   `json:"spe,omitempty"`
	List  []inner  `json:"list"`
	ListE []inner  `json:"liste,omitempty"`
}

type name string

type inner struct {
	X int    `json:"x"`
	Y string `json:"y,omitempty"`
}

// The tables internal/specgen would write for kinds and inner.
var (
	innerTable = jsonw.Struct{Size: unsafe.Sizeof(inner{}), Fields: []jsonw.Field{
		{Name: "x", Off: unsafe.Offsetof(inner{}.X), Kind: jsonw.KInt},
		{Name: "y", Off: unsafe.Offsetof(inner{}.Y), Kind: jsonw.KString, OmitEmpty: true},
	}}
	kindsTable = jsonw.Struct{Size: unsafe.Sizeof(kinds{}), Fields: []jsonw.Field{
		{Name: "s", Off: unsafe.Offsetof(kinds{}.S), Kind: jsonw.KString},
		{Name: "se", Off: unsafe.Offsetof(kinds{}.SE), Kind: jsonw.KString, OmitEmpty: true},
		{Name: "n", Off: unsafe.Offsetof(kinds{}.N), Kind: jsonw.KString, OmitEmpty: true},
		{Name: "i", Off: unsafe.Offsetof(kinds{}.I), Kind: jsonw.KInt},
		{Name: "ie", Off: unsafe.Offsetof(kinds{}.IE), Kind: jsonw.KInt, OmitEmpty: true},
		{Name: "u", Off: unsafe.Offsetof(kinds{}.U), Kind: jsonw.KUint32},
		{Name: "ue", Off: unsafe.Offsetof(kinds{}.UE), Kind: jsonw.KUint32, OmitEmpty: true},
		{Name: "b", Off: unsafe.Offsetof(kinds{}.B), Kind: jsonw.KBool},
		{Name: "be", Off: unsafe.Offsetof(kinds{}.BE), Kind: jsonw.KBool, OmitEmpty: true},
		{Name: "bp", Off: unsafe.Offsetof(kinds{}.BP), Kind: jsonw.KBoolPtr},
		{Name: "bpe", Off: unsafe.Offsetof(kinds{}.BPE), Kind: jsonw.KBoolPtr, OmitEmpty: true},
		{Name: "ss", Off: unsafe.Offsetof(kinds{}.SS), Kind: jsonw.KStrings},
		{Name: "sse", Off: unsafe.Offsetof(kinds{}.SSE), Kind: jsonw.KStrings, OmitEmpty: true},
		{Name: "sub", Off: unsafe.Offsetof(kinds{}.Sub), Kind: jsonw.KStruct, Type: &innerTable},
		{Name: "sube", Off: unsafe.Offsetof(kinds{}.SubE), Kind: jsonw.KStruct, OmitEmpty: true, Type: &innerTable},
		{Name: "sp", Off: unsafe.Offsetof(kinds{}.SP), Kind: jsonw.KStructPtr, Type: &innerTable},
		{Name: "spe", Off: unsafe.Offsetof(kinds{}.SPE), Kind: jsonw.KStructPtr, OmitEmpty: true, Type: &innerTable},
		{Name: "list", Off: unsafe.Offsetof(kinds{}.List), Kind: jsonw.KStructs, Type: &innerTable},
		{Name: "liste", Off: unsafe.Offsetof(kinds{}.ListE), Kind: jsonw.KStructs, OmitEmpty: true, Type: &innerTable},
	}}
)

func (k *kinds) AppendJSON(dst []byte, w jsonw.Writer, depth int) []byte {
	return w.AppendStruct(dst, unsafe.Pointer(k), &kindsTable, depth)
}

// TestAppendStructEveryKind holds AppendStruct to encoding/json for each
// kind of field, empty and set, with and without omitempty: the spec types
// use only some kinds (no uint32 field, for one), so their tests alone
// would leave the others unchecked.
func TestAppendStructEveryKind(t *testing.T) {
	yes, no := true, false
	set := kinds{S: "a\"<b>", SE: "é", N: "named", I: -3, IE: 1 << 40, U: 0o755, UE: 1<<32 - 1,
		B: true, BE: true, BP: &no, BPE: &yes, SS: []string{"x", ""}, SSE: []string{"y"},
		Sub: inner{X: 1, Y: "y"}, SubE: inner{X: 2}, SP: &inner{X: 3}, SPE: &inner{Y: "z"},
		List: []inner{{X: 4}, {Y: "w"}}, ListE: []inner{{}}}
	for _, tt := range []struct {
		name string
		v    *kinds
	}{
		{"zero", &kinds{}},
		{"set", &set},
		{"empty lists", &kinds{SS: []string{}, SSE: []string{}, List: []inner{}, ListE: []inner{}}},
		{"nil", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := jsonw.MarshalIndent(tt.v), encodingJSON(t, tt.v, true); !bytes.Equal(got, want) {
				t.Errorf("MarshalIndent differs from encoding/json:\ngot:\n%s\nwant:\n%s", got, want)
			}
			if got, want := jsonw.Marshal(tt.v), encodingJSON(t, tt.v, false); !bytes.Equal(got, want) {
				t.Errorf("Marshal differs from encoding/json:\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
