package gen

import (
	"reflect"
	"testing"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
	"github.com/fleetyard/fleetyard/gen/jsonw"
	"github.com/fleetyard/fleetyard/internal/specgen"
)

// TestDecodeEveryField writes a spec with every field of every spec type
// set (by reflection, in this test only) and decodes it back through the
// field tables: a field the tables place at the wrong offset, give the
// wrong kind or leave out, or a list or pointer type newSpecValues cannot
// allocate, shows as a difference. The zero spec and lists of one check
// the other side: absent members stay zero.
func TestDecodeEveryField(t *testing.T) {
	var full Spec
	specgen.Fill(reflect.ValueOf(&full).Elem(), false)
	one := Spec{Name: "n", Machines: []Machine{{Name: "m", Hetzner: &Hetzner{ServerType: "cx22"}}}}
	for _, tt := range []struct {
		name string
		spec *Spec
	}{{"every field set", &full}, {"zero", &Spec{}}, {"lists of one", &one}} {
		t.Run(tt.name, func(t *testing.T) {
			data := jsonw.Marshal(tt.spec)
			root, errs := jsonpos.Parse(data)
			if len(errs) > 0 {
				t.Fatalf("%s: %v", data, errs)
			}
			d := &decoder{root: root, bad: map[string]bool{}}
			var got Spec
			d.decodeSpec(root, &got)
			if len(d.diags) > 0 {
				t.Fatalf("decoding %s: %v", data, d.diags)
			}
			if !reflect.DeepEqual(&got, tt.spec) {
				t.Errorf("decoded spec differs from the one written:\ngot  %s\nwant %s", jsonw.Marshal(&got), data)
			}
		})
	}
}
