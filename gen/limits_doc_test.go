package gen

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
	"github.com/fleetyard/fleetyard/gen/sshkey"
	"github.com/fleetyard/fleetyard/internal/sharelink"
)

// TestReferenceListsLimits: the limits table of the fleet.json reference
// page is written by hand; this keeps its numbers equal to the code's.
func TestReferenceListsLimits(t *testing.T) {
	doc, err := os.ReadFile("../content/docs/fleet-json.md")
	if err != nil {
		t.Fatal(err)
	}
	_, limits, ok := strings.Cut(string(doc), "\n## Limits\n")
	if !ok {
		t.Fatal("fleet-json.md has no Limits section")
	}
	for _, row := range []struct{ what, value string }{
		{"the spec text", mib(MaxSpecBytes)},
		{"list lengths", "machines and users " + thousands(limitOf("machines"))},
		{"list lengths", "admins " + thousands(limitOf("admins"))},
		{"list lengths", "keys per person " + thousands(limitOf("users[].sshKeys"))},
		{"accounts", thousands(maxAccounts)},
		{"vars placements", thousands(maxVarPlacements)},
		{"stub encryptions", thousands(maxEncryptions)},
		{"a number", strconv.Itoa(jsonpos.MaxNumber) + " characters"},
		{"diagnostics shown", thousands(maxDiagnostics)},
		{"`fleetyard keys` input", mib(sshkey.MaxInput)},
		{"a share link", mib(sharelink.MaxSpec)},
	} {
		found := false
		for _, line := range strings.Split(limits, "\n") {
			found = found || strings.HasPrefix(line, "| "+row.what) && strings.Contains(line, row.value)
		}
		if !found {
			t.Errorf("the Limits table has no row %q saying %q", row.what, row.value)
		}
	}
	if limitOf("machines") != limitOf("users") || limitOf("users[].sshKeys") != limitOf("admins[].sshKeys") {
		t.Error("the table speaks of machines and users, and keys per person, as one limit each")
	}
}

func mib(n int) string { return strconv.Itoa(n>>20) + " MiB" }

// thousands writes 100000 as 100,000, as the docs do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// limitOf is the limit of a bounded list (0 for an unbounded one).
func limitOf(path string) int {
	n, _ := listLimit(path)
	return n
}
