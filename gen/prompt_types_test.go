package gen

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestPromptTypesAreClans: vars[].prompts[].type accepts exactly the prompt
// types of clan-core's generator interface at the pinned revision
// (modules/clan/export-modules/generic-generator.nix, the enum of
// prompts.<name>.type), read from the snapshot in shared/upstream.
func TestPromptTypesAreClans(t *testing.T) {
	src := tooltest.UpstreamFile(t, "clan-core", "modules/clan/export-modules/generic-generator.nix")
	// The prompt type is the enum whose list holds "hidden".
	m := regexp.MustCompile(`type = enum \[\s*((?:"[^"]*"\s*)+)\]`).FindAllSubmatch(src, -1)
	var clan []string
	for _, e := range m {
		vals := regexp.MustCompile(`"([^"]*)"`).FindAllSubmatch(e[1], -1)
		var list []string
		for _, v := range vals {
			list = append(list, string(v[1]))
		}
		if slices.Contains(list, "hidden") {
			clan = list
		}
	}
	if clan == nil {
		t.Fatal("no prompt type enum found in generic-generator.nix")
	}
	got := slices.Sorted(slices.Values(enumPrompt))
	slices.Sort(clan)
	if !slices.Equal(got, clan) {
		t.Errorf("prompt types %q, clan-core's %q", got, clan)
	}
}

// TestDomainRuleIsClans: the domain's pattern is clan-core's domainName
// type (lib/types/default.nix) at the pinned revision, label lengths
// included: a domain clan rejects would fail the flake's first evaluation.
func TestDomainRuleIsClans(t *testing.T) {
	src := tooltest.UpstreamFile(t, "clan-core", "lib/types/default.nix")
	m := regexp.MustCompile(`domainName = lib\.types\.strMatching "([^"]+)";`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no domainName type in lib/types/default.nix")
	}
	// Nix's string escapes: "\\." is the regular expression \.
	clan := strings.ReplaceAll(string(m[1]), `\\`, `\`)
	if ruleDomain.Pattern != clan {
		t.Errorf("domain pattern %s, clan-core's %s", ruleDomain.Pattern, clan)
	}
}
