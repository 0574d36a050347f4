package gen

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// machinesJSON returns n machines m0, m1, … as JSON list elements.
func machinesJSON(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"name":"m` + strconv.Itoa(i) + `","class":"nixos"}`)
	}
	return b.String()
}

// TestFleetLimits: nothing bounded a fleet, so 100,000 machines ran for
// over ten minutes. Lists are now refused past their limit before their
// elements are decoded, and the products that drive Generate's work
// (accounts, vars placements, stub encryptions) are bounded too. Each
// refusal names the field and the limit.
func TestFleetLimits(t *testing.T) {
	names := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"m` + strconv.Itoa(i) + `"`)
		}
		return b.String()
	}
	users := func(n, machines int, extra string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"name":"u` + strconv.Itoa(i) + `","machines":[` + names(machines) + `]` + extra + `}`)
		}
		return b.String()
	}
	adminList := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"name":"a` + strconv.Itoa(i) + `","sshKeys":["` + adminKey + `","` + aliceKey + `","` + bobKey + `"],"ageKeys":["` + aliceAge + `"]}`)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, in string
		// want are the limit diagnostics, "path|message", each at its
		// marker; other diagnostics are ignored.
		want []string
	}{
		{"100k machines", h + `"machines":‸[` + machinesJSON(100_000) + `]}`, []string{"machines|too many entries: 100000, the limit is 1000"}},
		{"1000 machines are fine", h + `"machines":[` + machinesJSON(1000) + `]}`, nil},
		{"tags", h + `"machines":[{"name":"a","class":"nixos","tags":‸[` + strings.Repeat(`"t",`, 64) + `"t"]}]}`, []string{"machines[0].tags|too many entries: 65, the limit is 64"}},
		{"keys of one user", h + nm + `,"users":[{"name":"u","sshKeys":‸[` + strings.Repeat(`"`+aliceKey+`",`, 16) + `"` + aliceKey + `"]}]}`, []string{"users[0].sshKeys|too many entries: 17, the limit is 16"}},
		{"accounts", h + `"machines":[` + machinesJSON(1000) + `],"users":‸[` + users(101, 1000, "") + `]}`,
			[]string{"users|too many accounts: the users have 101000 machine entries in all, the limit is 100000"}},
		{"vars placements", h + `"machines":[` + machinesJSON(1000) + `],"vars":‸[` + strings.Repeat(`{"name":"g","machines":[`+names(1000)+`],"files":[{"name":"f"}],"script":"x"},`, 100) + `{"name":"g","machines":[` + names(1000) + `],"files":[{"name":"f"}],"script":"x"}]}`,
			[]string{"vars|too many vars placements: the generators list 101000 machines in all, the limit is 100000"}},
		// 200 users with secrets, each to 2 keys of their own and the 32
		// admins' 4 keys: 200 × 130 = 26000.
		{"encryptions", h0 + `"admins":[` + adminList(32) + `],"machines":[` + machinesJSON(1) + `],"users":‸[` + users(200, 1, `,"sshKeys":["`+aliceKey+`"],"ageKeys":["`+aliceAge+`"],"secrets":["s"]`) + `]}`,
			[]string{"users|the secret stubs would need 26000 encryptions (each user with secrets, to their keys and every admin key), the limit is 20000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			src, marks := stripMarkers(tc.in)
			_, diags := Parse([]byte(src))
			var got []string
			for _, d := range diags {
				if !strings.Contains(d.Message, "the limit is") {
					continue
				}
				got = append(got, d.Path+"|"+d.Message)
				if i := len(got) - 1; i < len(marks) && (d.Line != marks[i][0] || d.Col != marks[i][1]) {
					t.Errorf("%s at %d:%d, marker at %d:%d", d.Path, d.Line, d.Col, marks[i][0], marks[i][1])
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("limit diagnostics\n got: %q\nwant: %q", got, tc.want)
			}
			if tc.want == nil && HasErrors(diags) {
				t.Errorf("a fleet at the limits is refused: %v", diags[0])
			}
			// Generous for a loaded machine: the point is seconds, not
			// the minutes these took.
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestSpecSizeLimit: a spec over MaxSpecBytes is refused before parsing,
// with a short message.
func TestSpecSizeLimit(t *testing.T) {
	big := h + nm + `,"description":"` + strings.Repeat("d", MaxSpecBytes) + `"}`
	spec, diags := Parse([]byte(big))
	if spec != nil || len(diags) != 1 || diags[0].Line != 1 || diags[0].Message != "the spec is larger than 4 MiB, the limit" {
		t.Fatalf("got %v", diags)
	}
	// Just under the limit parses (and the description is fine).
	ok := h + nm + `,"description":"` + strings.Repeat("d", MaxSpecBytes-len(h+nm)-20) + `"}`
	if _, diags := Parse([]byte(ok)); HasErrors(diags) {
		t.Fatalf("a spec under the limit: %v", diags)
	}
}

// TestLongNumberMessage: a 1,000,001-digit number was echoed in full; the
// message is now short and positioned.
func TestLongNumberMessage(t *testing.T) {
	in := h + nm + `,"users":[{"name":"u","uid":` + strings.Repeat("9", 1_000_001) + `}]}`
	_, diags := Parse([]byte(in))
	if len(diags) != 1 || diags[0].Line != 1 || len(diags[0].Message) > 100 || len(diags[0].Hint) > 200 {
		t.Fatalf("got %d diagnostics, first %.300v", len(diags), diags)
	}
	if want := "number too long: 1000001 characters, the limit is " + strconv.Itoa(jsonpos.MaxNumber); diags[0].Message != want {
		t.Errorf("message %q, want %q", diags[0].Message, want)
	}
}

// TestDiagnosticCount: a broken spec of thousands of unknown fields gives
// the first maxDiagnostics problems and one line saying how many more.
func TestDiagnosticCount(t *testing.T) {
	var b strings.Builder
	b.WriteString(h + nm)
	for i := 0; i < 5000; i++ {
		b.WriteString(`,"x` + strconv.Itoa(i) + `":1`)
	}
	b.WriteString("}")
	_, diags := Parse([]byte(b.String()))
	if len(diags) != maxDiagnostics+1 {
		t.Fatalf("%d diagnostics, want %d", len(diags), maxDiagnostics+1)
	}
	if last := diags[maxDiagnostics]; last.Message != "4800 more problems are not shown" || last.Line == 0 {
		t.Errorf("last diagnostic %+v", last)
	}
}

// TestDiagnosticCapSeverity: the line standing for the problems not shown
// is an error only when one of them is. Before, it always was, so a fleet
// of 1000 Macs with 300 harmless warnings could not be generated.
func TestDiagnosticCapSeverity(t *testing.T) {
	diags := func(warnings, errors int) []Diagnostic {
		var out []Diagnostic
		for i := 0; i < warnings; i++ {
			out = append(out, Diagnostic{Path: "w", Line: i + 1, Severity: Warning, Message: "w"})
		}
		for i := 0; i < errors; i++ {
			out = append(out, Diagnostic{Path: "e", Line: warnings + i + 1, Severity: Error, Message: "e"})
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		in      []Diagnostic
		over    overflow
		want    Severity
		message string
	}{
		{"warnings only", diags(300, 0), overflow{}, Warning, "100 more problems are not shown"},
		{"warnings and dropped warnings", diags(1000, 0), overflow{count: 5}, Warning, "805 more problems are not shown"},
		{"a hidden error", diags(250, 1), overflow{}, Error, "51 more problems are not shown"},
		{"a dropped error", diags(1000, 0), overflow{count: 3, errors: 1}, Error, "803 more problems are not shown"},
		{"errors shown, warnings hidden", append(diags(0, 10), diags(300, 0)...), overflow{}, Warning, "110 more problems are not shown"},
		{"fewer kept than shown, some dropped", diags(5, 0), overflow{count: 2}, Warning, "2 more problems are not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := capDiagnostics(tc.in, tc.over)
			if len(got) != min(len(tc.in), maxDiagnostics)+1 {
				t.Fatalf("%d diagnostics", len(got))
			}
			last := got[len(got)-1]
			if last.Severity != tc.want || last.Message != tc.message {
				t.Errorf("last is %s %q, want %s %q", last.Severity, last.Message, tc.want, tc.message)
			}
			if last.Line == 0 {
				t.Error("the line has no position")
			}
		})
	}
}

// TestValidateListLimits: a spec built in Go gets the same list limits as
// a parsed one, by path.
func TestValidateListLimits(t *testing.T) {
	f, diags := Parse([]byte(h + nm + `,"users":[{"name":"u"}]}`))
	spec := f.Spec()
	if HasErrors(diags) {
		t.Fatal(diags)
	}
	spec.Users[0].Machines = make([]string, 1001)
	spec.Machines = append(spec.Machines, make([]Machine, 1000)...)
	var got []string
	for _, d := range validateBuilt(spec) {
		got = append(got, d.Path+"|"+d.Message)
	}
	want := []string{"machines|too many entries: 1001, the limit is 1000", "users[0].machines|too many entries: 1001, the limit is 1000"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestOverLimitAlone: a list skipped for its length is the only problem
// reported, not every reference into it (each user's machines "unknown").
func TestOverLimitAlone(t *testing.T) {
	var users strings.Builder
	for i := 0; i < 100; i++ {
		users.WriteString(`,{"name":"u` + strconv.Itoa(i) + `","machines":["m1","m2"]}`)
	}
	in := h + `"machines":[` + machinesJSON(1001) + `],"users":[{"name":"x"}` + users.String() + `]}`
	_, diags := Parse([]byte(in))
	if len(diags) != 1 || diags[0].Message != "too many entries: 1001, the limit is 1000" {
		t.Fatalf("got %d diagnostics: %.3v", len(diags), diags)
	}
}

// TestHostileSpecsValidateQuickly: specs inside every limit that make
// validation work hard. 400 users with 1,000 references each to machines
// that do not exist took 110 s (a "did you mean" search and a hint for
// each); 1,000 Macs made every account be scanned once per Mac. Problems
// past maxCollected are now only counted, suggestions are budgeted, and
// the per-Mac questions are answered from one pass.
func TestHostileSpecsValidateQuickly(t *testing.T) {
	spec := func(class, refPrefix string) string {
		var b strings.Builder
		b.WriteString(h + `"machines":[`)
		for i := 0; i < 1000; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"name":"m` + strconv.Itoa(i) + `","class":"` + class + `"}`)
		}
		b.WriteString(`],"users":[`)
		for u := 0; u < 400; u++ {
			if u > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"name":"u` + strconv.Itoa(u) + `","machines":[`)
			for j := 0; j < 1000; j++ {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`"` + refPrefix + strconv.Itoa(j) + `"`)
			}
			b.WriteString(`]}`)
		}
		b.WriteString(`]}`)
		return b.String()
	}
	// 400,000 unknown references and the accounts limit (and, with Macs,
	// 1,000 Macs without a primary user): 200 shown, the rest counted.
	for _, tc := range []struct{ name, in, last string }{
		{"unknown machines", spec("nixos", "zz"), "399801 more problems are not shown"},
		{"Macs without keys", spec("darwin", "zz"), "400801 more problems are not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, diags := Parse([]byte(tc.in))
			d := time.Since(start)
			if len(diags) != maxDiagnostics+1 || diags[maxDiagnostics].Message != tc.last {
				t.Errorf("%d diagnostics, last %+v", len(diags), diags[len(diags)-1])
			}
			// Generous for a loaded machine; it takes under a second.
			if d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
