package nix

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Every field of every node type enters the key: a field left out would let
// two trees that print differently share a key, and the generator would
// serve one file's bytes for the other. Each sample sets every field; the
// test changes one field at a time (inside bindings, formals and string
// parts too) and requires the key to change.
func TestKeyCoversEveryField(t *testing.T) {
	x, y := Ident("x"), Ident("y")
	samples := []Expr{
		String{Parts: []Part{{Text: "a", Expr: x}}},
		Int(7), Bool(true), Null{}, Path("./p"), Ident("i"),
		Select{X: x, Attrs: []string{"a"}},
		List{x},
		Attrs{Rec: true, Binds: []Binding{{Comment: []string{"c"}, Path: []string{"p"}, Value: x, Inherit: []string{"h"}, InheritFrom: y}}},
		Lambda{Param: "p", Formals: []Formal{{Name: "f", Default: x}}, Ellipsis: true, At: "at", Body: y},
		Apply{Fn: x, Args: []Expr{y}},
		Let{Binds: []Binding{{Path: []string{"p"}, Value: x}}, Body: y},
		BinOp{Op: "+", L: x, R: y},
		If{Cond: x, Then: y, Else: x},
		With{Scope: x, Body: y},
		Commented{Comment: []string{"c"}, X: x},
		SelectOr{X: x, Attrs: []string{"a"}, Default: y},
		Not{X: x},
	}
	key := func(e Expr) string { return string(AppendKey(nil, File{Body: e})) }
	seen := map[string]string{}
	for _, s := range samples {
		name := reflect.TypeOf(s).Name()
		if other, dup := seen[key(s)]; dup {
			t.Errorf("%s and %s have the same key", name, other)
		}
		seen[key(s)] = name
		before := key(s)
		v := reflect.New(reflect.TypeOf(s)).Elem()
		v.Set(reflect.ValueOf(s))
		eachField(v, name, func(path string) {
			cp := reflect.New(v.Type()).Elem()
			cp.Set(deepCopy(v))
			mutateAt(cp, path[len(name):])
			if key(cp.Interface().(Expr)) == before {
				t.Errorf("%s: changing it leaves the key unchanged", path)
			}
		})
	}
	if a, b := AppendKey(nil, File{Header: []string{"h"}, Body: x}), AppendKey(nil, File{Body: x}); bytes.Equal(a, b) {
		t.Error("File.Header: changing it leaves the key unchanged")
	}
	// Pointers print as their values, so they share their values' keys.
	if key(Str("s")) != key(String{Parts: []Part{{Text: "s"}}}) {
		t.Error("*String and String of the same text have different keys")
	}
}

// eachField calls fn with the dotted path of every field of the struct v,
// and of the fields of the first element of its slices of structs.
func eachField(v reflect.Value, prefix string, fn func(path string)) {
	if v.Kind() != reflect.Struct {
		fn(prefix) // a named scalar or slice node: the value itself
		return
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		p := prefix + "." + v.Type().Field(i).Name
		fn(p)
		if f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct && f.Len() > 0 {
			eachField(f.Index(0), p+"[0]", fn)
		}
	}
}

// mutateAt changes the field at path (".A.B[0].C") of v.
func mutateAt(v reflect.Value, path string) {
	for path != "" {
		path = path[1:] // the dot
		name := path
		rest := ""
		for i := 0; i < len(path); i++ {
			if path[i] == '.' || path[i] == '[' {
				name, rest = path[:i], path[i:]
				break
			}
		}
		v = v.FieldByName(name)
		path = rest
		if len(path) >= 3 && path[:3] == "[0]" {
			v = v.Index(0)
			path = path[3:]
		}
	}
	mutate(v)
}

// mutate gives v a different value of its type.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "z")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Interface:
		v.Set(reflect.ValueOf(Ident("changed")))
	case reflect.Slice:
		n := reflect.MakeSlice(v.Type(), v.Len()+1, v.Len()+1)
		reflect.Copy(n, v)
		if n.Index(v.Len()).Kind() == reflect.Interface {
			n.Index(v.Len()).Set(reflect.ValueOf(Ident("extra")))
		}
		v.Set(n)
	case reflect.Struct:
		if v.NumField() == 0 { // Null: no field to change; nothing to check
			return
		}
		mutate(v.Field(0))
	default:
		panic("mutate: no case for " + v.Kind().String())
	}
}

// deepCopy copies v so that mutating the copy's slices leaves v alone.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			n.Field(i).Set(deepCopy(v.Field(i)))
		}
		return n
	}
	return v
}

// Equal keys mean equal prints: over the random files the nixfmt fuzz test
// uses, no two files with one key print differently, and a file's key is
// the same every time.
func TestKeyEqualMeansSamePrint(t *testing.T) {
	printed := map[string][]byte{}
	for seed := uint64(0); seed < 40; seed++ {
		for i := 0; i < 50; i++ {
			g := astGen{r: rand.New(rand.NewPCG(seed, uint64(i)%7))} // repeats on purpose
			f := g.file()
			k := string(AppendKey(nil, f))
			if k != string(AppendKey(nil, f)) {
				t.Fatal("a file's key differs between two calls")
			}
			out := Print(f)
			if prev, ok := printed[k]; ok && !bytes.Equal(prev, out) {
				t.Fatalf("%s: one key, two prints:\n%s\n---\n%s", fmt.Sprint(seed, "/", i), prev, out)
			}
			printed[k] = out
		}
	}
}
