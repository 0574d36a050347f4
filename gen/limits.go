package gen

import (
	"strconv"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// Input limits. Every input that reaches [Parse] (a file, stdin, a
// playground edit, a share link) is bounded, so no spec can make Parse or
// [Generate] run for minutes or exhaust memory (an editor regenerates on
// every keystroke, and a share link is someone else's input). The limits
// are far above real fleets; the reference page lists them, and each
// refusal names the field and the limit.
//
// Measured (native, 2 shared cores) at the limits: 1,000 machines with 100
// accounts each (users[].machines, 100,000 in all) generate in about 2 s;
// 20,000 stub encryptions take about 3 s; a 4 MiB spec parses in well under
// a second. Without them, 100,000 machines ran for over ten minutes.
const (
	// MaxSpecBytes bounds the spec text. The largest example (large.json,
	// 100 machines and 50 users) is 50 KB; a fleet at the list limits with
	// a few keys per user is about 2 MB.
	MaxSpecBytes = 4 << 20
	// maxAccounts bounds users × their machines (the sum of the lengths of
	// users[].machines): each account is a module entry and a home
	// configuration, the product that dominates Generate.
	maxAccounts = 100_000
	// maxVarPlacements bounds the sum of the lengths of vars[].machines.
	maxVarPlacements = 100_000
	// maxEncryptions bounds the age encryptions of the secret stubs: for
	// each user with secrets, their recipients plus every admin key. Each
	// costs two X25519 operations (about 150 µs native, ten times that in
	// the browser).
	maxEncryptions = 20_000
	// maxDiagnostics bounds how many problems Parse reports; a broken
	// spec of 4 MiB could otherwise produce hundreds of thousands.
	maxDiagnostics = 200
	// maxCollected bounds the problems each phase (decoding, validation)
	// keeps before sorting by position; the rest are only counted, and
	// cost no message, hint or position.
	maxCollected = 1000
	// maxSuggestions bounds the "did you mean" searches for unknown
	// references, each of which compares the name with every candidate.
	maxSuggestions = 200
)

// Limits on the length of each list, by reference path. Reference copies
// them into its fields (the schema's maxItems, the reference page), and the
// decoder refuses a longer list before decoding its elements.
//
// A slice searched by path (listLimit), not a map: a map literal is built by
// init code in the wasm module, a slice of structs is static data.
var listLimits = []struct {
	path string
	max  int
}{
	{"admins", 32},
	{"admins[].sshKeys", 16},
	{"admins[].ageKeys", 16},
	{"users", 1000},
	{"users[].sshKeys", 16},
	{"users[].ageKeys", 16},
	{"users[].machines", 1000},
	{"users[].home.aggregates", 64},
	{"users[].secrets", 256},
	{"machines", 1000},
	{"machines[].tags", 64},
	{"overlays.hotfixes", 1000},
	{"overlays.hotfixes[].platforms", 8},
	{"overlays.packages", 1000},
	{"overlays.overrides", 1000},
	{"overlays.flakeOverlays", 100},
	{"vars", 500},
	{"vars[].machines", 1000},
	{"vars[].prompts", 64},
	{"vars[].files", 64},
	{"vars[].runtimeInputs", 64},
}

// listLimit returns the limit on the length of the list at reference path
// p, and false when the list is not bounded by the table.
func listLimit(p string) (int, bool) {
	for i := range listLimits {
		if listLimits[i].path == p {
			return listLimits[i].max, true
		}
	}
	return 0, false
}

// listPath is the reference path of the list being decoded: indexes become
// "[]" (users[3].machines is users[].machines).
func (d *decoder) listPath() string { return d.pathOf(false) }

const hintTooMany = "Fleetyard bounds every list so that generation stays fast; split the fleet, or remove entries"

// minListLimit is the smallest value in listLimits: shorter lists need no
// lookup.
const minListLimit = 8

// tooMany reports a list of n elements at pos that is longer than its limit
// (at the list) and tells the decoder to skip its elements.
func (d *decoder) tooMany(n int, pos jsonpos.Pos) bool {
	max, ok := listLimit(d.listPath())
	if !ok || n <= max {
		return false
	}
	d.fail(pos, "too many entries: "+strconv.Itoa(n)+", the limit is "+strconv.Itoa(max), hintTooMany)
	d.overLimit = true
	return true
}

// listLengths checks the list limits of a spec built in Go ([Validate]);
// for parsed specs the decoder has checked them already, before decoding.
// The walk (limitsSpec and the others) is generated from the Spec types by
// internal/specgen, so a new list field cannot be missed.
func listLengths(s *Spec) []Diagnostic {
	return limitsSpec(nil, s, "", "")
}

// lenLimit appends a diagnostic when a list of n elements at path is
// longer than the limit for pattern, and reports whether it was within it
// (the walk does not look into a list that is too long).
func lenLimit(out []Diagnostic, n int, path, pattern string) ([]Diagnostic, bool) {
	if max, ok := listLimit(pattern); ok && n > max {
		return append(out, Diagnostic{Path: path, Severity: Error,
			Message: "too many entries: " + strconv.Itoa(n) + ", the limit is " + strconv.Itoa(max),
			Hint:    hintTooMany}), false
	}
	return out, true
}

// sizeLimit refuses a spec text over MaxSpecBytes before parsing it.
func sizeLimit(n int) []Diagnostic {
	if n <= MaxSpecBytes {
		return nil
	}
	return []Diagnostic{{
		Line: 1, Col: 1, Severity: Error,
		Message: "the spec is larger than " + strconv.Itoa(MaxSpecBytes>>20) + " MiB, the limit",
		Hint:    "a fleet spec of a thousand machines is far smaller; check that this is the right file",
	}}
}

// totals checks the products that bound Generate's work. Each is reported
// at the list that makes it large.
func (c *checker) totals() {
	s := c.s
	accounts, placements := 0, 0
	for _, u := range s.Users {
		accounts += len(u.Machines)
	}
	for _, v := range s.Vars {
		placements += len(v.Machines)
	}
	if accounts > maxAccounts {
		c.err("users", "too many accounts: the users have "+strconv.Itoa(accounts)+" machine entries in all, the limit is "+strconv.Itoa(maxAccounts),
			"each entry of users[].machines is an account to generate; split the fleet, or give fewer users accounts everywhere")
	}
	if placements > maxVarPlacements {
		c.err("vars", "too many vars placements: the generators list "+strconv.Itoa(placements)+" machines in all, the limit is "+strconv.Itoa(maxVarPlacements),
			"split the fleet, or share values (\"share\": true) instead of per-machine generators")
	}
	adminKeys := 0
	for _, a := range s.Admins {
		adminKeys += len(a.SSHKeys) + len(a.AgeKeys)
	}
	// An upper bound of the real count (keys that give no age recipient
	// are counted too), so that it needs no key parsing.
	enc := 0
	for _, u := range s.Users {
		if len(u.Secrets) > 0 {
			enc += min(len(u.SSHKeys), 1) + len(u.AgeKeys) + adminKeys
		}
	}
	if enc > maxEncryptions {
		c.err("users", "the secret stubs would need "+strconv.Itoa(enc)+" encryptions (each user with secrets, to their keys and every admin key), the limit is "+strconv.Itoa(maxEncryptions),
			"fewer admin keys, or fewer users with secrets in one fleet")
	}
}
