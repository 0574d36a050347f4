package gen_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestAgeKeyCheckPointsAtEveryonesKey: step 2 of the README ends with a
// check ("must print the age1… key listed for you in …") that every admin
// and every user with secrets runs. The place it names must hold that
// person's key: clan's keyring, sops/users/<name>/key.json, has the admins
// only (see the validation script: "Only admins are in the clan keyring"),
// so a user such as seed.json's raquel has to be sent where her key is
// listed, the README's table of sops-nix keys.
func TestAgeKeyCheckPointsAtEveryonesKey(t *testing.T) {
	_, files := generateExample(t, "seed")
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = string(f.Data)
	}
	md := byPath["README.md"]
	var check string
	for _, l := range strings.Split(md, "\n") {
		if strings.Contains(l, "must print the age1") {
			check = l
		}
	}
	if check == "" {
		t.Fatal("README has no age key check")
	}
	// Everyone who runs step 2: the rows of the sops-nix keys table that
	// are people (admins and users), with their recipients.
	row := regexp.MustCompile("(?m)^\\| ([^|]+) \\| (admin|user) \\| `&[^`]+` \\| `(age1[0-9a-z]+)` \\|$")
	people := row.FindAllStringSubmatch(md, -1)
	if len(people) < 3 {
		t.Fatalf("README's key table lists %d people, want admin, crs58 and raquel", len(people))
	}
	for _, p := range people {
		name, recipient := p[1], p[3]
		switch {
		case strings.Contains(check, "sops/users/<you>/key.json"):
			if !strings.Contains(byPath["sops/users/"+name+"/key.json"], recipient) {
				t.Errorf("%s is sent to sops/users/%s/key.json for their key %s, which that file does not hold", name, name, recipient)
			}
		case strings.Contains(check, "table"):
			// The table row itself holds the recipient (matched above).
		default:
			t.Errorf("the age key check names no place holding the keys: %q", check)
		}
	}
}
