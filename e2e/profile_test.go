package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// TestProfile is a tool, not a check: with FY_PROFILE=1 it records the
// page's main-thread CPU profile (the DevTools Profiler) over a cold load
// and over typing in the large example, writes each to
// e2e/out/<name>.cpuprofile (open it in Chromium's DevTools, Performance
// tab) and prints the functions with the most self and total time. It
// answers "where does the page's time go", which TestMeasure's marks only
// bracket. FY_PROFILE=trace records the browser's timeline instead, and
// FY_PROFILE=wasm V8's wasm compile events on every thread over the cold
// load (threadTop).
func TestProfile(t *testing.T) {
	if os.Getenv("FY_PROFILE") == "" {
		t.Skip("a profiling tool: run with FY_PROFILE=1")
	}
	requireBuilt(t, "playground")
	t.Run("cold", func(t *testing.T) {
		ctx, _ := newTab(t)
		// Same site first, so the playground loads in the renderer being profiled.
		if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/")); err != nil {
			t.Fatal(err)
		}
		var end func() string
		switch os.Getenv("FY_PROFILE") {
		case "trace":
			end = startTrace(t, ctx)
		case "wasm":
			stop := recordTrace(t, ctx, "v8.wasm", "disabled-by-default-v8.wasm.detailed", "v8", "devtools.timeline", "blink.user_timing", "__metadata")
			end = func() string { return threadTop(stop(), 12) }
		default:
			startProfile(t, ctx)
		}
		openPlayground(t, ctx, "")
		pgWait(t, ctx, "the first preview painted", `performance.getEntriesByName("fy-first-preview-painted").length > 0`, 5*time.Second)
		time.Sleep(300 * time.Millisecond)
		if end != nil {
			t.Logf("trace:\n%s", end())
			t.Logf("%s", lastCold)
		} else {
			stopProfile(t, ctx, "profile-cold")
		}
	})
	for _, where := range []string{"editor", "form"} {
		t.Run("typing-"+where, func(t *testing.T) {
			ctx, _ := newTab(t)
			openPlayground(t, ctx, "")
			loadExample(t, ctx, "large", "large-fleet")
			measureTyping(t, ctx, where, "large-fleet", 2) // settles the page in the chosen control
			if os.Getenv("FY_PROFILE") == "trace" {
				end := startTrace(t, ctx)
				runs := measureTyping(t, ctx, where, "large-fleet"+"ab", 10)
				t.Logf("trace:\n%s", end())
				t.Logf("while traced: %s", latencySummary(runs))
				return
			}
			startProfile(t, ctx)
			runs := measureTyping(t, ctx, where, "large-fleet"+"ab", 10)
			stopProfile(t, ctx, "profile-typing-"+where)
			t.Logf("while profiled: %s", latencySummary(runs))
		})
	}
}

func startProfile(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// stopProfile writes the profile and logs its heaviest functions.
func stopProfile(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Profile
	b, _ := json.Marshal(p)
	os.MkdirAll("out", 0o755)
	os.WriteFile(filepath.Join("out", name+".cpuprofile"), b, 0o644)
	t.Logf("profile: e2e/out/%s.cpuprofile\n%s", name, profileTop(p, 40))
}

// profileTop lists the functions with the most self and total time.
func profileTop(p *profiler.Profile, n int) string {
	byID := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, nd := range p.Nodes {
		byID[nd.ID] = nd
		for _, c := range nd.Children {
			parent[c] = nd.ID
		}
	}
	key := func(nd *profiler.ProfileNode) string {
		f := nd.CallFrame
		u := f.URL
		if i := strings.LastIndex(u, "/"); i >= 0 {
			u = u[i+1:]
		}
		name := f.FunctionName
		if name == "" {
			name = "(anon)"
		}
		return fmt.Sprintf("%s %s:%d:%d", name, u, f.LineNumber+1, f.ColumnNumber+1)
	}
	self := map[string]float64{}
	total := map[string]float64{}
	for i, id := range p.Samples {
		if i >= len(p.TimeDeltas) {
			break
		}
		// A sample's time is the gap to the next one.
		dt := 0.0
		if i+1 < len(p.TimeDeltas) {
			dt = float64(p.TimeDeltas[i+1]) / 1000
		}
		nd := byID[id]
		self[key(nd)] += dt
		seen := map[string]bool{}
		for cur, ok := id, true; ok; cur, ok = parent[cur] {
			k := key(byID[cur])
			if !seen[k] {
				seen[k] = true
				total[k] += dt
			}
		}
	}
	list := func(m map[string]float64) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
		var b strings.Builder
		for i, k := range keys {
			if i == n {
				break
			}
			fmt.Fprintf(&b, "  %8.1f ms  %s\n", m[k], k)
		}
		return b.String()
	}
	return "self:\n" + list(self) + "total:\n" + list(total)
}

