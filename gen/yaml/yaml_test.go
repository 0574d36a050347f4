package yaml

import (
	"strings"
	"testing"

	yv3 "go.yaml.in/yaml/v3"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		in    string
		block string // expected in a block value
		flow  string // expected in a flow sequence / as a key
	}{
		{"github-token", "github-token", "github-token"},
		{"age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3", "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3", "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3"},
		{"3.13.3", "3.13.3", "3.13.3"},
		{"3.13", `"3.13"`, `"3.13"`},
		{"2026-01-02T03:04:05Z", `"2026-01-02T03:04:05Z"`, `"2026-01-02T03:04:05Z"`},
		{"ENC[AES256_GCM,data:zj1y,iv:AA==,tag:vq==,type:str]", "ENC[AES256_GCM,data:zj1y,iv:AA==,tag:vq==,type:str]", `"ENC[AES256_GCM,data:zj1y,iv:AA==,tag:vq==,type:str]"`},
		{"_unencrypted", "_unencrypted", "_unencrypted"},
		{"", `""`, `""`},
		{"yes", `"yes"`, `"yes"`},
		{"No", `"No"`, `"No"`},
		{"NULL", `"NULL"`, `"NULL"`},
		{"~", `"~"`, `"~"`},
		{"a: b", `"a: b"`, `"a: b"`},
		{"a:", `"a:"`, `"a:"`},
		{"a:b", "a:b", `"a:b"`},
		{"x #c", `"x #c"`, `"x #c"`},
		{"-1", `"-1"`, `"-1"`},
		{".inf", `".inf"`, `".inf"`},
		{"*alias", `"*alias"`, `"*alias"`},
		{"&a", `"&a"`, `"&a"`},
		{`a"b\c`, `"a\"b\\c"`, `"a\"b\\c"`},
		{"line\nnext\ttab", `"line\nnext\ttab"`, `"line\nnext\ttab"`},
		{"\x00\x1b\u0085\u2028\u2029\ufeff\x7f\u0080", `"\0\e\N\L\P\uFEFF\x7F\x80"`, `"\0\e\N\L\P\uFEFF\x7F\x80"`},
		{"héllo", `"héllo"`, `"héllo"`},
		{"bad\xffutf8", "\"bad\uFFFDutf8\"", "\"bad\uFFFDutf8\""},
		{"${builtins.exec}", `"${builtins.exec}"`, `"${builtins.exec}"`},
	}
	for _, tt := range tests {
		if got := quote(tt.in, ctxBlock); got != tt.block {
			t.Errorf("block quote(%q) = %s, want %s", tt.in, got, tt.block)
		}
		if got := quote(tt.in, ctxFlow); got != tt.flow {
			t.Errorf("flow quote(%q) = %s, want %s", tt.in, got, tt.flow)
		}
	}
}

