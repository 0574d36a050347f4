package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The README memo may only ignore the fleet's name and description and the
// machines' descriptions: every other line of fleet.json, including names
// and descriptions elsewhere (a machine's name, a package's description, a
// vars prompt's) and a user's "machines" list, must count.
func TestEqualButReadmeText(t *testing.T) {
	base := `{
  "name": "f",
  "description": "fleet",
  "machines": [
    {
      "name": "a",
      "description": "one",
      "hetzner": {
        "description": "nested"
      }
    },
    {
      "name": "b",
      "description": "two"
    }
  ],
  "users": [
    {
      "name": "u",
      "description": "not a machine's",
      "machines": [
        "a"
      ]
    }
  ]
}
`
	tests := []struct {
		name string
		old  string
		new  string
		want bool
	}{
		{"same text", base, base, true},
		{"a machine's description", `      "description": "one",`, `      "description": "ONE, edited",`, true},
		{"the last machine's description", `      "description": "two"`, `      "description": "changed"`, true},
		{"the fleet's description", `  "description": "fleet",`, `  "description": "other",`, true},
		{"the fleet's name", `  "name": "f",`, `  "name": "fleet-2",`, true},
		{"a user's name", `      "name": "u",`, `      "name": "v",`, false},
		{"a description nested in a machine", `        "description": "nested"`, `        "description": "x"`, false},
		{"a user's description-like member", `      "description": "not a machine's",`, `      "description": "x",`, false},
		{"a machine's name", `      "name": "b",`, `      "name": "c",`, false},
		{"a user's machines", `        "a"`, `        "b"`, false},
		{"a description added", `      "name": "b",` + "\n" + `      "description": "two"`, `      "name": "b"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("the base text has no %q", tt.old)
			}
			edited := strings.Replace(base, tt.old, tt.new, 1)
			if got := equalButReadmeText([]byte(base), []byte(edited)); got != tt.want {
				t.Errorf("equalButReadmeText = %v, want %v", got, tt.want)
			}
			if got := equalButReadmeText([]byte(edited), []byte(base)); got != tt.want {
				t.Errorf("reversed: equalButReadmeText = %v, want %v", got, tt.want)
			}
		})
	}
	if equalButReadmeText([]byte(base), []byte(base[:len(base)-3])) {
		t.Error("a truncated text compared equal")
	}
}

// Machine description and fleet name edits must reuse the remembered sections, and
// anything else must not (the randomized TestIncrementalMatchesScratch
// checks the bytes; this checks that the memo is actually used).
func TestReadmeMemoUsedForNameAndDescriptionEdits(t *testing.T) {
	spec := `{"version": 1, "name": "f", "domain": "f",
	  "admins": [{"name": "admin", "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture"]}],
	  "machines": [{"name": "a", "class": "nixos", "description": "DESC"}],
	  "users": [{"name": "u", "machines": ["a"], "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"]}]}`
	c := NewCache()
	regenerate(t, c, spec)
	first := c.readmeText
	regenerate(t, c, strings.Replace(spec, "DESC", "another description", 1))
	if &c.readmeText[0] != &first[0] {
		t.Error("a machine description edit rewrote the README's users, access and bootstrap sections")
	}
	second := c.readmeText
	regenerate(t, c, strings.Replace(spec, `"name": "f"`, `"name": "fleet-renamed"`, 1))
	if &c.readmeText[0] != &second[0] {
		t.Error("renaming the fleet rewrote the README's users, access and bootstrap sections")
	}
	regenerate(t, c, strings.Replace(spec, `"name": "u"`, `"name": "v"`, 1))
	if &c.readmeText[0] == &first[0] {
		t.Error("renaming a user reused the README sections written before")
	}
}

// TestEqualButReadmeTextSkipsOnlyEqualLines: skipping the common head and
// tail of the two texts gives the answer of holding every line to the rules
// (equalLinesButReadmeText from the top), for random edits of a real
// fleet.json: one or two lines changed, removed or repeated, in and out of
// the machines array, at its ends and the text's.
func TestEqualButReadmeTextSkipsOnlyEqualLines(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Parse(data)
	files, err := Generate(f, Options{Entropy: make([]byte, 32), Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var spec []byte
	for _, f := range files {
		if f.Path == "fleet.json" {
			spec = f.Data
		}
	}
	lines := strings.SplitAfter(string(spec), "\n")
	rng := rand.New(rand.NewPCG(7, 7))
	edit := func(ls []string) []string {
		out := slices.Clone(ls)
		i := rng.IntN(len(out))
		switch rng.IntN(5) {
		case 0: // change a character of a line (its value, usually)
			l := []byte(out[i])
			if len(l) > 1 {
				l[rng.IntN(len(l)-1)] ^= 1
			}
			out[i] = string(l)
		case 1: // replace a value wholesale
			if k := strings.Index(out[i], ": "); k >= 0 {
				out[i] = out[i][:k] + `: "edited"` + "\n"
			}
		case 2:
			out = slices.Delete(out, i, i+1)
		case 3:
			out = slices.Insert(out, i, out[i])
		case 4: // the last line loses its newline
			out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], "\n")
		}
		return out
	}
	agree, equal := 0, 0
	for range 3000 {
		b := edit(lines)
		if rng.IntN(2) == 0 {
			b = edit(b)
		}
		at, bt := []byte(strings.Join(lines, "")), []byte(strings.Join(b, ""))
		want := equalLinesButReadmeText(at, bt, false)
		if got := equalButReadmeText(at, bt); got != want {
			t.Fatalf("equalButReadmeText = %v, every line's rules say %v, for\n%s", got, want, lineDiff(lines, b))
		}
		if got := equalButReadmeText(bt, at); got != want {
			t.Fatalf("reversed: equalButReadmeText = %v, every line's rules say %v, for\n%s", got, want, lineDiff(lines, b))
		}
		agree++
		if want {
			equal++
		}
	}
	if equal < 100 || agree-equal < 100 {
		t.Errorf("%d of %d edits kept the README's sections: the edits exercise too little of one side", equal, agree)
	}
}

// lineDiff lists the lines of b that a does not have at the same index.
func lineDiff(a, b []string) string {
	var out strings.Builder
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			fmt.Fprintf(&out, "line %d: %q -> %q\n", i+1, x, y)
		}
	}
	return out.String()
}

// TestReadmeSizeHintCoversExamples: without a Cache (the CLI, a first
// generation), each example's README fits the buffer readmeSizeHint sizes
// from its fleet.json, so writing it never doubles and copies the buffer
// midway; and the hint wastes less than half of it.
func TestReadmeSizeHintCoversExamples(t *testing.T) {
	for _, name := range []string{"minimal", "seed", "large"} {
		files := runEmitters(t, parseSpec(t, readExample(t, name+".json")), plainEmitters)
		readme, spec := files["README.md"], files["fleet.json"]
		hint := (*Cache)(nil).readmeSizeHint([]byte(spec))
		if len(readme) > hint || len(readme) < hint/2 {
			t.Errorf("%s: README %d bytes, hint %d from fleet.json's %d", name, len(readme), hint, len(spec))
		}
	}
}
