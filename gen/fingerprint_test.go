package gen

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
)

// Changing any one field of a machine or a user, its references included,
// changes its fingerprint: a field added to the model without being added
// to the fingerprint fails here, before it can serve stale memoized files.
func TestFingerprintCoversEveryField(t *testing.T) {
	s := model(exampleSpec(t, "seed"))
	var m *machine
	for _, x := range s.Machines {
		if len(x.users) > 0 {
			m = x
		}
	}
	u := s.Users[0]
	// omit names the fields a fingerprint leaves out: changing them must
	// leave it unchanged, and changing any other must change it.
	check := func(what string, v any, fp func() fingerprint, omit ...string) {
		rv := reflect.ValueOf(v).Elem()
		for i := 0; i < rv.NumField(); i++ {
			// unexported fields (the references) are reached by address
			f := reflect.NewAt(rv.Field(i).Type(), rv.Field(i).Addr().UnsafePointer()).Elem()
			name := rv.Type().Field(i).Name
			if f.Type() == reflect.TypeFor[memoKey]() {
				continue // the fingerprint's own memo, not an input
			}
			before := fp()
			saved := reflect.New(f.Type()).Elem()
			saved.Set(f)
			mutate(f, s)
			switch same := bytes.Equal(before, fp()); {
			case slices.Contains(omit, name) && !same:
				t.Errorf("%s.%s: changing it changes the fingerprint, which should leave it out", what, name)
			case !slices.Contains(omit, name) && same:
				t.Errorf("%s.%s: changing it leaves the fingerprint unchanged", what, name)
			}
			f.Set(saved)
			if !bytes.Equal(before, fp()) {
				t.Fatalf("%s.%s: restoring it did not restore the fingerprint", what, name)
			}
		}
	}
	check("machine", m, func() fingerprint { return fingerprint(nil).machine(m, withText) })
	check("user", u, func() fingerprint { return fingerprint(nil).user(u, withText) })
	check("machine (bare)", m, func() fingerprint { return fingerprint(nil).machine(m, withoutText) }, "Description")
	check("user (bare)", u, func() fingerprint { return fingerprint(nil).user(u, withoutText) }, "FullName", "Email")
}

// mutate gives v a different value of its type.
func mutate(v reflect.Value, s *fleet) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Slice:
		n := reflect.MakeSlice(v.Type(), v.Len()+1, v.Len()+1)
		reflect.Copy(n, v)
		e := n.Index(v.Len())
		switch e.Kind() {
		case reflect.String:
			e.SetString("extra")
		case reflect.Pointer:
			// another entity of the same kind, with a name of its own
			p := reflect.New(e.Type().Elem())
			p.Elem().FieldByName("Name").SetString("extra")
			e.Set(p)
		}
		v.Set(n)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
			return
		}
		cp := reflect.New(v.Type().Elem())
		cp.Elem().Set(v.Elem())
		mutate(cp.Elem().Field(0), s)
		v.Set(cp)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			mutate(v.Field(i), s)
		}
	default:
		panic("mutate: no case for " + v.Kind().String())
	}
}
