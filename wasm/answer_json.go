package main

// A hand-written JSON encoder for the generate answer, the one result the
// worker asks for on every keystroke: jsonw walks values by reflection,
// which cost a sixth of a regeneration for 560 files. It writes the bytes
// encoding/json writes with HTML escaping off (answer_json_test.go holds it
// to that), field by field in api.go's order and with its omitempty rules;
// a new field in api.go needs a line here, or that test fails.

import (
	"strconv"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/jsonw"
)

// generateJSON returns r as JSON.
func generateJSON(r *GenerateResult) []byte {
	return appendGenerate(make([]byte, 0, 256+160*len(r.Files)), r)
}

// obj writes an object's members: each call to field adds the separator
// and the quoted name. Its methods are not inlined: in wasm every inlined
// copy costs kilobytes of module for nothing measurable in speed.
type obj struct {
	dst   []byte
	first bool
}

//go:noinline
func openObj(dst []byte) obj { return obj{dst: append(dst, '{'), first: true} }

//go:noinline
func (o *obj) field(name string) {
	if !o.first {
		o.dst = append(o.dst, ',')
	}
	o.first = false
	o.dst = append(o.dst, '"')
	o.dst = append(o.dst, name...)
	o.dst = append(o.dst, '"', ':')
}

//go:noinline
func (o *obj) str(name, v string) {
	o.field(name)
	o.dst = jsonw.AppendString(o.dst, v)
}

//go:noinline
func (o *obj) num(name string, v int64) {
	o.field(name)
	o.dst = strconv.AppendInt(o.dst, v, 10)
}

//go:noinline
func (o *obj) boolean(name string, v bool) {
	o.field(name)
	o.dst = strconv.AppendBool(o.dst, v)
}

//go:noinline
func (o *obj) close() []byte { return append(o.dst, '}') }

// list writes a JSON array of n elements (null for a nil slice, as
// encoding/json does), each by elem.
//
//go:noinline
func list(dst []byte, isNil bool, n int, elem func([]byte, int) []byte) []byte {
	if isNil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = elem(dst, i)
	}
	return append(dst, ']')
}

func appendStrings(dst []byte, s []string) []byte {
	return list(dst, s == nil, len(s), func(d []byte, i int) []byte { return jsonw.AppendString(d, s[i]) })
}

func appendGenerate(dst []byte, r *GenerateResult) []byte {
	o := openObj(dst)
	o.boolean("ok", r.OK)
	o.field("diagnostics")
	o.dst = list(o.dst, r.Diagnostics == nil, len(r.Diagnostics), func(d []byte, i int) []byte { return appendDiagnostic(d, &r.Diagnostics[i]) })
	if r.Error != "" {
		o.str("error", r.Error)
	}
	o.num("base", int64(r.Base))
	o.num("seq", int64(r.Seq))
	o.field("files")
	o.dst = list(o.dst, r.Files == nil, len(r.Files), func(d []byte, i int) []byte { return appendFile(d, &r.Files[i]) })
	if len(r.Removed) > 0 {
		o.field("removed")
		o.dst = appendStrings(o.dst, r.Removed)
	}
	if len(r.Order) > 0 {
		o.field("order")
		o.dst = appendStrings(o.dst, r.Order)
	}
	if r.Fleet != nil {
		o.field("fleet")
		o.dst = appendFleet(o.dst, r.Fleet)
	}
	if r.SameFleet {
		o.boolean("sameFleet", true)
	}
	if len(r.Access) > 0 {
		o.field("access")
		o.dst = list(o.dst, false, len(r.Access), func(d []byte, i int) []byte { return appendAccess(d, &r.Access[i]) })
	}
	if r.SameAccess {
		o.boolean("sameAccess", true)
	}
	if r.Terraform != "" {
		o.str("terraform", r.Terraform)
	}
	if r.SameTerraform {
		o.boolean("sameTerraform", true)
	}
	if r.ManifestLater {
		o.boolean("manifestLater", true)
	}
	return o.close()
}

func appendDiagnostic(dst []byte, d *gen.Diagnostic) []byte {
	o := openObj(dst)
	o.str("path", d.Path)
	o.num("line", int64(d.Line))
	o.num("col", int64(d.Col))
	o.str("severity", string(d.Severity))
	o.str("message", d.Message)
	if d.Hint != "" {
		o.str("hint", d.Hint)
	}
	return o.close()
}

func appendFile(dst []byte, f *FileOut) []byte {
	o := openObj(dst)
	o.str("path", f.Path)
	o.num("mode", int64(f.Mode))
	o.num("size", int64(f.Size))
	o.num("offset", int64(f.Offset))
	o.str("id", f.ID)
	if f.Binary {
		o.boolean("binary", true)
	}
	return o.close()
}

func appendFleet(dst []byte, f *FleetOut) []byte {
	o := openObj(dst)
	o.str("name", f.Name)
	o.field("machines")
	o.dst = list(o.dst, f.Machines == nil, len(f.Machines), func(d []byte, i int) []byte {
		m := &f.Machines[i]
		mo := openObj(d)
		mo.str("name", m.Name)
		mo.str("class", m.Class)
		mo.str("system", m.System)
		mo.str("zerotier", m.Zerotier)
		mo.str("hetzner", m.Hetzner)
		return mo.close()
	})
	o.field("users")
	o.dst = list(o.dst, f.Users == nil, len(f.Users), func(d []byte, i int) []byte {
		u := &f.Users[i]
		uo := openObj(d)
		uo.str("name", u.Name)
		uo.boolean("admin", u.Admin)
		uo.field("machines")
		uo.dst = appendStrings(uo.dst, u.Machines)
		return uo.close()
	})
	o.field("admins")
	o.dst = appendStrings(o.dst, f.Admins)
	return o.close()
}

func appendAccess(dst []byte, a *AccessOut) []byte {
	o := openObj(dst)
	o.str("path", a.Path)
	o.str("tier", a.Tier)
	o.field("readers")
	o.dst = list(o.dst, a.Readers == nil, len(a.Readers), func(d []byte, i int) []byte {
		r := &a.Readers[i]
		ro := openObj(d)
		ro.str("kind", r.Kind)
		ro.str("name", r.Name)
		ro.str("recipient", r.Recipient)
		return ro.close()
	})
	return o.close()
}
