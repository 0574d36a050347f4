package specgen

import (
	"bytes"
	"errors"
	"os"
	"reflect"
)

// Check compares the file at path with what [Generate] writes for o now,
// or rewrites it when update is set. Tests call it so that a field added
// to a type cannot be left out of the generated code: the error says which
// file is stale and regen names the command that refreshes it.
func Check(path string, o Options, update bool, regen string) error {
	want, err := Generate(o)
	if err != nil {
		return err
	}
	if update {
		return os.WriteFile(path, want, 0o644)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return errors.New(path + " is out of date with its types: run " + regen)
	}
	return nil
}

// Fill sets every field of v, for tests that hold generated code to
// encoding/json: strings that need escaping, ints and uints, true, lists of
// two elements, pointers to filled values. With empty, lists are set to
// empty lists and pointers left nil instead.
func Fill(v reflect.Value, empty bool) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("<" + v.Type().String() + "> \"q\"")
	case reflect.Int:
		v.SetInt(-42)
	case reflect.Uint32:
		v.SetUint(0o755)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		if !empty {
			v.Set(reflect.New(v.Type().Elem()))
			Fill(v.Elem(), empty)
		}
	case reflect.Slice:
		n := 2
		if empty {
			n = 0
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			Fill(v.Index(i), empty)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			Fill(v.Field(i), empty)
		}
	default:
		panic("specgen.Fill: add a case for " + v.Kind().String())
	}
}
