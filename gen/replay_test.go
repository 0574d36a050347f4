package gen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// stringLeaf is a string value of an example's text: where its literal is,
// and its field (fieldOf).
type stringLeaf struct {
	field      string
	start, end int
}

// fieldName names the value at the end of path as typedFields do, for any
// field.
func fieldName(path []jsonpos.Step) string {
	var b strings.Builder
	for i, st := range path {
		switch {
		case st.Elem:
			b.WriteString("[]")
		case i > 0:
			b.WriteString("." + st.Key)
		default:
			b.WriteString(st.Key)
		}
	}
	return b.String()
}

// ignoredFields are the names of the typed fields in set.
func ignoredFields(set fieldSet) []string {
	var out []string
	for i, name := range typedFields {
		if set&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// TestFieldOf: the typed fields are found by their paths, and nothing else
// is one.
func TestFieldOf(t *testing.T) {
	for _, tc := range []struct {
		path []jsonpos.Step
		want fieldSet
	}{
		{[]jsonpos.Step{{Key: "name"}}, fName},
		{[]jsonpos.Step{{Key: "machines"}, {Elem: true, Index: 7}, {Key: "description", Index: 2}}, fMachineDescription},
		{[]jsonpos.Step{{Key: "vars"}, {Elem: true}, {Key: "prompts"}, {Elem: true}, {Key: "description"}}, fPromptDescription},
		{[]jsonpos.Step{{Key: "machines"}, {Elem: true}}, 0},
		{[]jsonpos.Step{{Key: "users"}, {Elem: true}, {Key: "name"}}, 0},
		{[]jsonpos.Step{{Key: "machines[].description"}}, 0},
		{[]jsonpos.Step{{Key: "machines[]"}, {Key: "description"}}, 0},
		{nil, 0},
	} {
		if got := fieldOf(tc.path); got != tc.want {
			t.Errorf("fieldOf(%v) = %b, want %b", tc.path, got, tc.want)
		}
	}
	for i, name := range typedFields {
		if fieldSet(1<<i) > fScript {
			t.Errorf("typedFields[%d] (%s) has no constant", i, name)
		}
	}
}

// stringLeaves lists the string values of data below the top level.
func stringLeaves(t testing.TB, data []byte) []stringLeaf {
	t.Helper()
	root, errs := jsonpos.Parse(data)
	if len(errs) > 0 {
		t.Fatal(errs[0].Msg)
	}
	var out []stringLeaf
	var walk func(v *jsonpos.Value, path []jsonpos.Step)
	walk = func(v *jsonpos.Value, path []jsonpos.Step) {
		switch v.Kind {
		case jsonpos.String:
			// The literal ends at the first unescaped quote.
			i := v.Pos.Offset + 1
			for data[i] != '"' {
				if data[i] == '\\' {
					i++
				}
				i++
			}
			out = append(out, stringLeaf{fieldName(path), v.Pos.Offset, i + 1})
		case jsonpos.Array:
			for i, e := range v.Elems {
				walk(e, append(slices.Clip(path), jsonpos.Step{Elem: true, Index: i}))
			}
		case jsonpos.Object:
			for i, m := range v.Members {
				walk(m.Value, append(slices.Clip(path), jsonpos.Step{Key: m.Key, Index: i}))
			}
		}
	}
	walk(root, nil)
	return out
}

// filesByPattern generates data without a Cache and groups the files by the
// pattern that wrote them; ok is false when data does not generate.
func filesByPattern(t testing.TB, data []byte) (map[string]map[string][]byte, bool) {
	t.Helper()
	f, diags := Parse(data)
	if f == nil || HasErrors(diags) {
		return nil, false
	}
	owner := map[string]string{}
	opt := Options{Entropy: bytes.Repeat([]byte{7}, 32), Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	files, _, err := generateOwned(f.m, opt, nil, owner)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]byte{}
	for _, file := range files {
		p := owner[file.Path]
		if out[p] == nil {
			out[p] = map[string][]byte{}
		}
		out[p][file.Path] = file.Data
	}
	return out, true
}

func samePatternFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for p, d := range a {
		if e, ok := b[p]; !ok || !bytes.Equal(d, e) {
			return false
		}
	}
	return true
}

// ignoreMutations are the values a field is set to: another word, none, and
// free text with a quote, a backslash and a non-ASCII letter. A value the
// field does not accept (Parse reports an error) is skipped.
func ignoreMutations(old string) []string {
	return []string{old + "x", "", `Ünïcode "quoted" \ text`}
}

// TestPatternIgnoresFields holds every pattern.ignores declaration true:
// in each example, each string value of a declared field (the first, second
// and last of a list) is set to each of ignoreMutations, and the files the
// pattern writes must stay byte for byte the same. Replay (replay.go) puts
// those files again on such an edit without running the pattern. Each
// declared field must have been changed at least once, so a declaration
// cannot pass untested. FY_IGNORES=1 also lists, for every string field of
// the examples, the patterns whose files never changed: candidates.
func TestPatternIgnoresFields(t *testing.T) {
	declared := map[string][]string{} // field -> patterns
	for _, p := range patterns {
		for _, f := range ignoredFields(p.ignores) {
			declared[f] = append(declared[f], p.name)
		}
	}
	discover := os.Getenv("FY_IGNORES") != ""
	tried := map[string]int{}
	changedBy := map[string]map[string]bool{} // field -> patterns whose files changed
	for _, name := range examples(t) {
		data, err := os.ReadFile(filepath.Join("..", "content", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		base, ok := filesByPattern(t, data)
		if !ok {
			t.Fatalf("%s does not generate", name)
		}
		seen := map[string]int{} // field -> leaves of it so far in this example
		leaves := stringLeaves(t, data)
		for li, l := range leaves {
			_, isDeclared := declared[l.field]
			if !isDeclared && !discover {
				continue
			}
			// The first two and the last value of each field.
			seen[l.field]++
			last := true
			for _, m := range leaves[li+1:] {
				if m.field == l.field {
					last = false
				}
			}
			if seen[l.field] > 2 && !last {
				continue
			}
			var old string
			json.Unmarshal(data[l.start:l.end], &old)
			for _, v := range ignoreMutations(old) {
				lit, _ := json.Marshal(v)
				edited := slices.Concat(data[:l.start], lit, data[l.end:])
				got, ok := filesByPattern(t, edited)
				if !ok {
					continue
				}
				tried[l.field]++
				if changedBy[l.field] == nil {
					changedBy[l.field] = map[string]bool{}
				}
				for _, p := range patterns {
					if samePatternFiles(base[p.name], got[p.name]) {
						continue
					}
					changedBy[l.field][p.name] = true
					if slices.Contains(ignoredFields(p.ignores), l.field) {
						t.Errorf("%s: pattern %q declares it ignores %s, but setting %s (byte %d) to %q changes its files",
							name, p.name, l.field, old, l.start, v)
					}
				}
			}
		}
	}
	for f, ps := range declared {
		if tried[f] == 0 {
			t.Errorf("patterns %v declare they ignore %s, which no example has a value of that generates when changed", ps, f)
		}
	}
	if discover {
		fields := make([]string, 0, len(changedBy))
		for f := range changedBy {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			var free []string
			for _, p := range patterns {
				if !changedBy[f][p.name] {
					free = append(free, p.name)
				}
			}
			t.Logf("%-40s %3d changes; untouched: %s", f, tried[f], strings.Join(free, " "))
		}
	}
}

// TestReplayWhileTyping types into the fields patterns ignore, through one
// Cache, as the playground does: a letter at a time into one value, then
// into another field, with edits no pattern ignores (a machine renamed, a
// tag added) between them and a syntax error half typed. After every
// keystroke that generates, the output must be exactly a fresh Parse and
// Generate's, and across the run patterns must have been replayed.
func TestReplayWhileTyping(t *testing.T) {
	for _, name := range []string{"seed.json", "large.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "content", "examples", name))
			if err != nil {
				t.Fatal(err)
			}
			declared := map[string]bool{}
			for _, p := range patterns {
				for _, f := range ignoredFields(p.ignores) {
					declared[f] = true
				}
			}
			cache := NewCache()
			opt := Options{Entropy: bytes.Repeat([]byte{7}, 32), Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			check := func(step string, text []byte) {
				t.Helper()
				f, diags := cache.Parse(text)
				if f == nil || HasErrors(diags) {
					return
				}
				got, err := Generate(f, opt)
				if err != nil {
					t.Fatal(err)
				}
				fresh, _ := Parse(text)
				want, err := Generate(fresh, opt)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%s: %d files, from scratch %d", step, len(got), len(want))
				}
				for i := range want {
					if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) || got[i].Mode != want[i].Mode {
						t.Fatalf("%s: %s differs from a fresh generation's", step, want[i].Path)
					}
				}
			}
			check("start", data)
			var fields []string
			for _, l := range stringLeaves(t, data) {
				if declared[l.field] && !slices.Contains(fields, l.field) {
					fields = append(fields, l.field)
				}
			}
			// leaf is the n-th value of field in the current text.
			leaf := func(field string, n int) (stringLeaf, bool) {
				var ls []stringLeaf
				for _, l := range stringLeaves(t, data) {
					if l.field == field {
						ls = append(ls, l)
					}
				}
				if len(ls) == 0 {
					return stringLeaf{}, false
				}
				return ls[n%len(ls)], true
			}
			system := []string{`"x86_64-linux"`, `"aarch64-linux"`}
			for round := 0; round < 3; round++ {
				for fi, field := range fields {
					// Three letters typed at the end of a value, one deleted.
					for _, key := range []string{"a", "b", "c", ""} {
						l, ok := leaf(field, round+fi)
						if !ok {
							t.Fatalf("no %s left", field)
						}
						if key == "" {
							data = slices.Concat(data[:l.end-2], data[l.end-1:])
						} else {
							data = slices.Concat(data[:l.end-1], []byte(key), data[l.end-1:])
						}
						check(field+" +"+key, data)
					}
					// Something no pattern ignores between two fields, as a
					// person edits: every pattern runs again once.
					switch fi % 3 {
					case 0:
						from, to := system[round%2], system[(round+1)%2]
						if i := bytes.Index(data, []byte(from)); i >= 0 {
							data = slices.Concat(data[:i], []byte(to), data[i+len(from):])
							check("a machine's system changed", data)
						}
					case 1:
						check("half a member typed (a syntax error)", slices.Concat(data[:1], []byte(`"x`), data[1:]))
					}
				}
			}
			if cache.replays == 0 {
				t.Fatal("no pattern was replayed")
			}
			t.Logf("%d patterns replayed over %d fields", cache.replays, len(fields))
		})
	}
}
