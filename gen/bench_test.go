package gen_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// syntheticSpec builds a fleet of n machines (a fifth of them darwin) and n/2
// users, shaped like large.json, so the benchmark can show linear growth.
func syntheticSpec(tb testing.TB, n int) []byte {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "large.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var base map[string]any
	json.Unmarshal(data, &base)
	srcMachines := base["machines"].([]any)
	srcUsers := base["users"].([]any)
	var machines, users []any
	for i := 0; i < n; i++ {
		m := clone(srcMachines[i%len(srcMachines)]).(map[string]any)
		m["name"] = fmt.Sprintf("%s-%d", m["name"], i/len(srcMachines))
		if i >= len(srcMachines) && m["zerotier"] == "controller" {
			m["zerotier"] = "peer"
		}
		machines = append(machines, m)
	}
	for i := 0; i < n/2; i++ {
		u := clone(srcUsers[i%len(srcUsers)]).(map[string]any)
		u["name"] = fmt.Sprintf("%s-%d", u["name"], i/len(srcUsers))
		u["uid"] = 600 + i
		var on []any
		for j := i; j < n; j += n / 2 {
			if m := machines[j].(map[string]any); m["class"] == "nixos" {
				on = append(on, m["name"])
			}
		}
		u["machines"] = on
		users = append(users, u)
	}
	// Darwin machines need their primary user present and admin there.
	for _, mm := range machines {
		m := mm.(map[string]any)
		if m["class"] != "darwin" {
			continue
		}
		admin := users[0].(map[string]any)
		admin["machines"] = append(admin["machines"].([]any), m["name"])
		m["darwin"].(map[string]any)["primaryUser"] = admin["name"]
	}
	users[0].(map[string]any)["admin"] = true
	base["machines"], base["users"] = machines, users
	out, _ := json.Marshal(base)
	return out
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		data := syntheticSpec(b, n)
		spec, diags := gen.Parse(data)
		if gen.HasErrors(diags) {
			b.Fatalf("%d machines: %v", n, diags[0])
		}
		b.Run(fmt.Sprintf("machines=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var files int
			for b.Loop() {
				out, err := gen.Generate(spec, pinned())
				if err != nil {
					b.Fatal(err)
				}
				files = len(out)
			}
			b.ReportMetric(float64(files), "files")
		})
		// The same with a warm Cache: the steady state of an editor, and
		// generation without the sops stubs' X25519 work.
		b.Run(fmt.Sprintf("machines=%d/cached", n), func(b *testing.B) {
			opt := pinned()
			spec, _ := gen.NewCache().Parse(data)
			if _, err := gen.Generate(spec, opt); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gen.Generate(spec, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseGenerateArchive(b *testing.B) {
	data := syntheticSpec(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		spec, _ := gen.Parse(data)
		files, err := gen.Generate(spec, pinned())
		if err != nil {
			b.Fatal(err)
		}
		gen.TarGz(spec.Spec().Name, files)
	}
}
