package gen

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestEveryStringRefusesPrivateKeys puts private key material into every
// string of the seed example in turn, each field and each list element:
// the decoder refuses it at that field, quoting none of it, so the spec
// cannot be generated. Names with a pattern, references and channels used
// to take an age identity and write it into fleet.json, the README, Nix
// files and even a file name.
func TestEveryStringRefusesPrivateKeys(t *testing.T) {
	var doc any
	if err := json.Unmarshal(readExample(t, "seed.json"), &doc); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		"age identity":                        ageSecret,
		"age identity in lower case":          strings.ToLower(ageSecret),
		"SSH private key":                     privKey,
		"OpenSSH body without its BEGIN line": privBody,
	}
	var walk func(v any, path string, set func(any))
	n := 0
	walk = func(v any, path string, set func(any)) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, strings.TrimPrefix(path+"."+k, "."), func(nv any) { x[k] = nv })
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s[%d]", path, i), func(nv any) { x[i] = nv })
			}
		case string:
			n++
			for what, secret := range secrets {
				set(secret)
				text, err := json.Marshal(doc)
				set(x)
				if err != nil {
					t.Fatal(err)
				}
				f, diags := Parse(text)
				if f != nil && !HasErrors(diags) {
					t.Errorf("%s as %s: the spec is accepted", what, path)
					continue
				}
				refused := false
				for _, d := range diags {
					refused = refused || d.Path == path && strings.HasPrefix(d.Message, "private key refused")
					for _, s := range []string{d.Message, d.Hint, d.Path} {
						if strings.Contains(strings.ToUpper(s), "ALK83QZF3D8") || strings.Contains(s, privBody[:24]) {
							t.Errorf("%s as %s: a diagnostic quotes it: %+v", what, path, d)
						}
					}
				}
				if !refused {
					t.Errorf("%s as %s: no private key refusal at the field:\n%v", what, path, diags)
				}
			}
		}
	}
	walk(doc, "", nil)
	if n < 60 {
		t.Fatalf("walked %d strings of the seed example; expected every one", n)
	}
}