// startTrace records the browser's own timeline (style, layout, paint,
// scripts) from now on; endTrace sums it. The CPU profile puts all of the
// renderer's non-script work under "(program)": this says what it is.
func startTrace(t *testing.T, ctx context.Context) (end func() string) {
	t.Helper()
	stop := recordTrace(t, ctx, "devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "__metadata")
	return func() string {
		events := stop()
		lastCold = traceCold(events)
		return traceTop(events, 25) + traceKeystroke(events, 6)
	}
}

// recordTrace records the browser's trace events of the given categories
// from now until stop is called, which returns them. Its listener ends
// with stop, so a tab can be traced more than once.
func recordTrace(t *testing.T, ctx context.Context, cats ...string) (stop func() []traceEvent) {
	t.Helper()
	var mu sync.Mutex
	var events []traceEvent
	done := make(chan struct{})
	lctx, cancel := context.WithCancel(ctx)
	chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				var te traceEvent
				if json.Unmarshal(v, &te) == nil {
					events = append(events, te)
				}
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: cats}}); err != nil {
		cancel()
		t.Fatal(err)
	}
	return func() []traceEvent {
		defer cancel()
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("the trace never completed")
		}
		mu.Lock()
		defer mu.Unlock()
		return events
	}
}

// threadTop sums each thread's complete events by name, as self time (see
// traceTop), for every thread with 5 ms or more: with V8's wasm categories
// it says where a cold load's compile work ran (lazy compiles on the
// worker's own thread, tier-ups on the background workers) and how long.
func threadTop(events []traceEvent, n int) string {
	type sum struct {
		name  string
		total float64
		self  map[string]float64
		count map[string]int
	}
	byThread, names := traceThreads(events)
	var sums []sum
	for th, xs := range byThread {
		self, count, total := selfTime(xs)
		if total >= 5 {
			sums = append(sums, sum{fmt.Sprintf("%s %d/%d", names[th], th.pid, th.tid), total, self, count})
		}
	}
	sort.Slice(sums, func(i, j int) bool { return sums[i].total > sums[j].total })
	var b strings.Builder
	for _, s := range sums {
		fmt.Fprintf(&b, "%s: %.1f ms in top-level events\n", s.name, s.total)
		for i, k := range byValue(s.self) {
			if i == n || s.self[k] < 1 {
				break
			}
			fmt.Fprintf(&b, "  %8.1f ms  %5dx  %s\n", s.self[k], s.count[k], k)
		}
	}
	return b.String()
}

// threadID names a thread of a trace.
type threadID struct{ pid, tid int }

// traceThreads groups a trace's complete events by thread, each thread's
// in time order with an enclosing event before those it contains, and
// names the threads.
func traceThreads(events []traceEvent) (map[threadID][]traceEvent, map[threadID]string) {
	byThread := map[threadID][]traceEvent{}
	names := map[threadID]string{}
	for _, e := range events {
		th := threadID{e.PID, e.TID}
		switch {
		case e.Ph == "M" && e.Name == "thread_name":
			names[th] = fmt.Sprint(e.Args["name"])
		case e.Ph == "X":
			byThread[th] = append(byThread[th], e)
		}
	}
	for _, xs := range byThread {
		sort.SliceStable(xs, func(i, j int) bool { return xs[i].TS < xs[j].TS || xs[i].TS == xs[j].TS && xs[i].Dur > xs[j].Dur })
	}
	return byThread, names
}

// selfTime sums one thread's events (in traceThreads' order) by name as
// self time, an event's duration less that of the events nested in it,
// in ms; with how many of each, and the duration of the top-level ones.
func selfTime(xs []traceEvent) (self map[string]float64, count map[string]int, total float64) {
	self, count = map[string]float64{}, map[string]int{}
	var stack []int
	for i, e := range xs {
		for len(stack) > 0 && xs[stack[len(stack)-1]].TS+xs[stack[len(stack)-1]].Dur <= e.TS {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			self[xs[stack[len(stack)-1]].Name] -= e.Dur / 1000
		} else {
			total += e.Dur / 1000
		}
		self[e.Name] += e.Dur / 1000
		count[e.Name]++
		stack = append(stack, i)
	}
	return self, count, total
}

// byValue returns m's keys, the largest value first.
func byValue(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	return keys
}

// lastCold is the cold-load layout of the last trace (traceCold).
var lastCold string

