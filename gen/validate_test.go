package gen

import (
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// updating reports whether -update was given. The flag itself is defined
// by golden_test.go (package gen_test), which shares this test binary.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var allRules = map[string]*nameRule{
	"hostname": &ruleHostname, "clanName": &ruleClanName, "user": &ruleUser, "attr": &ruleAttr,
	"package": &rulePackage, "tag": &ruleTag, "aggregate": &ruleAggregate, "fileName": &ruleFileName,
	"branch": &ruleBranch, "domain": &ruleDomain, "hetzner": &ruleHetzner, "device": &ruleDevice,
	"targetHost": &ruleTargetHost, "stateVersion": &ruleStateVersion, "date": &ruleDate,
}

// TestNameRulesMatchPatterns: the hand-written checks accept exactly what
// their documented regular expressions (used by the JSON Schema) accept,
// apart from the calendar check of dates and the path checks of devices,
// which a regular expression cannot express simply.
func TestNameRulesMatchPatterns(t *testing.T) {
	alphabet := "aAzZ09_-.'/:@[]%+ $;\"\\\n\x00é"
	rng := rand.New(rand.NewSource(1))
	for name, r := range allRules {
		re := regexp.MustCompile(r.Pattern)
		samples := []string{"", ".", "..", "...", "a", "-a", "a-", "a..b", "/dev/sda", "/dev/../x", "25.05", "6", "2025-11-20",
			"2025-02-30", "2024-02-29", "2023-02-29", "root@host:22", "[::1]", "x86", "user_1", "a'b", strings.Repeat("a", 300),
			// DNS label lengths (the domain rule's limit is 63 per label).
			strings.Repeat("a", 63), strings.Repeat("a", 64), "b." + strings.Repeat("a", 63), "b." + strings.Repeat("a", 64) + ".c",
			strings.Repeat("a", 63) + "." + strings.Repeat("a", 63), "a-" + strings.Repeat("b", 62)}
		for i := 0; i < 20000; i++ {
			n := rng.Intn(12)
			b := make([]byte, 0, n)
			for j := 0; j < n; j++ {
				b = append(b, alphabet[rng.Intn(len(alphabet))])
			}
			samples = append(samples, string(b))
		}
		for _, s := range samples {
			want := re.MatchString(s) && (r.Max == 0 || len(s) <= r.Max)
			got := r.ok(s)
			if got == want {
				continue
			}
			if name == "date" && !got && want && !validDate(s) {
				continue
			}
			if name == "device" && !got && want && (strings.Contains(s, "/../") || strings.Contains(s, "//") || strings.HasSuffix(s, "/..")) {
				continue
			}
			t.Errorf("%s: ok(%q) = %v, pattern %s says %v", name, s, got, r.Pattern, want)
		}
	}
}

func TestValidDate(t *testing.T) {
	for s, want := range map[string]bool{
		"2025-11-20": true, "2024-02-29": true, "2000-02-29": true, "1900-02-29": false, "2023-02-29": false,
		"2025-04-31": false, "2025-13-01": false, "2025-00-10": false, "2025-01-00": false, "2025-1-01": false, "20251120": false,
	} {
		if got := validDate(s); got != want {
			t.Errorf("validDate(%q) = %v", s, got)
		}
	}
}

// TestValidateGoSpec: specs built in Go get the same rules, without
// positions.
func TestValidateGoSpec(t *testing.T) {
	s := &Spec{Version: 1, Name: "f", Admins: []Admin{{Name: "admin", SSHKeys: []string{adminKey}}},
		Machines: []Machine{{Name: "a", Class: "nixos"}, {Name: "B", Class: "darwin"}}}
	applyDefaults(s)
	diags := validateBuilt(s)
	var got []string
	for _, d := range diags {
		if d.Line != 0 || d.Col != 0 {
			t.Errorf("%s: position %d:%d for a Go spec", d.Path, d.Line, d.Col)
		}
		got = append(got, d.Path+": "+d.Message)
	}
	want := []string{
		`machines[1].darwin.primaryUser: darwin machine "B" has no admin user to be its primary user`,
		`machines[1].name: "B" is not a valid machine name`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"servertype", "serverType"}, {"server_type", "serverType"}, {"nmae", "name"}, {"sshkeys", "sshKeys"},
		{"ssh_keys", "sshKeys"}, {"machine", "machines"}, {"colour", ""}, {"x", ""},
	} {
		if got := suggest(tc.in, []string{"name", "serverType", "sshKeys", "machines", "location"}); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestInvalidFiles: whole invalid documents in testdata/invalid, each with
// its expected diagnostics in a .golden file next to it (-update rewrites).
func TestInvalidFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*.json"))
	if len(files) == 0 {
		t.Fatal("no testdata/invalid/*.json")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, diags := Parse(data)
		if !HasErrors(diags) {
			t.Errorf("%s: no error", f)
		}
		var b strings.Builder
		for _, d := range diags {
			if d.Hint == "" {
				t.Errorf("%s: %s has no hint", f, d.Path)
			}
			b.WriteString(strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Col) + " " + string(d.Severity) + " " + d.Path + ": " + d.Message + "\n\thint: " + d.Hint + "\n")
		}
		golden := strings.TrimSuffix(f, ".json") + ".golden"
		if updating() {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./gen -run TestInvalidFiles -update)", err)
		}
		if string(want) != b.String() {
			t.Errorf("%s: diagnostics changed (review, then -update):\n got:\n%s\nwant:\n%s", f, b.String(), want)
		}
	}
}
