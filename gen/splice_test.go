package gen

import (
	"strings"
	"testing"
)

// The files that list every machine are joined from per-machine pieces
// with a Cache (addNixSet), and an edit to one machine's description
// prints that machine's inventory entry alone. The bytes are held to the
// uncached generation by TestIncrementalMatchesScratch.
func TestFleetFilesJoinedFromPieces(t *testing.T) {
	spec := `{"version": 1, "name": "f", "domain": "f",
	  "admins": [{"name": "admin", "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture"]}],
	  "machines": [{"name": "a", "class": "nixos", "description": "DESC"}, {"name": "b", "class": "nixos"}, {"name": "c", "class": "nixos"}]}`
	c := NewCache()
	regenerate(t, c, spec)
	count := func(path string) int {
		n := 0
		for k, e := range c.files.m {
			if e.gen == c.files.gen && strings.HasPrefix(k, path+"\x00\x02") {
				n++
			}
		}
		return n
	}
	for _, path := range []string{"modules/clan/machines.nix", "modules/clan/inventory/machines.nix"} {
		if n := count(path); n != 3 {
			t.Errorf("%s: %d pieces remembered, want one per machine (3)", path, n)
		}
	}
	// The pieces remembered after the edit but not before are those it
	// printed.
	before := map[string]bool{}
	for k := range c.files.m {
		before[k] = true
	}
	regenerate(t, c, strings.Replace(spec, "DESC", "edited", 1))
	printed := 0
	for k := range c.files.m {
		if !before[k] && strings.Contains(k, "\x00\x02") {
			printed++
		}
	}
	// One new inventory entry; clan/machines.nix keys its pieces on the
	// machines' bare fingerprints, which leave the description out.
	if printed != 1 {
		t.Errorf("a description edit printed %d pieces, want 1 (the inventory's)", printed)
	}
}

// regenerate parses text with c and generates it, failing t on any error:
// the memo tests' step.
func regenerate(t *testing.T, c *Cache, text string) {
	t.Helper()
	f, diags := c.Parse([]byte(text))
	if HasErrors(diags) {
		t.Fatal(diags)
	}
	if _, err := Generate(f, Options{}); err != nil {
		t.Fatal(err)
	}
}
