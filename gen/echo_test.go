package gen

import (
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
)

// agePlugin is private key material short enough for a name field.
const agePlugin = "AGE-PLUGIN-YK-1QQQQQQ"

// safeToPrint reports why a diagnostic is not safe to print on a terminal
// or a page, or "": its texts hold no private key material and only
// printable characters, and are bounded.
func safeToPrint(d Diagnostic) string {
	for _, f := range []struct {
		name, text string
		max        int
	}{{"message", d.Message, maxMessageRunes}, {"hint", d.Hint, maxMessageRunes}, {"path", d.Path, maxPathRunes}} {
		if why := echo.Check(f.text, f.max); why != "" {
			return f.name + ": " + why
		}
	}
	return ""
}

// TestDiagnosticsQuoteSafely: diagnostics that repeat the spec used to
// print a private key pasted as an object key whole (jsonpos's "expected
// ':' after member name" and "duplicate member"), and copied raw text (ESC,
// BEL, bidi overrides, a line break that forges an "ok" line) into
// messages and hints: the list of machines in a hint, a "did you mean", the
// shell of a Mac user, a server type, a channel name. Every quote now goes
// through gen/internal/echo.
func TestDiagnosticsQuoteSafely(t *testing.T) {
	esc := `x\u001b[2K\rfleet.json: ok\u0007`
	escOut := `"x\x1b[2K\rfleet.json: ok\a"`
	for _, tc := range []struct {
		name, in string
		want     string // a message or hint contains it
	}{
		{"private key before a missing colon", `{"` + ageSecret + `" 1}`, "expected ':' after member name " + echo.Hidden},
		{"private key as a duplicate member", `{"version":1,"` + ageSecret + `":1,"` + ageSecret + `":2}`, "duplicate member " + echo.Hidden},
		{"private key as an unknown field", h + nm + `,"` + ageSecret + `":1}`, "unknown field"},
		{"escape as an unknown field", h + nm + `,"` + esc + `":1}`, "unknown field"},
		{"escape in a member name", `{"` + esc + `" 1}`, "expected ':' after member name " + escOut},
		// A short age plugin identity fits the length limit of a name.
		// The decoder refuses it before any rule quotes it (decoder.public).
		{"private key as a machine name", h + `"machines":[{"name":"` + agePlugin + `","class":"nixos"}]}`, "private key refused: this is an age identity"},
		{"escape in a machine name", h + `"machines":[{"name":"` + esc + `","class":"nixos"}]}`, escOut + " is not a valid machine name"},
		{"machine list in a hint", h + `"machines":[{"name":"` + agePlugin + `","class":"nixos"},{"name":"` + esc + `","class":"nixos"}],"users":[{"name":"u","machines":["nope"]}]}`,
			`the machines are: "", ` + escOut},
		{"did you mean", h + `"machines":[{"name":"ab` + `\u001b","class":"nixos"}],"users":[{"name":"u","machines":["ab"]}]}`, `unknown machine "ab" (did you mean "ab\x1b"?)`},
		{"shell of a Mac user", h + `"users":[{"name":"al","admin":true,"shell":"` + esc + `","sshKeys":["` + aliceKey + `"],"machines":["mac"]}],"machines":[` + dmt + `]}`,
			"set its login shell (" + escOut + ")"},
		{"server type", h + `"machines":[{"name":"a","class":"nixos","hetzner":{"serverType":"cax` + esc + `"}}]}`, `server type "cax` + escOut[1:] + ` is an Arm machine`},
		{"channel", h + `"channels":{"unstable":"unstable` + esc + `"},"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","system":"x86_64-darwin"}]}`,
			`x86_64-darwin (Intel Mac) on "unstable` + escOut[1:]},
		{"darwin machine hint", h + `"users":[{"name":"al","admin":true,"uid":501,"sshKeys":["` + aliceKey + `"]}],"machines":[{"name":"m` + esc + `","class":"darwin","hostKey":"` + bobKey + `"}]}`,
			`add "m` + escOut[1:] + ` to the machines of a user`},
		{"long value", h + `"machines":[{"name":"` + strings.Repeat("q", 100_000) + `","class":"nixos"}]}`, "machine name is longer than 63 characters"},
		{"long reference", h + nm + `,"users":[{"name":"u","machines":["` + strings.Repeat("q", 100_000) + `"]}]}`, `unknown machine "` + strings.Repeat("q", echo.MaxRunes-1) + `…"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := parseUnchecked([]byte(tc.in), nil)
			found := false
			for _, d := range diags {
				if why := safeToPrint(d); why != "" {
					t.Errorf("not safe to print (%s): %+v", why, d)
				}
				found = found || strings.Contains(d.Message, tc.want) || strings.Contains(d.Hint, tc.want)
			}
			if !found {
				t.Errorf("no diagnostic contains %s:\n%v", tc.want, diags)
			}
		})
	}
}

// TestSafeDiagnostics: the last pass on the way out of Parse and Validate
// repairs a message that would not be safe (none should exist; this is the
// second line of defence) without touching correct ones.
func TestSafeDiagnostics(t *testing.T) {
	in := []Diagnostic{
		{Path: "a", Message: `unknown machine "b" (did you mean "a"?)`, Hint: "the machines are: a"},
		{Path: "x\x1b", Message: "bad \x1b[31m", Hint: "key " + ageSecret},
		{Path: "y", Message: strings.Repeat("m", 5000), Hint: "h"},
	}
	out := safeDiagnostics(append([]Diagnostic(nil), in...))
	if out[0] != in[0] {
		t.Errorf("a correct diagnostic changed: %+v", out[0])
	}
	for _, d := range out {
		if why := safeToPrint(d); why != "" {
			t.Errorf("%s: %+v", why, d)
		}
	}
	if out[1].Path != `x\x1b` || out[1].Message != `bad \x1b[31m` || strings.Contains(out[1].Hint, "AGE-SECRET") {
		t.Errorf("not repaired: %+v", out[1])
	}
}
