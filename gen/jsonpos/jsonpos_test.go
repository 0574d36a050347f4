package jsonpos

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
)

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		line, col int
		msg       string
		hint      string // substring
	}{
		{"empty", "", 1, 1, "the document is empty", "JSON object"},
		{"spaces only", "  \n ", 2, 2, "the document is empty", ""},
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, `expected ',' or '}' after object member, found '"'`, "',' is probably missing"},
		{"trailing comma object", `{"a": 1,}`, 1, 9, "expected a member name after ',', found '}'", "no trailing comma"},
		{"trailing comma array", `[1, 2,]`, 1, 7, "expected a value after ',', found ']'", "no trailing comma"},
		{"line comment", "{\n // note\n}", 2, 2, `expected a member name in double quotes, found '/'`, "no comments"},
		{"block comment value", `{"a": /* x */ 1}`, 1, 7, "expected a value, found '/'", "no comments"},
		{"single quotes", `{'a': 1}`, 1, 2, `expected a member name in double quotes, found "'"`, "double quotes"},
		{"unquoted key", `{name: 1}`, 1, 2, "expected a member name in double quotes, found 'name'", `"name"`},
		{"equals", `{"a" = 1}`, 1, 6, `expected ':' after member name "a", found '='`, "':'"},
		// "name: "minimal": the value's opening quote closed the name.
		{"lost closing quote", `{"name: "minimal"}`, 1, 10, `expected ':' after member name "name: ", found 'm'`, `lost its closing quote: put it before the ':'`},
		{"bare word", `{"a": yes}`, 1, 7, "expected a value, found 'yes'", "true, false and null"},
		{"True", `{"a": True}`, 1, 7, "expected a value, found 'True'", "lower case"},
		{"nul", `[nul]`, 1, 2, "expected a value, found 'nul'", ""},
		{"trailing garbage", "{}\n}", 2, 1, "unexpected '}' after the end of the JSON value", "exactly one value"},
		{"two objects", `{} {}`, 1, 4, "unexpected '{' after the end of the JSON value", ""},
		{"unclosed object", "{\"a\": [1,\n 2]", 2, 4, "unexpected end of input: the object opened at line 1 col 1 is not closed", "'}'"},
		{"unclosed array", "[1,\n", 2, 1, "unexpected end of input: the array opened at line 1 col 1 is not closed", "']'"},
		{"mismatched", `{"a": [1}`, 1, 9, "expected ',' or ']' after array element, found '}'", "close the array opened at line 1 col 7"},
		{"mismatched 2", `[{"a": 1]`, 1, 9, "expected ',' or '}' after object member, found ']'", "close the object opened at line 1 col 2"},
		{"unterminated string", `{"a": "abc`, 1, 7, "unterminated string", `'"'`},
		{"newline in string", "{\"a\": \"ab\nc\"}", 1, 10, "unterminated string: line break inside a string", `\n`},
		{"tab in string", "[\"a\tb\"]", 1, 4, "control character U+0009 inside a string", `\t`},
		{"bad escape", `["a\qb"]`, 1, 4, `invalid escape '\q' in string`, `\\`},
		{"bad unicode escape", `["\u12G4"]`, 1, 3, `invalid \u escape in string`, "four hex digits"},
		{"short unicode escape", `["\u12`, 1, 3, `incomplete \u escape in string`, ""},
		{"lone high surrogate", `["\ud800x"]`, 1, 3, `lone UTF-16 surrogate \ud800 in string`, ""},
		{"lone low surrogate", `["\udc00"]`, 1, 3, `lone UTF-16 surrogate \udc00 in string`, ""},
		{"invalid utf8", "[\"a\xffb\"]", 1, 4, "invalid UTF-8 in string (byte 0xff)", "UTF-8"},
		{"leading zero", `[01]`, 1, 2, "invalid number: leading zero", "no leading zeros"},
		{"plus", `[+1]`, 1, 2, "expected a value, found '+'", ""},
		{"dot", `[1.]`, 1, 4, "invalid number: expected a digit after '.', found ']'", ""},
		{"hex", `[0x10]`, 1, 3, "invalid number: unexpected 'x'", ""},
		{"exp", `[1e]`, 1, 4, "invalid number: expected a digit in the exponent, found ']'", ""},
		{"minus", `[-]`, 1, 3, "invalid number: expected a digit, found ']'", ""},
		{"col counts runes", "{\"é€😀\": 1 2}", 1, 11, "expected ',' or '}' after object member, found '2'", ""},
		{"crlf lines", "{\r\n\"a\": 1\r\n\"b\": 2}", 3, 1, `expected ',' or '}' after object member, found '"'`, ""},
		{"lone cr line", "{\r\"a\": 1\r\"b\": 2}", 3, 1, `expected ',' or '}' after object member, found '"'`, ""},
		{"control outside", "{\x01}", 1, 2, "expected a member name in double quotes, found control character U+0001", ""},
		{"deep", strings.Repeat("[", MaxDepth+1), 1, MaxDepth + 1, "nesting too deep (more than 256 levels)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, errs := Parse([]byte(tc.in))
			if v != nil {
				t.Fatalf("got a tree, want a syntax error")
			}
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
			}
			e := errs[0]
			if e.Pos.Line != tc.line || e.Pos.Col != tc.col || e.Msg != tc.msg {
				t.Errorf("got %d:%d %q\nwant %d:%d %q", e.Pos.Line, e.Pos.Col, e.Msg, tc.line, tc.col, tc.msg)
			}
			if e.Hint == "" || !strings.Contains(e.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", e.Hint, tc.hint)
			}
			// The byte offset and the line:col must name the same place.
			if got := posOf(tc.in, e.Pos.Offset); got.Line != e.Pos.Line || got.Col != e.Pos.Col {
				t.Errorf("offset %d is %d:%d, error says %d:%d", e.Pos.Offset, got.Line, got.Col, e.Pos.Line, e.Pos.Col)
			}
		})
	}
}

