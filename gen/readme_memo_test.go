package gen

import (
	"strings"
	"testing"
)

// The README memo may only ignore the fleet's name and description and the
// machines' descriptions: every other line of fleet.json, including names
// and descriptions elsewhere (a machine's name, a package's description, a
// vars prompt's) and a user's "machines" list, must count.
func TestEqualButReadmeText(t *testing.T) {
	base := `{
  "name": "f",
  "description": "fleet",
  "machines": [
    {
      "name": "a",
      "description": "one",
      "hetzner": {
        "description": "nested"
      }
    },
    {
      "name": "b",
      "description": "two"
    }
  ],
  "users": [
    {
      "name": "u",
      "description": "not a machine's",
      "machines": [
        "a"
      ]
    }
  ]
}
`
	tests := []struct {
		name string
		old  string
		new  string
		want bool
	}{
		{"same text", base, base, true},
		{"a machine's description", `      "description": "one",`, `      "description": "ONE, edited",`, true},
		{"the last machine's description", `      "description": "two"`, `      "description": "changed"`, true},
		{"the fleet's description", `  "description": "fleet",`, `  "description": "other",`, true},
		{"the fleet's name", `  "name": "f",`, `  "name": "fleet-2",`, true},
		{"a user's name", `      "name": "u",`, `      "name": "v",`, false},
		{"a description nested in a machine", `        "description": "nested"`, `        "description": "x"`, false},
		{"a user's description-like member", `      "description": "not a machine's",`, `      "description": "x",`, false},
		{"a machine's name", `      "name": "b",`, `      "name": "c",`, false},
		{"a user's machines", `        "a"`, `        "b"`, false},
		{"a description added", `      "name": "b",` + "\n" + `      "description": "two"`, `      "name": "b"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("the base text has no %q", tt.old)
			}
			edited := strings.Replace(base, tt.old, tt.new, 1)
			if got := equalButReadmeText([]byte(base), []byte(edited)); got != tt.want {
				t.Errorf("equalButReadmeText = %v, want %v", got, tt.want)
			}
			if got := equalButReadmeText([]byte(edited), []byte(base)); got != tt.want {
				t.Errorf("reversed: equalButReadmeText = %v, want %v", got, tt.want)
			}
		})
	}
	if equalButReadmeText([]byte(base), []byte(base[:len(base)-3])) {
		t.Error("a truncated text compared equal")
	}
}

// Machine description and fleet name edits must reuse the remembered sections, and
// anything else must not (the randomized TestIncrementalMatchesScratch
// checks the bytes; this checks that the memo is actually used).
func TestReadmeMemoUsedForNameAndDescriptionEdits(t *testing.T) {
	spec := `{"version": 1, "name": "f", "domain": "f",
	  "admins": [{"name": "admin", "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture"]}],
	  "machines": [{"name": "a", "class": "nixos", "description": "DESC"}],
	  "users": [{"name": "u", "machines": ["a"], "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"]}]}`
	c := NewCache()
	regenerate(t, c, spec)
	first := c.readmeText
	regenerate(t, c, strings.Replace(spec, "DESC", "another description", 1))
	if &c.readmeText[0] != &first[0] {
		t.Error("a machine description edit rewrote the README's users, access and bootstrap sections")
	}
	second := c.readmeText
	regenerate(t, c, strings.Replace(spec, `"name": "f"`, `"name": "fleet-renamed"`, 1))
	if &c.readmeText[0] != &second[0] {
		t.Error("renaming the fleet rewrote the README's users, access and bootstrap sections")
	}
	regenerate(t, c, strings.Replace(spec, `"name": "u"`, `"name": "v"`, 1))
	if &c.readmeText[0] == &first[0] {
		t.Error("renaming a user reused the README sections written before")
	}
}
