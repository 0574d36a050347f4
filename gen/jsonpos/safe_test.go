package jsonpos

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
)

// maxMessage bounds the length of a message or hint: fixed text plus a few
// quotes of at most echo.MaxRunes characters each.
const maxMessage = 400

const ageSecret = "AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W"

// TestErrorsAreSafeToPrint: messages quote member names and bare words, and
// used to repeat them whole: a private key pasted as an object key was
// printed by `fleetyard validate`, and an ESC in a key could rewrite the
// terminal line. Every message now goes through gen/internal/echo.
func TestErrorsAreSafeToPrint(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		msg      string // the message must contain it
	}{
		{"private key before a missing colon", `{"` + ageSecret + `" 1}`, "expected ':' after member name " + echo.Hidden + ", found '1'"},
		{"private key as duplicate member", `{"` + ageSecret + `": 1, "` + ageSecret + `": 2}`, "duplicate member " + echo.Hidden + " (first at line 1 col 2)"},
		{"terminal escape in a key", "{\"x\\u001b[2K\\rfleet.json: ok\" 1}", `expected ':' after member name "x\x1b[2K\rfleet.json: ok", found '1'`},
		{"bell in a duplicate", `{"\u0007": 1, "\u0007": 2}`, `duplicate member "\a"`},
		{"long key", `{"` + strings.Repeat("k", 5000) + `" 1}`, `member name "` + strings.Repeat("k", echo.MaxRunes-1) + `…"`},
		{"long bare word", `[` + strings.Repeat("w", 5000) + `]`, `expected a value, found "` + strings.Repeat("w", echo.MaxRunes-1) + `…"`},
		{"long unquoted key", `{` + strings.Repeat("u", 5000) + `: 1}`, `expected a member name in double quotes, found "` + strings.Repeat("u", echo.MaxRunes-1) + `…"`},
		{"openssh body as a bare word", `[b3BlbnNzaC1rZXktdjEAAAAABG5vbmU]`, "expected a value, found " + echo.Hidden},
		{"bidi override after a value", "[1 \u202e]", "found character U+202E"},
		{"line separator", "[1 \u2028]", "found character U+2028"},
		// Found by FuzzParse: the character after a backslash was shown
		// as it is, DEL and bidi overrides included.
		{"DEL after a backslash", "[\"\\\x7f\"]", `invalid escape '\?' in string`},
		{"bidi override after a backslash", "[\"\\\u202e\"]", `invalid escape '\?' in string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Parse([]byte(tc.in))
			if len(errs) == 0 {
				t.Fatal("no error")
			}
			found := false
			for _, e := range errs {
				for _, s := range []string{e.Msg, e.Hint} {
					if why := echo.Check(s, maxMessage); why != "" {
						t.Errorf("not safe to print (%s): %q", why, s)
					}
				}
				found = found || strings.Contains(e.Msg, tc.msg)
			}
			if !found {
				t.Errorf("no message contains %q: %v", tc.msg, errs)
			}
		})
	}
}

// TestLongNumber: a 1,000,001-digit number used to be copied into the
// message in full; now the literal is refused with a short message.
func TestLongNumber(t *testing.T) {
	for _, in := range []string{
		`{"uid": ` + strings.Repeat("9", 1_000_001) + `}`,
		`[-` + strings.Repeat("1", MaxNumber) + `]`,
		`[1.` + strings.Repeat("0", 200) + `]`,
	} {
		_, errs := Parse([]byte(in))
		if len(errs) != 1 {
			t.Fatalf("want one error, got %d", len(errs))
		}
		e := errs[0]
		if !strings.HasPrefix(e.Msg, "number too long: ") || len(e.Msg) > 100 {
			t.Errorf("message %q", e.Msg)
		}
	}
	// The longest allowed literal still parses.
	if _, errs := Parse([]byte(`[` + strings.Repeat("7", MaxNumber) + `]`)); len(errs) != 0 {
		t.Errorf("a %d-digit number must parse: %v", MaxNumber, errs)
	}
}

// TestManyMembersLinear: duplicate keys were found by comparing each key
// with every earlier one, so one object of 200,000 members (2.6 MB, under
// the spec size limit) took minutes. The deadline is generous for a slow
// machine; the linear parse takes well under a second.
func TestManyMembersLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 200_000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k`)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`":0`)
	}
	b.WriteString(`,"k0":1}`)
	start := time.Now()
	v, errs := Parse([]byte(b.String()))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("parsing took %v", d)
	}
	if v == nil || len(v.Members) != 200_000 || len(errs) != 1 || !strings.HasPrefix(errs[0].Msg, `duplicate member "k0" (first at line 1 col 2)`) {
		t.Errorf("got %d members, errors %v", len(v.Members), errs)
	}
}

// TestManyDuplicates: a document of nothing but duplicate keys gives
// MaxDuplicates errors and one more saying the rest are not reported, not
// one error per member.
func TestManyDuplicates(t *testing.T) {
	in := "{" + strings.Repeat(`"a":0,`, 300_000) + `"a":0}`
	v, errs := Parse([]byte(in))
	if v == nil || len(v.Members) != 1 || len(errs) != MaxDuplicates+1 {
		t.Fatalf("got %d errors", len(errs))
	}
	if last := errs[MaxDuplicates]; last.Msg != "more duplicate members from here on are not reported" {
		t.Errorf("last error %q", last.Msg)
	}
}