// posOf recomputes line:col of a byte offset the slow, obvious way.
func posOf(s string, off int) Pos {
	line, col := 1, 1
	for i := 0; i < off && i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			n = 2
			line, col = line+1, 1
		case r == '\n' || r == '\r':
			line, col = line+1, 1
		default:
			col++
		}
		i += n
	}
	return Pos{Line: line, Col: col, Offset: off}
}

func TestDuplicateKeys(t *testing.T) {
	in := "{\n \"a\": 1,\n \"b\": {\"x\": 1, \"x\": 2},\n \"a\": 3\n}"
	v, errs := Parse([]byte(in))
	if v == nil {
		t.Fatal("duplicate keys must not stop parsing")
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`line 3 col 16: duplicate member "x" (first at line 3 col 8)`,
		`line 4 col 2: duplicate member "a" (first at line 2 col 2)`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if a := v.Get("a"); a == nil || a.Str != "1" {
		t.Errorf("the first member must be kept, got %+v", a)
	}
}

func TestPositions(t *testing.T) {
	in := "\xef\xbb\xbf{\n  \"ké\": [true, null, \"x\\u00e9\\ud83d\\ude00\"],\n\t\"n\": -1.5e3 }"
	v, errs := Parse([]byte(in))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	m := v.Members[0]
	check := func(what string, p Pos, line, col int) {
		t.Helper()
		if p.Line != line || p.Col != col {
			t.Errorf("%s at %d:%d, want %d:%d", what, p.Line, p.Col, line, col)
		}
		if q := posOf(in, p.Offset); q.Line != p.Line || q.Col != p.Col {
			t.Errorf("%s offset %d is %d:%d", what, p.Offset, q.Line, q.Col)
		}
	}
	check("object", v.Pos, 1, 2) // after the byte order mark, which counts as a character
	check("key", m.KeyPos, 2, 3)
	check("array", m.Value.Pos, 2, 9)
	check("true", m.Value.Elems[0].Pos, 2, 10)
	check("null", m.Value.Elems[1].Pos, 2, 16)
	check("string", m.Value.Elems[2].Pos, 2, 22)
	if s := m.Value.Elems[2].Str; s != "xé😀" {
		t.Errorf("decoded %q", s)
	}
	n := v.Get("n")
	check("number", n.Pos, 3, 7)
	if n.Kind != Number || n.Str != "-1.5e3" {
		t.Errorf("number %+v", n)
	}
}

// TestAgreesWithEncodingJSON: on documents encoding/json accepts (and that
// have no duplicate keys or surrogate escapes) the trees must agree.
func TestAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"a":[1,2,{"b":null}],"c":"\"\\\/\b\f\n\r\t\u0041","d":true,"e":false,"f":-0.5E-3}`,
		`[]`, `{}`, `"x"`, `0`, ` [ [ ] , { } ] `,
	} {
		v, errs := Parse([]byte(in))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", in, errs)
		}
		var want any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if got := toAny(v); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v want %#v", in, got, want)
		}
	}
}

func toAny(v *Value) any {
	switch v.Kind {
	case Null:
		return nil
	case Bool:
		return v.Bool
	case Number:
		var f float64
		_ = json.Unmarshal([]byte(v.Str), &f)
		return f
	case String:
		return v.Str
	case Array:
		out := []any{}
		for _, e := range v.Elems {
			out = append(out, toAny(e))
		}
		return out
	}
	out := map[string]any{}
	for _, m := range v.Members {
		out[m.Key] = toAny(m.Value)
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",null,true]}`, "{\n\"a\": 1,\n}", `["\ud83d\ude00"]`, "\xef\xbb\xbf[1]"} {
		f.Add([]byte(s))
	}
	// Seeds for the safe-to-print property: a private key as a member
	// name, terminal escapes, a very long number.
	f.Add([]byte(`{"` + ageSecret + `" 1}`))
	f.Add([]byte("{\"\x1b]0;ok\x07\": 1, \"\x1b]0;ok\x07\": 2}"))
	f.Add([]byte(`[` + strings.Repeat("1", 150) + `]`))
	if b, err := os.ReadFile("../../content/examples/seed.json"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, errs := Parse(data)
		if v == nil && len(errs) == 0 {
			t.Fatalf("no tree and no error")
		}
		for _, e := range errs {
			if e.Msg == "" || e.Hint == "" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Offset > len(data) {
				t.Fatalf("bad error %+v", e)
			}
			if q := posOf(string(data), e.Pos.Offset); q.Line != e.Pos.Line || q.Col != e.Pos.Col {
				t.Fatalf("error at offset %d is %d:%d, says %d:%d", e.Pos.Offset, q.Line, q.Col, e.Pos.Line, e.Pos.Col)
			}

			// Safe to print: no private key material, nothing that is
			// not printable, short.
			for _, m := range []string{e.Msg, e.Hint} {
				if why := echo.Check(m, maxMessage); why != "" {
					t.Fatalf("message not safe to print (%s): %q", why, m)
				}
			}
		}
		// Whatever we accept without errors, encoding/json accepts too.
		if v != nil && len(errs) == 0 && !json.Valid([]byte(strings.TrimPrefix(string(data), "\xef\xbb\xbf"))) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		if v == nil && json.Valid(data) && utf8.Valid(data) && !strings.Contains(string(data), `\u`) && !deep(data) && !strings.HasPrefix(errs[0].Msg, "number too long") {
			t.Fatalf("rejected valid JSON %q: %v", data, errs[0])
		}
	})
}

func deep(data []byte) bool {
	return strings.Count(string(data), "[")+strings.Count(string(data), "{") >= MaxDepth
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("../../content/examples/large.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, errs := Parse(data); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
