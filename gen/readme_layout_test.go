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