type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	TS   float64 `json:"ts"`
	Dur  float64 `json:"dur"`
	// TDur is the thread time (CPU) the event took, when the tracer records it.
	TDur float64        `json:"tdur"`
	PID  int            `json:"pid"`
	TID  int            `json:"tid"`
	Args map[string]any `json:"args"`
}

// traceTop sums the complete events of each renderer main thread by name,
// as self time (an event's duration less that of the events nested in it).
func traceTop(events []traceEvent, n int) string {
	byThread, names := traceThreads(events)
	var b strings.Builder
	for th, xs := range byThread {
		if names[th] != "CrRendererMain" || len(xs) < 10 {
			continue
		}
		self, _, _ := selfTime(xs)
		fmt.Fprintf(&b, "renderer main thread %d/%d, self time by event:\n", th.pid, th.tid)
		for i, k := range byValue(self) {
			if i == n {
				break
			}
			fmt.Fprintf(&b, "  %8.1f ms  %s\n", self[k], k)
		}
	}
	return b.String()
}

// traceKeystroke lays out the renderer's main thread from the k-th keydown
// on for 250 ms (see traceWindow).
func traceKeystroke(events []traceEvent, k int) string {
	var keydowns []traceEvent
	for _, e := range events {
		if e.Ph == "X" && e.Name == "EventDispatch" {
			if d, ok := e.Args["data"].(map[string]any); ok && d["type"] == "keydown" {
				keydowns = append(keydowns, e)
			}
		}
	}
	if len(keydowns) <= k {
		return fmt.Sprintf("only %d keydowns in the trace\n", len(keydowns))
	}
	kd := keydowns[k]
	return fmt.Sprintf("keydown %d, main thread from it:\n", k) + traceWindow(events, kd.PID, kd.TID, kd.TS, 250, 0.3)
}

// traceCold lays out the playground renderer's main thread from its
// navigation on (the fy-boot mark's thread), events of 2 ms or more.
func traceCold(events []traceEvent) string {
	for _, e := range events {
		if e.Name == "navigationStart" || e.Name == "fetchStart" {
			if d, ok := e.Args["data"].(map[string]any); ok && strings.Contains(fmt.Sprint(d["documentLoaderURL"]), "/playground/") {
				return "cold load, main thread from navigation start:\n" + traceWindow(events, e.PID, e.TID, e.TS, 3000, 2)
			}
		}
	}
	return "no navigationStart for /playground/ in the trace\n"
}

// traceWindow lists each event of the top four levels on thread pid/tid
// that took minMS or more, from t0 for spanMS, at its offset from t0,
// indented by depth.
func traceWindow(events []traceEvent, pid, tid int, t0, spanMS, minMS float64) string {
	var xs []traceEvent
	for _, e := range events {
		if (e.Ph == "X" || e.Ph == "R" || e.Ph == "I" || e.Ph == "n") && e.PID == pid && e.TID == tid && e.TS+e.Dur >= t0-5000 && e.TS <= t0+spanMS*1000 {
			xs = append(xs, e)
		}
	}
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].TS < xs[j].TS || xs[i].TS == xs[j].TS && xs[i].Dur > xs[j].Dur })
	var b strings.Builder
	var stack []traceEvent
	for _, e := range xs {
		if e.Ph != "X" {
			// Marks (user timing, paint milestones) at their time.
			if strings.HasPrefix(e.Name, "fy-") || strings.HasPrefix(e.Name, "first") {
				fmt.Fprintf(&b, "  %7.1f           * %s\n", (e.TS-t0)/1000, e.Name)
			}
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].TS+stack[len(stack)-1].Dur <= e.TS {
			stack = stack[:len(stack)-1]
		}
		depth := len(stack)
		stack = append(stack, e)
		if depth > 3 || e.Dur < minMS*1000 {
			continue
		}
		what := e.Name
		if d, ok := e.Args["data"].(map[string]any); ok {
			for _, f := range []string{"type", "functionName", "url", "lineNumber", "columnNumber", "elementCount"} {
				if v, ok := d[f]; ok && v != "" {
					s := fmt.Sprint(v)
					if i := strings.LastIndex(s, "/"); i >= 0 {
						s = s[i+1:]
					}
					what += " " + s
				}
			}
		}
		if d, ok := e.Args["beginData"].(map[string]any); ok && e.Name == "Layout" {
			what += fmt.Sprintf(" dirty %v of %v", d["dirtyObjects"], d["totalObjects"])
		}
		fmt.Fprintf(&b, "  %7.1f %6.1f ms %s%s\n", (e.TS-t0)/1000, e.Dur/1000, strings.Repeat("  ", depth), what)
	}
	return b.String()
}
