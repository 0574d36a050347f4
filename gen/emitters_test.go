package gen

// Tests that run every emitter alone on every example: the Nix they write
// parses, and two runs agree.

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// emitterGroups are the emitters the pattern tests run alone, with the
// paths each group owns (nil: not checked).
var emitterGroups = []struct {
	name     string
	emitters []func(*build)
	owned    []string
}{
	{"wiring", wiringEmitters, nil},
	{"features", featureEmitters, featurePrefixes},
}

// TestEmittersNixParses: every .nix file the emitters write, for every
// example, is accepted by `nix-instantiate --parse` (which also rejects
// unbound variables). All files of an example go through one process; on
// failure each is parsed alone to name the culprit. The feature emitters
// write only below the paths they own.
func TestEmittersNixParses(t *testing.T) {
	for _, g := range emitterGroups {
		for _, ex := range exampleNames {
			t.Run(g.name+"/"+ex, func(t *testing.T) {
				files := runEmitters(t, exampleSpec(t, ex), g.emitters)
				var nixPaths []string
				for _, p := range paths(files, "") {
					if strings.HasSuffix(p, ".nix") {
						nixPaths = append(nixPaths, p)
					}
				}
				if len(nixPaths) == 0 {
					t.Fatal("no .nix files emitted")
				}
				var all strings.Builder
				all.WriteString("[\n")
				for _, p := range nixPaths {
					all.WriteString(nixExpr(files[p]) + "\n")
				}
				all.WriteString("]\n")
				if nixtest.ParseErr(t, []byte(all.String())) != nil {
					for _, p := range nixPaths {
						if m := nixtest.ParseErr(t, []byte(files[p])); m != nil {
							t.Errorf("%s does not parse: %s\n%s", p, m, files[p])
						}
					}
				}
				if g.owned == nil {
					return
				}
				for p := range files {
					owned := false
					for _, pre := range g.owned {
						owned = owned || strings.HasPrefix(p, pre)
					}
					if !owned {
						t.Errorf("emitted %s outside the paths these emitters own", p)
					}
				}
			})
		}
	}
}

// TestEmittersDeterministic: two runs of the same emitters on the same spec
// write the same files.
func TestEmittersDeterministic(t *testing.T) {
	for _, g := range emitterGroups {
		for _, ex := range exampleNames {
			a := runEmitters(t, exampleSpec(t, ex), g.emitters)
			b := runEmitters(t, exampleSpec(t, ex), g.emitters)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s/%s: two runs differ", g.name, ex)
			}
		}
	}
}

// BenchmarkWireEmitters measures the wiring emitters on the large example
// (100 machines, 50 users), printing included.
func BenchmarkWireEmitters(b *testing.B) {
	m := model(exampleSpec(b, "large"))
	b.ReportAllocs()
	for b.Loop() {
		bld := &build{spec: m, files: map[string]File{}}
		for _, e := range wiringEmitters {
			e(bld)
		}
	}
}
