package gen_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
)

// TestSyntheticFleetsParse keeps the benchmarks' fleets valid: the
// benchmark stops at the first error, and go test ./... does not run it, so
// a new validation rule that the synthetic fleets break (the .local name
// warning, whose 200 repeats once capped as an error) would otherwise go
// unnoticed until someone measures.
func TestSyntheticFleetsParse(t *testing.T) {
	for _, n := range []int{10, 100, 1000} {
		_, diags := gen.Parse(syntheticSpec(t, n))
		for _, d := range diags {
			if d.Severity == gen.Error {
				t.Errorf("%d machines: %s: %s", n, d.Path, d.Message)
			}
		}
	}
}

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
		old := m["name"].(string)
		m["name"] = fmt.Sprintf("%s-%d", old, i/len(srcMachines))
		// A Mac answers to its own name in .local after its first switch
		// (the validator warns otherwise), so its target follows the rename.
		if t, ok := m["targetHost"].(string); ok {
			m["targetHost"] = strings.Replace(t, "@"+old+".local", "@"+m["name"].(string)+".local", 1)
		}
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
	// The generators keep their machines, by their names in this fleet.
	names := map[string]bool{}
	for _, m := range machines {
		names[m.(map[string]any)["name"].(string)] = true
	}
	vars, _ := base["vars"].([]any)
	for _, v := range vars {
		g := v.(map[string]any)
		var on []any
		for _, name := range g["machines"].([]any) {
			if renamed := name.(string) + "-0"; names[renamed] {
				on = append(on, renamed)
			}
		}
		g["machines"] = on
	}
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

// BenchmarkGenerate measures Generate on synthetic fleets of 10 to 10000
// machines, cold (no Cache: every sops stub encrypted afresh) and warm (one
// Cache reused across iterations, as the playground does). Besides ns/op it
// reports ns/machine and allocs/machine, the figures issue 10 budgets: growth
// is linear when ns/machine stays flat as the fleet grows. cpu-ns/machine
// (Unix) is the process's CPU time per machine, for comparing runs on a
// shared machine. Entropy and Time
// are pinned so every iteration does the same work.
func BenchmarkGenerate(b *testing.B) {
	// Measured with the collector set as the CLI (main.go) and the
	// playground's worker (wasm/main.go) set it, unless GOGC says otherwise:
	// the figures are what those programs see.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	for _, n := range []int{10, 100, 1000, 10000} {
		wire := fleetOf(b, n)
		spec := gen.ResolveForTest(wire, nil)
		b.Run(fmt.Sprintf("machines=%d", n), func(b *testing.B) {
			var files int
			perMachine(b, n, func() {
				out, err := gen.Generate(spec, pinned())
				if err != nil {
					b.Fatal(err)
				}
				files = len(out)
			})
			b.ReportMetric(float64(files), "files")
		})
		// The same with a warm Cache: the steady state of an editor, and
		// generation without the sops stubs' X25519 work.
		// Two Fleets of the same spec alternate: the same Fleet again would be
		// Generate's last output, returned as it is (output_memo.go).
		b.Run(fmt.Sprintf("machines=%d/cached", n), func(b *testing.B) {
			opt := pinned()
			cache := gen.NewCache()
			specs := [2]*gen.Fleet{gen.ResolveForTest(wire, cache), gen.ResolveForTest(wire, cache)}
			for _, spec := range specs {
				if _, err := gen.Generate(spec, opt); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			perMachine(b, n, func() {
				if _, err := gen.Generate(specs[i%2], opt); err != nil {
					b.Fatal(err)
				}
				i++
			})
		})
		// The editor's steady state: a warm Cache and, each time, a fleet
		// that differs from the previous one in one machine's description
		// (what a keystroke does). Only that machine's files are reprinted;
		// what remains is the fleet-wide work: the files that list every
		// machine, fleet.json, the README and the manifest.
		b.Run(fmt.Sprintf("machines=%d/edit", n), func(b *testing.B) {
			opt := pinned()
			cache := gen.NewCache()
			var specs [2]*gen.Fleet
			for i := range specs {
				w := *wire
				w.Machines = slices.Clone(wire.Machines)
				w.Machines[n/2].Description = fmt.Sprintf("edited %d", i)
				specs[i] = gen.ResolveForTest(&w, cache)
				if _, err := gen.Generate(specs[i], opt); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			perMachine(b, n, func() {
				if _, err := gen.Generate(specs[i%2], opt); err != nil {
					b.Fatal(err)
				}
				i++
			})
		})
	}
}

// fleetOf returns a parsed synthetic fleet of n machines. Parse refuses more
// than 1000 machines (listLimits), so a larger fleet is n/1000 renamed copies
// of the parsed 1000-machine one: Generate does not re-validate, and the
// copies have distinct names, so the work grows as it would for a real fleet.
func fleetOf(tb testing.TB, n int) *gen.Spec {
	const parseMax = 1000
	size := min(n, parseMax)
	parsed, diags := gen.Parse(syntheticSpec(tb, size))
	if gen.HasErrors(diags) {
		tb.Fatalf("%d machines: %v", size, diags[0])
	}
	spec := parsed.Spec()
	if n <= parseMax {
		return spec
	}
	if n%parseMax != 0 {
		tb.Fatalf("%d machines: use a multiple of %d above it", n, parseMax)
	}
	big := *spec
	big.Machines, big.Users = nil, nil
	for r := 0; r < n/parseMax; r++ {
		rename := func(s string) string {
			if r == 0 {
				return s
			}
			return s + "-r" + strconv.Itoa(r)
		}
		for _, m := range spec.Machines {
			if m.Darwin != nil {
				d := *m.Darwin
				d.PrimaryUser = rename(d.PrimaryUser)
				m.Darwin = &d
			}
			if r > 0 && m.Zerotier == "controller" {
				m.Zerotier = "peer" // one controller per fleet
			}
			m.Name = rename(m.Name)
			big.Machines = append(big.Machines, m)
		}
		for _, u := range spec.Users {
			u.Name = rename(u.Name)
			if u.UID != 0 {
				u.UID += r * len(spec.Users)
			}
			on := make([]string, len(u.Machines))
			for i, name := range u.Machines {
				on[i] = rename(name)
			}
			u.Machines = on
			big.Users = append(big.Users, u)
		}
	}
	return &big
}

// perMachine runs body in a b.Loop and reports time and allocations divided
// by the fleet size n (allocations read from the runtime, as -benchmem does,
// so the metric is there without the flag).
func perMachine(b *testing.B, n int, body func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := cpuTime()
	start := time.Now()
	iters := 0
	for b.Loop() {
		body()
		iters++
	}
	elapsed := time.Since(start)
	cpu1, _ := cpuTime()
	runtime.ReadMemStats(&after)
	per := float64(iters) * float64(n)
	b.ReportMetric(float64(elapsed.Nanoseconds())/per, "ns/machine")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/machine")
	if cpuOK {
		// CPU time of the whole process (every thread: the parallel stub
		// encryption, the garbage collector) per machine; steadier than
		// wall time on a busy machine.
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/per, "cpu-ns/machine")
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
		archive.TarGz(spec.Spec().Name, files)
	}
}
