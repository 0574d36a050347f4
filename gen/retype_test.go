package gen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// TestRetypeSameAsDecode types into every field retype decodes alone, in
// each example, pretty-printed and on one line (where every position after
// the value moves by columns), through one Cache: after each keystroke the
// spec and the diagnostics must be exactly a fresh Parse's. The values
// include what the field's rule refuses (private key text, a NUL, an
// address without @), so diagnostics appear, move and go.
func TestRetypeSameAsDecode(t *testing.T) {
	values := []string{"a", "ab", "", "-x", "_y", "fleet-name", "Ünïcode \"q\" \\ x", "-----BEGIN OPENSSH PRIVATE KEY-----", "nul \x00 here", "user@example.org", "no-at-sign", "line\nbreak"}
	for _, name := range examples(t) {
		data, err := os.ReadFile(filepath.Join("..", "content", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		json.Unmarshal(data, &doc)
		compact, _ := json.Marshal(doc)
		for _, text := range [][]byte{data, compact} {
			cache := NewCache()
			before := retyped.Load()
			check := func(what string, text []byte) {
				t.Helper()
				got, gotDiags := cache.Parse(text)
				want, wantDiags := Parse(text)
				if (got == nil) != (want == nil) {
					t.Fatalf("%s: %s: Cache.Parse gave a fleet: %v, Parse: %v", name, what, got != nil, want != nil)
				}
				if !reflect.DeepEqual(gotDiags, wantDiags) {
					t.Fatalf("%s: %s: diagnostics differ\ngot:  %+v\nwant: %+v", name, what, gotDiags, wantDiags)
				}
				if got != nil && !reflect.DeepEqual(got.Spec(), want.Spec()) {
					t.Fatalf("%s: %s: the spec differs from Parse's", name, what)
				}
			}
			check("start", text)
			fields := 0
			for bit, field := range typedFields {
				if retypeFields&(1<<bit) == 0 {
					continue
				}
				found := false
				for n := 0; n < 2; n++ {
					for _, v := range values {
						var l stringLeaf
						k := 0
						for _, x := range stringLeaves(t, text) {
							if x.field == field {
								if k == n {
									l, found = x, true
								}
								k++
							}
						}
						if l.end == 0 {
							break
						}
						lit, _ := json.Marshal(v)
						text = slices.Concat(text[:l.start], lit, text[l.end:])
						check(field+" = "+string(lit), text)
					}
				}
				if found {
					fields++
				}
			}
			if fields > 0 && retyped.Load() == before {
				t.Errorf("%s: %d fields typed into, but retype never decoded one", name, fields)
			}
			if name == "large.json" && fields < 4 {
				t.Errorf("%s: only %d fields typed into", name, fields)
			}
		}
	}
}
