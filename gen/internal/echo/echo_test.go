package echo

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const ageSecret = "AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W"

func TestQuote(t *testing.T) {
	long := strings.Repeat("a", 200)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "server", `"server"`},
		{"empty", "", `""`},
		{"quotes and backslashes", `a"b\c`, `"a\"b\\c"`},
		// An ESC starting a colour sequence and a forged "ok" line.
		{"terminal escape", "x\x1b[32mok\x07", `"x\x1b[32mok\a"`},
		{"line break", "a\nfile.json: ok", `"a\nfile.json: ok"`},
		{"carriage return", "a\rb", `"a\rb"`},
		{"bidi override", "abc\u202edcba", `"abc\u202edcba"`},
		{"line separator", "a\u2028b", `"a\u2028b"`},
		{"C1 control", "a\u009bb", `"a\u009bb"`},
		{"invalid UTF-8", "a\xffb", `"a\xffb"`},
		{"printable non-ASCII kept", "Zoë 日本", `"Zoë 日本"`},
		{"long is cut", long, `"` + strings.Repeat("a", MaxRunes-1) + `…"`},
		{"exactly max is kept", long[:MaxRunes], `"` + long[:MaxRunes] + `"`},
		{"age identity", ageSecret, Hidden},
		{"age identity inside text", "my key is " + ageSecret + " ok", Hidden},
		{"PEM private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", Hidden},
		{"private key far past the cut", long + ageSecret, Hidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Quote(tc.in)
			if got != tc.want {
				t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
			}
			if why := Check(got, MaxRunes+2); why != "" {
				t.Errorf("Quote(%q) = %s is not safe: %s", tc.in, got, why)
			}
		})
	}
}

// TestQuoteEscapesFit: a cut never splits an escape, and the output stays
// within MaxRunes+2 (the quotes) whatever the input.
func TestQuoteEscapesFit(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("\x1b", 500),
		strings.Repeat("é\u202e", 300),
		strings.Repeat("\U0010FFFF", 100),
		strings.Repeat("\xff", 1000),
	} {
		got := Quote(in)
		if n := utf8.RuneCountInString(got); n > MaxRunes+2 {
			t.Errorf("Quote of %d bytes gave %d runes: %s", len(in), n, got)
		}
		if !strings.HasSuffix(got, `…"`) {
			t.Errorf("Quote of %d bytes not marked as cut: %s", len(in), got)
		}
		body := strings.TrimSuffix(strings.TrimPrefix(got, `"`), `…"`)
		if i := strings.LastIndexByte(body, '\\'); i >= 0 && len(body)-i < 4 {
			t.Errorf("cut inside an escape: %s", got)
		}
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"server", "server"},
		{"API-Token.v2", "API-Token.v2"},
		{"two words", `"two words"`},
		{"", `""`},
		{"a\x1b", `"a\x1b"`},
		{ageSecret, Hidden},
		{strings.Repeat("b", MaxRunes+1), `"` + strings.Repeat("b", MaxRunes-1) + `…"`},
	} {
		if got := Name(tc.in); got != tc.want {
			t.Errorf("Name(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := Names([]string{"a", "b c"}); got != `a, "b c"` {
		t.Errorf("Names = %s", got)
	}
}

func TestChar(t *testing.T) {
	for _, tc := range []struct {
		in   rune
		want string
	}{
		{'x', "'x'"},
		{'\'', `"'"`},
		{'é', "'é'"},
		{0x1b, "character U+001B"},
		{0x202e, "character U+202E"},
		{0x2028, "character U+2028"},
	} {
		if got := Char(tc.in); got != tc.want {
			t.Errorf("Char(%U) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestCheckAndClean(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		limit    int
		unsafe   bool
		clean    string
	}{
		{"fixed text", `unknown field (did you mean "name"?)`, 1000, false, `unknown field (did you mean "name"?)`},
		{"escape", "ok\x1b[2K", 1000, true, `ok\x1b[2K`},
		{"private", "bad " + ageSecret, 1000, true, HiddenMessage},
		{"too long", strings.Repeat("z", 30), 20, true, strings.Repeat("z", 19) + "…"},
		{"at the limit", strings.Repeat("z", 20), 20, false, strings.Repeat("z", 20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(tc.in, tc.limit); (got != "") != tc.unsafe {
				t.Errorf("Check = %q, want unsafe %v", got, tc.unsafe)
			}
			if got := Clean(tc.in, tc.limit); got != tc.clean {
				t.Errorf("Clean = %q, want %q", got, tc.clean)
			}
		})
	}
}

// FuzzQuote: whatever the input, Quote and Name give text that Check
// accepts, and Clean makes any text acceptable.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"server", "a\x1b[2Kb", ageSecret, "-----BEGIN X\nPRIVATE KEY-----", "\u202e\xff", strings.Repeat("é", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Quote(s), Name(s)} {
			if why := Check(out, MaxRunes+2); why != "" {
				t.Fatalf("Quote/Name(%q) = %q: %s", s, out, why)
			}
		}
		if why := Check(Clean(s, 100), 100); why != "" {
			t.Fatalf("Clean(%q) = %q: %s", s, Clean(s, 100), why)
		}
	})
}
