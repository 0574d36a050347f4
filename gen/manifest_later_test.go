package gen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// GenerateManifestLater's files plus its manifest must be exactly
// Generate's output, whenever the manifest is asked for: right away, after
// the Cache has generated another fleet, for the same Fleet again (the
// remembered output), and a Generate after a finished manifest must return
// the whole repository. (Bytes only: that a late manifest leaves the newer
// generation's memos alone, finishManifest's check, changes no output, so
// no test of output can see it.)
func TestGenerateManifestLaterIsGenerate(t *testing.T) {
	for _, name := range []string{"seed", "large"} {
		data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		edited := bytes.Replace(data, []byte(`"description": "`), []byte(`"description": "edited `), 1)
		if bytes.Equal(edited, data) {
			t.Fatalf("%s: no description to edit", name)
		}
		want := map[string][]gen.File{}
		for _, text := range [][]byte{data, edited} {
			spec, diags := gen.Parse(text)
			if gen.HasErrors(diags) {
				t.Fatalf("%s: %v", name, diags)
			}
			want[string(text)], err = gen.Generate(spec, pinned())
			if err != nil {
				t.Fatal(err)
			}
		}
		c := gen.NewCache()
		later := func(text []byte) ([]gen.File, func() gen.File) {
			t.Helper()
			spec, _ := c.Parse(text)
			files, man, err := gen.GenerateManifestLater(spec, pinned())
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if f.Path == gen.ManifestPath {
					t.Fatalf("%s: the files of GenerateManifestLater include the manifest", name)
				}
			}
			return files, man
		}
		check := func(step string, text []byte, files []gen.File, man gen.File) {
			t.Helper()
			i := 0
			for i < len(files) && files[i].Path < gen.ManifestPath {
				i++
			}
			whole := append(append(append([]gen.File{}, files[:i]...), man), files[i:]...)
			sameFiles(t, name+" "+step, whole, want[string(text)])
		}

		files, man := later(data)
		check("first, manifest right away", data, files, man())
		files, man = later(edited)
		f2, m2 := files, man
		files, man = later(data) // the Cache moves on before m2 is asked for
		check("manifest after the next generation", edited, f2, m2())
		check("the generation after", data, files, man())
		files, man = later(data) // the same text: the same Fleet, remembered
		check("same fleet again", data, files, man())
		spec, _ := c.Parse(data)
		all, err := gen.Generate(spec, pinned())
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, name+" Generate after a finished manifest", all, want[string(data)])
	}
}

func sameFiles(t *testing.T, what string, got, want []gen.File) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files, want %d", what, len(got), len(want))
		return
	}
	var bad []string
	for i := range got {
		if got[i].Path != want[i].Path || got[i].Mode != want[i].Mode || !bytes.Equal(got[i].Data, want[i].Data) {
			bad = append(bad, want[i].Path)
		}
	}
	if len(bad) > 0 {
		t.Errorf("%s: %d files differ from Generate's: %s", what, len(bad), strings.Join(bad, ", "))
	}
}
