package e2e

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// measureColdCPU makes one cold load under the browser's tracer and prints
// where its CPU time went, by thread: the generator worker (and how much
// of it V8 spent compiling the wasm lazily, function by function, as the
// first generate reached them), V8's background threads (the optimizing
// compiler tiering hot functions up, script parsing), and the page's main
// thread (layout and style, script). On a machine of two cores the cold
// load is bound by this total rather than by any one step, and unlike the
// wall-clock figures it hardly moves with the machine's other load, so it
// is the figure to compare a change by. Tracing costs time itself: the
// load's own timings are TestMeasure/cold's.
func measureColdCPU(t *testing.T) {
	ctx, _ := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	before, statErr := readCPUStat()
	procsBefore := chromiumCPU()
	stop := recordTrace(t, ctx, "v8.wasm", "disabled-by-default-v8.wasm.detailed", "v8", "devtools.timeline", "blink.user_timing", "__metadata")
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/playground/"), chromedp.WaitReady(chromedp.CSS("#fy-pg"))); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, ctx, 0)
	pgWait(t, ctx, "the first preview painted", `performance.getEntriesByName("fy-first-preview-painted").length > 0`, 5*time.Second)
	painted := pgEval[float64](t, ctx, `performance.getEntriesByName("fy-first-preview-painted")[0].startTime`)
	after, _ := readCPUStat()
	procs := chromiumCPU()
	events := stop()
	machine := ""
	if statErr == nil {
		machine = "  the whole machine meanwhile (/proc/stat): " + after.since(before) + "\n"
	}
	if len(procs) > 0 {
		var kinds []string
		for k := range procs {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		machine += "  Chromium's processes meanwhile (user+kernel CPU, /proc/<pid>/stat):"
		for _, k := range kinds {
			machine += fmt.Sprintf(" %s %.0f ms;", k, procs[k]-procsBefore[k])
		}
		machine += "\n"
	}
	t.Logf("MEASURE cold load CPU to the first preview (one traced load, painted at %.0f ms), by thread:\n%s%s", painted, coldCPU(events), machine)
}

// chromiumCPU is the CPU time (user and kernel, ms) Chromium's running
// processes have used so far, by process type (--type=renderer, gpu-process,
// utility: the network service; "browser" for the one without), and
// under "<type> kernel" the part of it spent in the kernel. Linux only:
// elsewhere it is empty.
func chromiumCPU() map[string]float64 {
	out := map[string]float64{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		cmd, err := os.ReadFile("/proc/" + d.Name() + "/cmdline")
		if err != nil || !strings.Contains(string(cmd), "chrom") {
			continue
		}
		// Chromium rewrites its children's command lines into one
		// space-separated string: look for the flag in the whole text.
		line := strings.ReplaceAll(string(cmd), "\x00", " ")
		if first, _, _ := strings.Cut(line, " "); !strings.Contains(first, "chrom") {
			continue
		}
		kind := "browser"
		if _, v, ok := strings.Cut(line, "--type="); ok {
			kind, _, _ = strings.Cut(v, " ")
			if _, sub, ok := strings.Cut(line, "--utility-sub-type="); ok {
				sub, _, _ = strings.Cut(sub, " ")
				kind += " (" + sub + ")"
			}
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: utime is the
		// 12th, stime the 13th (man 5 proc), in clock ticks of 10 ms.
		_, rest, ok := strings.Cut(string(stat), ") ")
		f := strings.Fields(rest)
		if !ok || len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		out[kind] += (ut + st) * 10
		out[kind+" kernel"] += st * 10
	}
	return out
}

// cpuStat is the machine's CPU time so far, from /proc/stat's first line
// (Linux), in clock ticks.
type cpuStat struct{ user, system, idle, other float64 }

func readCPUStat() (cpuStat, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuStat{}, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return cpuStat{}, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var v [8]float64
	for i := range v {
		v[i], _ = strconv.ParseFloat(f[i+1], 64)
	}
	// user nice system idle iowait irq softirq steal
	return cpuStat{user: v[0] + v[1], system: v[2] + v[5] + v[6], idle: v[3] + v[4], other: v[7]}, nil
}

// since says how the machine's cores spent the time from s0 to s, in
// shares: a cold load that leaves them idle is waiting, one that spends
// them in the kernel is paying for new processes and memory.
func (s cpuStat) since(s0 cpuStat) string {
	u, sy, id, st := s.user-s0.user, s.system-s0.system, s.idle-s0.idle, s.other-s0.other
	all := u + sy + id + st
	if all <= 0 {
		return "no ticks"
	}
	return fmt.Sprintf("user %.0f %%, kernel %.0f %%, idle %.0f %%, stolen %.0f %%", 100*u/all, 100*sy/all, 100*id/all, 100*st/all)
}

// cpu is the event's thread time in ms, or its duration where the tracer
// recorded none.
func (e traceEvent) cpu() float64 {
	if e.TDur > 0 {
		return e.TDur / 1000
	}
	return e.Dur / 1000
}

// cpuGroups sorts a thread's top-level trace events into what the note
// reports: each thread's total, and the named parts of it.
var cpuGroups = []struct {
	label  string
	thread string   // thread name prefix
	events []string // event names summed (self time of the whole subtree)
}{
	{"generator worker: lazy wasm compile", "DedicatedWorker", []string{"wasm.CompileLazy"}},
	{"V8 background: wasm optimizing compile", "ThreadPool", []string{"wasm.TopTierCompilation"}},
	{"V8 background: wasm streaming decode and validation", "ThreadPool", []string{"wasm.ValidateFunctionsStreaming", "wasm.StreamingCompile"}},
	{"V8 background: script parsing", "ThreadPool", []string{"v8.parseOnBackground"}},
	{"page main thread: style and layout", "CrRendererMain", []string{"UpdateLayoutTree", "Layout"}},
	{"page main thread: paint", "CrRendererMain", []string{"Paint", "PrePaint", "Layerize", "Commit"}},
}

// coldCPU sums events up to the first preview's paint: per thread, the
// top-level events' CPU time, and for each cpuGroups row the CPU time of
// its events that are not inside another of its events. CPU time, not
// duration: with more busy threads than cores an event's duration counts
// the time its thread waited for a core.
func coldCPU(events []traceEvent) string {
	pidOf := -1
	var painted float64
	for _, e := range events {
		if e.Name == "wasm.CompileLazy" && pidOf < 0 {
			pidOf = e.PID // the playground's renderer: its worker compiles the generator
		}
	}
	for _, e := range events {
		if e.PID == pidOf && e.Name == "fy-first-preview-painted" && painted == 0 {
			painted = e.TS
		}
	}
	if pidOf < 0 {
		return "  no wasm compile in the trace\n"
	}
	totals, wall := map[string]float64{}, map[string]float64{}
	var order []string
	group := map[string]float64{}
	threads, names := traceThreads(events)
	byThread := map[threadID][]traceEvent{}
	for th, xs := range threads {
		if th.pid != pidOf {
			continue
		}
		for _, e := range xs {
			if painted == 0 || e.TS <= painted {
				byThread[th] = append(byThread[th], e)
			}
		}
	}
	for th, xs := range byThread {
		name := names[th]
		var end float64 // end of the current top-level event
		for _, e := range xs {
			if e.TS >= end {
				key := strings.TrimRight(strings.Split(name, " ")[0], "0123456789")
				if _, ok := totals[key]; !ok {
					order = append(order, key)
				}
				totals[key] += e.cpu()
				wall[key] += e.Dur / 1000
				end = e.TS + e.Dur
			}
		}
		for _, g := range cpuGroups {
			if !strings.HasPrefix(name, g.thread) {
				continue
			}
			var gEnd float64
			for _, e := range xs {
				for _, n := range g.events {
					if e.Name == n && e.TS >= gEnd {
						group[g.label] += e.cpu()
						gEnd = e.TS + e.Dur
					}
				}
			}
		}
	}
	sort.Strings(order)
	var b strings.Builder
	all := 0.0
	for _, k := range order {
		all += totals[k]
		fmt.Fprintf(&b, "  %7.0f ms  %s (all threads of that name; %.0f ms wall-clock)\n", totals[k], k, wall[k])
	}
	for _, g := range cpuGroups {
		fmt.Fprintf(&b, "  %7.0f ms    of which %s\n", group[g.label], g.label)
	}
	fmt.Fprintf(&b, "  %7.0f ms  in all, in the playground's renderer\n", all)
	return b.String()
}
