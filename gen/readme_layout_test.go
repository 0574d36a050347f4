package gen_test

import (
	"path"
	"regexp"
	"strconv"
	"testing"
)

// TestReadmeLayoutCountsEveryFile: the README's Layout table has a row for
// every directory of the generated repository, with its number of files,
// and no other rows. It is written before the manifest
// (.fleetyard/generated.json) and before README.md itself, which it must
// count all the same.
func TestReadmeLayoutCountsEveryFile(t *testing.T) {
	row := regexp.MustCompile("(?m)^\\| `([^`]*)/` \\| ([0-9]+) \\|$")
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			_, files := generateExample(t, ex.name)
			want := map[string]int{}
			var readme string
			for _, f := range files {
				want[path.Dir(f.Path)]++
				if f.Path == "README.md" {
					readme = string(f.Data)
				}
			}
			got := map[string]int{}
			for _, m := range row.FindAllStringSubmatch(readme, -1) {
				n, _ := strconv.Atoi(m[2])
				got[m[1]] = n
			}
			for d, n := range want {
				if got[d] != n {
					t.Errorf("Layout: %s/ has %d files, the README says %d", d, n, got[d])
				}
			}
			for d := range got {
				if _, ok := want[d]; !ok {
					t.Errorf("Layout lists %s/, which the repository does not have", d)
				}
			}
		})
	}
}

// TestReadmeStepReferencesResolve: a README step that points at another
// names it by its title in double quotes, and that title is a heading of
// the same README. Numbers are not allowed ("as in step 1" went stale when
// "Put the repository in git" became step 1): they move whenever a pattern
// adds or drops a step.
func TestReadmeStepReferencesResolve(t *testing.T) {
	heading := regexp.MustCompile(`(?m)^### [0-9]+\. (.+)$`)
	byNumber := regexp.MustCompile(`(?i)\bsteps? [0-9]`)
	byTitle := regexp.MustCompile(`as in "([^"]+)"`)
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			_, files := generateExample(t, ex.name)
			var readme string
			for _, f := range files {
				if f.Path == "README.md" {
					readme = string(f.Data)
				}
			}
			titles := map[string]bool{}
			for _, m := range heading.FindAllStringSubmatch(readme, -1) {
				titles[m[1]] = true
			}
			if len(titles) == 0 {
				t.Fatal("no bootstrap steps in README.md")
			}
			for _, m := range byNumber.FindAllString(readme, -1) {
				t.Errorf("README.md refers to a step by number (%q): name it by its title", m)
			}
			refs := byTitle.FindAllStringSubmatch(readme, -1)
			for _, m := range refs {
				if !titles[m[1]] {
					t.Errorf("README.md refers to step %q, which it does not have", m[1])
				}
			}
		})
	}
}