// TestLayout pins the block layout to what go.yaml.in/yaml/v3 (and so sops)
// writes with indent 4, and checks the 2-space variant.
func TestLayout(t *testing.T) {
	inner := &Map{}
	inner.Add("enc", Scalar{Value: "-----BEGIN-----\nabc\n-----END-----\n", Style: Literal})
	inner.Add("recipient", Str("age1x"))
	doc := &Map{}
	doc.Add("a", Str("x"))
	doc.Add("nested", (&Map{}).Add("b", Str("")).Add("list", &Seq{Items: []Node{Str("1.2.3"), &Seq{Items: []Node{Str("p"), Str("q")}}}}))
	doc.Add("sops", (&Map{}).Add("age", &Seq{Items: []Node{inner}}).Add("empty", &Seq{}).Add("none", &Map{}))
	want4 := `a: x
nested:
    b: ""
    list:
        - 1.2.3
        - - p
          - q
sops:
    age:
        - enc: |
            -----BEGIN-----
            abc
            -----END-----
          recipient: age1x
    empty: []
    none: {}
`
	got, err := Print(Document{Body: doc}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want4 {
		t.Errorf("indent 4:\n%s\nwant:\n%s", got, want4)
	}
	// The same tree through yaml.v3 must print identically.
	var n yv3.Node
	if err := yv3.Unmarshal(got, &n); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	enc := yv3.NewEncoder(&sb)
	enc.SetIndent(4)
	if err := enc.Encode(&n); err != nil {
		t.Fatal(err)
	}
	if sb.String() != want4 {
		t.Errorf("yaml.v3 re-encodes differently:\n%s", sb.String())
	}

	want2 := `a: x
nested:
  b: ""
  list:
    - 1.2.3
    - - p
      - q
sops:
  age:
    - enc: |
        -----BEGIN-----
        abc
        -----END-----
      recipient: age1x
  empty: []
  none: {}
`
	got, err = Print(Document{Body: doc}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want2 {
		t.Errorf("indent 2:\n%s\nwant:\n%s", got, want2)
	}
}

func TestAnchorsAndComments(t *testing.T) {
	keys := &Seq{Items: []Node{
		Scalar{Anchor: "admin", Value: "age1aaa"},
		Scalar{Anchor: "bob-user", Value: "age1bbb"},
	}}
	rule := &Map{}
	rule.Add("path_regex", Str(`^secrets/[^/]+\.yaml$`))
	rule.Add("key_groups", &Seq{Items: []Node{(&Map{}).Add("age", &Seq{Items: []Node{Alias("admin"), Alias("bob-user")}})}})
	doc := &Map{}
	doc.Entries = append(doc.Entries, Entry{Comment: []string{"who holds keys", "two lines\nreally"}, Key: "keys", Value: keys})
	doc.Add("creation_rules", &Seq{Items: []Node{rule}})
	doc.Add("flow", &Seq{Flow: true, Items: []Node{Alias("admin"), Str("a b"), Str("x,y")}})
	got, err := Print(Document{Header: []string{"Generated"}, Body: doc}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := `# Generated
# who holds keys
# two lines
# really
keys:
  - &admin age1aaa
  - &bob-user age1bbb
creation_rules:
  - path_regex: "^secrets/[^/]+\\.yaml$"
    key_groups:
      - age:
          - *admin
          - *bob-user
flow: [*admin, "a b", "x,y"]
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	var v map[string]any
	if err := yv3.Unmarshal(got, &v); err != nil {
		t.Fatal(err)
	}
	ages := v["creation_rules"].([]any)[0].(map[string]any)["key_groups"].([]any)[0].(map[string]any)["age"].([]any)
	if ages[0] != "age1aaa" || ages[1] != "age1bbb" {
		t.Errorf("aliases resolve to %v", ages)
	}
	if v["creation_rules"].([]any)[0].(map[string]any)["path_regex"] != `^secrets/[^/]+\.yaml$` {
		t.Errorf("path_regex reads back as %v", v["creation_rules"])
	}
}

func TestPrintErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  Node
		want string
	}{
		{"alias before anchor", (&Map{}).Add("a", Alias("x")).Add("b", Scalar{Anchor: "x", Value: "v"}), "refers to no earlier anchor"},
		{"duplicate anchor", &Seq{Items: []Node{Scalar{Anchor: "x", Value: "1"}, Scalar{Anchor: "x", Value: "2"}}}, "defined twice"},
		{"bad anchor", &Seq{Items: []Node{Scalar{Anchor: "a b", Value: "1"}}}, "anchor name"},
		{"duplicate key", (&Map{}).Add("a", Str("1")).Add("a", Str("2")), "duplicate key"},
		{"map in flow", (&Map{}).Add("a", &Seq{Flow: true, Items: []Node{&Map{}}}), "flow sequence"},
		{"nil value", (&Map{}).Add("a", nil), "nil node"},
	}
	for _, tt := range tests {
		_, err := Print(Document{Body: tt.doc}, 2)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestSingleQuoted(t *testing.T) {
	tests := map[string]string{
		`^secrets/[^/]+\.yaml$`: `'^secrets/[^/]+\.yaml$'`,
		"it's":                  `'it''s'`,
		"plain":                 "plain",
		" lead":                 `" lead"`,
		"tab\there":             `"tab\there"`,
		"two\nlines":            `"two\nlines"`,
	}
	for in, want := range tests {
		got, err := Print(Document{Body: (&Map{}).Add("k", Scalar{Value: in, Style: Single})}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "k: "+want+"\n" {
			t.Errorf("Single %q printed %s", in, got)
		}
		roundTrip(t, in)
	}
}

func TestLiteralFallsBack(t *testing.T) {
	for _, s := range []string{" leading", "one line", "\nfirst empty", "cr\r\nlf", "a\u2028b\n"} {
		got, err := Print(Document{Body: (&Map{}).Add("k", Scalar{Value: s, Style: Literal})}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(got), "|") {
			t.Errorf("%q printed as a literal block:\n%s", s, got)
		}
		roundTrip(t, s)
	}
	for _, s := range []string{"a\nb", "a\nb\n", "a\n\n\n", "x\n  indented\n\ny\n"} {
		got, err := Print(Document{Body: (&Map{}).Add("k", Scalar{Value: s, Style: Literal})}, 4)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), "k: |") {
			t.Errorf("%q not printed as a literal block:\n%s", s, got)
		}
		var v map[string]string
		if err := yv3.Unmarshal(got, &v); err != nil || v["k"] != s {
			t.Errorf("literal %q reads back as %q (%v)", s, v["k"], err)
		}
	}
}

// roundTrip checks that s, printed as a key, a block value, a sequence item
// and a flow item, reads back through yaml.v3 as exactly the string s.
func roundTrip(t *testing.T, s string) {
	t.Helper()
	want := strings.ToValidUTF8(s, "\uFFFD")
	doc := (&Map{}).
		Add("v", Str(s)).
		Add("lit", Scalar{Value: s, Style: Literal}).
		Add("single", Scalar{Value: s, Style: Single}).
		Add("seq", &Seq{Items: []Node{Str(s)}}).
		Add("flow", &Seq{Flow: true, Items: []Node{Str(s), Str(s)}}).
		Add(s+"\x00key", Str("k"))
	out, err := Print(Document{Body: doc}, 4)
	longKey := false
	if len(quote(s+"\x00key", ctxKey)) > maxKeyLen {
		if err == nil || !strings.Contains(err.Error(), "longer than") {
			t.Fatalf("long key: err = %v, want a length error", err)
		}
		longKey = true
		doc.Entries = doc.Entries[:len(doc.Entries)-1]
		out, err = Print(Document{Body: doc}, 4)
	}
	if err != nil {
		t.Fatal(err)
	}
	var n yv3.Node
	if err := yv3.Unmarshal(out, &n); err != nil {
		t.Fatalf("%q: yaml.v3 cannot parse our output: %v\n%s", s, err, out)
	}
	m := n.Content[0]
	check := func(what string, x *yv3.Node) {
		if x.Kind != yv3.ScalarNode || x.Tag != "!!str" || x.Value != want {
			t.Errorf("%q as %s reads back as %v %s %q\n%s", s, what, x.Kind, x.Tag, x.Value, out)
		}
	}
	check("value", m.Content[1])
	check("literal", m.Content[3])
	check("single", m.Content[5])
	check("seq item", m.Content[7].Content[0])
	check("flow item", m.Content[9].Content[1])
	if longKey {
		return
	}
	check("key", &yv3.Node{Kind: yv3.ScalarNode, Tag: m.Content[10].Tag, Value: strings.TrimSuffix(m.Content[10].Value, "\x00key")})
}

func FuzzScalarRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "yes", "3.13.3", "1e3", "0x1F", "a: b", "#", "- x", "ENC[a,b:c]", "\"'\\", "\t", "é\u2028", "a\nb\n", "=", "<<", "!tag", "%x", "@x", "`x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s)
	})
}
