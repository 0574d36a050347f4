package site

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// TestServeRebuildsOnChange runs Serve over a tiny site (no front end, no
// wasm), checks the production headers, edits a page and waits for the
// served HTML to change, then stops it through the context.
func TestServeRebuildsOnChange(t *testing.T) {
	root := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	toml, err := os.ReadFile(filepath.Join("..", "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write("netlify.toml", string(toml))
	css, err := os.ReadFile(filepath.Join("..", "static", "css", "site.css"))
	if err != nil {
		t.Fatal(err)
	}
	write("static/css/site.css", string(css))
	write("static/css/playground.css", ".fy-pg{margin:0}\n")
	// The real content (pages link to each other), with a marker added to
	// the overview page.
	filepath.WalkDir(filepath.Join("..", "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel("..", p)
			b, _ := os.ReadFile(p)
			write(rel, string(b))
		}
		return nil
	})
	for _, rel := range []string{"static/playground.html"} {
		b, err := os.ReadFile(filepath.Join("..", rel))
		if err != nil {
			t.Fatal(err)
		}
		write(rel, string(b))
	}
	index, _ := os.ReadFile(filepath.Join(root, "content", "index.md"))
	write("content/index.md", string(index)+"\nFirst version.\n")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, addr, Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true, Log: io.Discard})
	}()

	get := func() (string, http.Header) {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			return "", nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), resp.Header
	}
	waitFor := func(what string) string {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if body, _ := get(); strings.Contains(body, what) {
				return body
			}
			select {
			case err := <-done:
				t.Fatalf("Serve returned early: %v", err)
			case <-time.After(100 * time.Millisecond):
			}
		}
		t.Fatalf("the served page never contained %q", what)
		return ""
	}
	waitFor("First version.")
	if _, h := get(); !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("served without the netlify.toml CSP: %q", h.Get("Content-Security-Policy"))
	}
	// Mtimes can be coarse; make sure the edit is seen as newer.
	time.Sleep(1100 * time.Millisecond)
	write("content/index.md", string(index)+"\nSecond version.\n")
	waitFor("Second version.")

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop after its context was cancelled")
	}
}

// serveRoot is miniRoot plus what serve needs (netlify.toml), with a page
// holding a live example so gen runs on every page build.
func serveRoot(t *testing.T) string {
	t.Helper()
	root := miniRoot(t, "---\ntitle: P\n---\nFirst version.\n\n```fleet example=minimal show=flake.nix\n```\n")
	toml, err := os.ReadFile(filepath.Join("..", "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, "netlify.toml", string(toml))
	return root
}

func writeFile(t testing.TB, root, rel, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readTree returns every file under dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestClassify(t *testing.T) {
	root := filepath.FromSlash("/repo")
	tests := []struct {
		path string
		want parts
	}{
		{"content/docs/cli.md", parts{pages: true}},
		{"content/examples/seed.json", parts{pages: true}},
		{"content/newdir", parts{pages: true}},
		{"static/playground.html", parts{pages: true}},
		{"static/css/site.css", parts{assets: true}},
		{"static/ts/playground.ts", parts{assets: true}},
		{"static/package-lock.json", parts{assets: true}},
		{"static/tsc_test.go", parts{}},
		{"site/layouts/base.html", parts{layouts: true}},
		{"site/layouts/_markup/render-heading.html", parts{layouts: true}},
		{"site/layouts/partials/code-plain.html", parts{layouts: true}},
		{"site/pages.go", parts{server: []string{"site/pages.go"}}},
		{"site/site_test.go", parts{}},
		{"gen/emit.go", parts{wasm: true, server: []string{"gen/emit.go"}}},
		{"gen/emit_test.go", parts{}},
		{"gen/sops", parts{wasm: true}},
		{"wasm/main.go", parts{wasm: true}},
		{"go.mod", parts{wasm: true, server: []string{"go.mod"}}},
		{"netlify.toml", parts{netlify: true}},
		{"README.md", parts{}},
		{"fleetyard", parts{}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got := classify(root, []string{filepath.Join(root, filepath.FromSlash(tc.path))})
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || strings.Join(got.server, ",") != strings.Join(tc.want.server, ",") {
				t.Errorf("classify(%s) = %+v, want %+v", tc.path, got, tc.want)
			}
		})
	}
	if got := classify(root, []string{rescanAll}); !got.assets || !got.wasm || !got.pages || !got.netlify || !got.layouts {
		t.Errorf("a lost event queue must rebuild everything, got %+v", got)
	}
}

func TestIgnoredName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"cli.md", false},
		{"site.css", false},
		{"cli.md~", true},
		{".cli.md.swp", true},
		{"cli.md.swp", true},
		{"4913", true},
		{"#cli.md#", true},
		{".#cli.md", true},
		{".git", true},
		{"node_modules", true},
		{"cli.md___jb_tmp___", true},
	}
	for _, tc := range tests {
		if got := ignoredName(tc.name); got != tc.want {
			t.Errorf("ignoredName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestIncrementalMatchesFullBuild edits one input at a time and checks that
// the incremental rebuild writes exactly what a full build of the same
// inputs writes, while redoing only the steps the edit touches. The root is
// a tiny Go module with a wasm/ package, so the wasm step really compiles.
func TestIncrementalMatchesFullBuild(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	root := serveRoot(t)
	writeFile(t, root, "go.mod", "module example.com/tiny\n\ngo 1.22\n")
	writeFile(t, root, "wasm/main.go", "package main\n\nfunc main() { println(\"v1\") }\n")
	opts := Options{Root: root, Out: filepath.Join(root, "inc"), NoNPM: true}
	inc := newIncremental(opts)
	if _, err := inc.build(everything); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, body      string
		wantBundles, wantWasm int // steps the rebuild may run
	}{
		{"content edit", "content/docs/page.md", "---\ntitle: P\n---\nSecond version.\n\n```fleet example=minimal show=flake.nix\n```\n", 0, 0},
		{"new page", "content/docs/new.md", "---\ntitle: New\n---\nNew page.\n", 0, 0},
		{"css edit", "static/css/site.css", "body{margin:1px}\n", 1, 0},
		{"wasm edit", "wasm/main.go", "package main\n\nfunc main() { println(\"v2\") }\n", 0, 1},
		{"playground page", "static/playground.html", "<div>playground</div>\n", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			writeFile(t, root, tc.path, tc.body)
			bundles, wasms := inc.bundles, inc.wasms
			p := classify(root, []string{filepath.Join(root, filepath.FromSlash(tc.path))})
			if _, err := inc.build(p); err != nil {
				t.Fatal(err)
			}
			if got := inc.bundles - bundles; got != tc.wantBundles {
				t.Errorf("esbuild ran %d times, want %d", got, tc.wantBundles)
			}
			if got := inc.wasms - wasms; got != tc.wantWasm {
				t.Errorf("the wasm step ran %d times, want %d", got, tc.wantWasm)
			}
			full := opts
			full.Out = filepath.Join(root, "full")
			if _, err := BuildWithStats(full); err != nil {
				t.Fatal(err)
			}
			got, want := readTree(t, opts.Out), readTree(t, full.Out)
			if len(want) == 0 {
				t.Fatal("the full build wrote nothing")
			}
			for name, data := range want {
				if !bytes.Equal(got[name], data) {
					t.Errorf("%s differs from the full build", name)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s is not in the full build", name)
				}
			}
			if _, ok := want["docs/page/index.html"]; !ok {
				t.Error("the page is missing")
			}
		})
	}
	wasm := 0
	for name := range readTree(t, opts.Out) {
		if strings.HasSuffix(name, ".wasm") {
			wasm++
		}
	}
	// One of each module (site.wasmModules): no stale module is left.
	if wasm != len(wasmModules) {
		t.Errorf("%d wasm modules in the output, want %d", wasm, len(wasmModules))
	}
}

// session runs a serve session over root in the background and returns it
// once it serves; the session stops when the test ends.
func startSession(t *testing.T, opts Options) (*session, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.run(ctx, func() (net.Listener, error) { return ln, nil }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not stop after its context was cancelled")
		}
	})
	select {
	case <-s.ready:
	case err := <-done:
		ln.Close()
		t.Fatalf("Serve returned before serving: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("Serve did not start serving")
	}
	return s, done
}

// eventStream reads server-sent events from a live-reload stream.
func eventStream(t *testing.T, s *session) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+s.addr+eventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("event stream served as %q", ct)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp == "" {
		t.Error("the event stream is served without the netlify.toml CSP")
	}
	events := make(chan sseEvent, 16)
	go func() {
		defer resp.Body.Close()
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				ev.data = strings.Join(data, "\n")
				events <- ev
				ev, data = sseEvent{}, nil
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			}
		}
	}()
	return events
}

func nextEvent(t *testing.T, events <-chan sseEvent, name string) sseEvent {
	t.Helper()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the event stream ended before a %q event", name)
			}
			if ev.name == name {
				return ev
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no %q event", name)
		}
	}
}

func getBody(t *testing.T, url string) (string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), resp.Header
}

// TestServeLiveReload edits content while a client listens on the event
// stream: it gets "reload" once the new page is served, and neither the
// bundle nor the wasm step ran again. A broken page gets "failed" with the
// error while the last good page stays up.
func TestServeLiveReload(t *testing.T) {
	root := serveRoot(t)
	s, _ := startSession(t, Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true, Log: io.Discard})
	page := "http://" + s.addr + "/docs/page/"
	body, _ := getBody(t, page)
	if !strings.Contains(body, "First version.") || !strings.Contains(body, reloadTag) {
		t.Fatalf("the served page lacks its text or the reload script:\n%s", body)
	}
	js, h := getBody(t, "http://"+s.addr+reloadJSPath)
	if !strings.Contains(js, eventsPath) || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Errorf("reload.js: %q, Content-Type %q", js, h.Get("Content-Type"))
	}
	events := eventStream(t, s)
	if ev := nextEvent(t, events, "hello"); ev.data != s.hub.id {
		t.Errorf("hello carries %q, want the session id %q", ev.data, s.hub.id)
	}
	bundles, wasms := s.bundles.Load(), s.wasms.Load()

	writeFile(t, root, "content/docs/page.md", "---\ntitle: P\n---\nSecond version.\n")
	nextEvent(t, events, "reload")
	if body, _ := getBody(t, page); !strings.Contains(body, "Second version.") {
		t.Errorf("after the reload event the page is still old:\n%s", body)
	}
	if s.bundles.Load() != bundles || s.wasms.Load() != wasms {
		t.Errorf("a content edit re-ran esbuild %d and the wasm step %d times, want 0",
			s.bundles.Load()-bundles, s.wasms.Load()-wasms)
	}

	writeFile(t, root, "content/docs/page.md", "---\ntitle: P\n---\nSee [x](/docs/nope/).\n")
	if ev := nextEvent(t, events, "failed"); !strings.Contains(ev.data, "/docs/nope/") {
		t.Errorf("the failure event does not carry the error: %q", ev.data)
	}
	if body, _ := getBody(t, page); !strings.Contains(body, "Second version.") {
		t.Error("a failed rebuild took down the last good page")
	}
	// A page opened now learns about the failure at once.
	if ev := nextEvent(t, eventStream(t, s), "failed"); !strings.Contains(ev.data, "/docs/nope/") {
		t.Errorf("a new stream does not replay the failure: %q", ev.data)
	}

	writeFile(t, root, "content/docs/page.md", "---\ntitle: P\n---\nThird version.\n")
	nextEvent(t, events, "reload")
	if body, _ := getBody(t, page); !strings.Contains(body, "Third version.") {
		t.Error("the fixed page is not served")
	}
}

// TestServeGoEditSaysRestart: an edit to Go code compiled into the serve
// process (gen/) recompiles the wasm and tells the pages that examples are
// stale until a restart.
func TestServeGoEditSaysRestart(t *testing.T) {
	root := serveRoot(t)
	var log syncBuffer
	s, _ := startSession(t, Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true, Log: &log})
	events := eventStream(t, s)
	nextEvent(t, events, "hello")
	wasms := s.wasms.Load()
	writeFile(t, root, "gen/extra.go", "package gen\n")
	if ev := nextEvent(t, events, "stale"); !strings.Contains(ev.data, "gen/extra.go") || !strings.Contains(ev.data, "restart") {
		t.Errorf("stale event: %q", ev.data)
	}
	nextEvent(t, events, "reload")
	if s.wasms.Load() != wasms+1 {
		t.Errorf("the wasm step ran %d times after a gen edit, want 1", s.wasms.Load()-wasms)
	}
	if !strings.Contains(log.String(), "restart fleetyard serve") {
		t.Errorf("the log does not say to restart:\n%s", log.String())
	}
}

// syncBuffer is a log the serve goroutine writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProductionHasNoLiveReload: the live-reload script and endpoint exist
// only in what serve sends. The production build (the real site), and even
// the directory serve builds into, carry no trace of them; the served page
// does, which shows the needles would be found.
func TestProductionHasNoLiveReload(t *testing.T) {
	// The docs may name the endpoint in prose; what must never ship is the
	// tag, the script's code, or the endpoint as a URL it opens.
	needles := []string{reloadTag, `src="` + devPrefix, `"` + eventsPath + `"`, "EventSource", "fy-dev-error"}
	check := func(what string, files map[string][]byte) {
		if len(files) == 0 {
			t.Fatalf("%s: no files", what)
		}
		for name, data := range files {
			for _, n := range needles {
				if bytes.Contains(data, []byte(n)) {
					t.Errorf("%s: %s contains %q", what, name, n)
				}
			}
		}
	}
	check("fleetyard build", readTree(t, built(t)))

	root := serveRoot(t)
	out := filepath.Join(root, "public")
	s, _ := startSession(t, Options{Root: root, Out: out, NoWasm: true, NoNPM: true})
	body, _ := getBody(t, "http://"+s.addr+"/")
	for _, n := range []string{reloadTag} {
		if !strings.Contains(body, n) {
			t.Errorf("the page serve sends lacks %q", n)
		}
	}
	check("serve's output directory", readTree(t, out))
}

// TestCSPAllowsLiveReload: the production CSP from netlify.toml already
// allows a same-origin script file and a same-origin event stream, so serve
// needs no CSP of its own.
func TestCSPAllowsLiveReload(t *testing.T) {
	n, err := LoadNetlify(filepath.Join("..", "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	csp := n.HeadersFor("/docs/cli/").Get("Content-Security-Policy")
	if csp == "" {
		t.Fatal("netlify.toml sets no CSP")
	}
	dirs := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			dirs[f[0]] = f[1:]
		}
	}
	for _, need := range []string{"script-src", "connect-src"} {
		srcs, ok := dirs[need]
		if !ok {
			srcs = dirs["default-src"]
		}
		if !slices.Contains(srcs, "'self'") {
			t.Errorf("%s does not allow 'self' (%v): the live-reload %s would be blocked", need, srcs, need)
		}
		if slices.Contains(srcs, "'unsafe-inline'") && need == "script-src" {
			t.Error("script-src allows inline scripts; the reload script does not need that")
		}
	}
}

// TestServeIdle: with nothing changing, serve neither builds nor walks the
// trees (events mode); the polling fallback, forced here, does walk them,
// which shows the counter can see a walk. Both modes still rebuild on an
// edit.
func TestServeIdle(t *testing.T) {
	tests := []struct {
		name      string
		noEvents  bool
		wantWalks bool // tree walks while idle
	}{
		{"file-system events", false, false},
		{"polling fallback", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.noEvents {
				old, oldPoll := newFSWatcher, pollInterval
				newFSWatcher = func() (*fsnotify.Watcher, error) { return nil, errors.New("no inotify here (test)") }
				pollInterval = 100 * time.Millisecond
				t.Cleanup(func() { newFSWatcher, pollInterval = old, oldPoll })
			}
			root := serveRoot(t)
			var log syncBuffer
			s, _ := startSession(t, Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true, Log: &log})
			if got := strings.Contains(log.String(), "polling"); got != tc.noEvents {
				t.Errorf("log mentions polling: %v, want %v:\n%s", got, tc.noEvents, log.String())
			}
			walks, builds := s.w.walks.Load(), s.builds.Load()
			// An idle period to count in, not a timing assertion.
			time.Sleep(time.Second)
			idleWalks, idleBuilds := s.w.walks.Load()-walks, s.builds.Load()-builds
			t.Logf("idle for 1s: %d tree walks, %d builds", idleWalks, idleBuilds)
			if idleBuilds != 0 {
				t.Errorf("%d builds while nothing changed", idleBuilds)
			}
			if (idleWalks > 0) != tc.wantWalks {
				t.Errorf("%d tree walks while nothing changed (want some: %v)", idleWalks, tc.wantWalks)
			}
			events := eventStream(t, s)
			writeFile(t, root, "content/docs/page.md", "---\ntitle: P\n---\nEdited.\n")
			nextEvent(t, events, "reload")
		})
	}
}

// BenchmarkServeIdleCPU prints the CPU time this process uses while serve
// idles over the real repository for 5 s, with file-system events and with
// the polling fallback (what serve always did before). It measures and
// prints; it asserts nothing. Run it with
//
//	go test ./site -run '^$' -bench ServeIdleCPU -benchtime 1x
func BenchmarkServeIdleCPU(b *testing.B) {
	for _, mode := range []string{"events", "polling-500ms"} {
		b.Run(mode, func(b *testing.B) {
			if mode != "events" {
				old, oldPoll := newFSWatcher, pollInterval
				newFSWatcher = func() (*fsnotify.Watcher, error) { return nil, errors.New("polling measured on purpose") }
				pollInterval = 500 * time.Millisecond
				b.Cleanup(func() { newFSWatcher, pollInterval = old, oldPoll })
			}
			for i := 0; i < b.N; i++ {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					b.Fatal(err)
				}
				s := newSession(Options{Root: "..", Out: filepath.Join(b.TempDir(), "public"), NoWasm: true, NoNPM: true})
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- s.run(ctx, func() (net.Listener, error) { return ln, nil }) }()
				select {
				case <-s.ready:
				case err := <-done:
					b.Fatal(err)
				}
				runtime.GC()
				before := cpuTime()
				walks := s.w.walks.Load()
				time.Sleep(5 * time.Second)
				used := cpuTime() - before
				idleWalks := s.w.walks.Load() - walks
				cancel()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: %v CPU over 5 s idle (%.2f %% of a core), %d tree walks", mode, used.Round(time.Millisecond), 100*used.Seconds()/5, idleWalks)
				b.ReportMetric(float64(used.Milliseconds()), "cpu-ms/5s-idle")
			}
		})
	}
}

// cpuTime is the user+system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestHubReplay: a stream opened later learns the current failure and the
// stale-code notice, and a good build clears only the failure.
func TestHubReplay(t *testing.T) {
	tests := []struct {
		name      string
		published []string
		want      string // names replayed after hello
	}{
		{"nothing", nil, ""},
		{"reload only", []string{"reload"}, ""},
		{"failure", []string{"failed"}, "failed"},
		{"failure fixed", []string{"failed", "reload"}, ""},
		{"two failures", []string{"failed", "failed"}, "failed"},
		{"stale survives reload", []string{"stale", "reload"}, "stale"},
		{"stale and failure", []string{"stale", "failed"}, "stale failed"},
		{"failure then stale twice", []string{"failed", "stale", "stale"}, "failed stale"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHub("id")
			for _, name := range tc.published {
				h.publish(sseEvent{name, name + " data"})
			}
			var got []string
			for _, ev := range h.state {
				got = append(got, ev.name)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("replayed %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// TestServeLayoutEdit: a layout edit shows without a restart (serve reads
// site/layouts from disk when one changes) and reuses the asset steps.
func TestServeLayoutEdit(t *testing.T) {
	compiled := layouts
	t.Cleanup(func() { layouts = compiled }) // runs after the session stops
	root := serveRoot(t)
	base, err := os.ReadFile(filepath.Join("layouts", "base.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The whole tree: serve re-reads every layout, render hooks and
	// partials included, when one changes.
	for name, data := range readTree(t, "layouts") {
		writeFile(t, root, "site/layouts/"+name, string(data))
	}
	s, _ := startSession(t, Options{Root: root, Out: filepath.Join(root, "public"), NoWasm: true, NoNPM: true, Log: io.Discard})
	events := eventStream(t, s)
	nextEvent(t, events, "hello")
	bundles, wasms := s.bundles.Load(), s.wasms.Load()
	edited := strings.Replace(string(base), "</body>", "<p>layout marker</p></body>", 1)
	if edited == string(base) {
		t.Fatal("base.html has no </body> to edit before")
	}
	writeFile(t, root, "site/layouts/base.html", edited)
	nextEvent(t, events, "reload")
	if body, _ := getBody(t, "http://"+s.addr+"/docs/page/"); !strings.Contains(body, "layout marker") {
		t.Error("the layout edit is not served")
	}
	if s.bundles.Load() != bundles || s.wasms.Load() != wasms {
		t.Error("a layout edit re-ran an asset step")
	}

	// A render hook in a subfolder (the page's live example) reloads too.
	hook, err := os.ReadFile(filepath.Join("layouts", "_markup", "render-codeblock-fleet.html"))
	if err != nil {
		t.Fatal(err)
	}
	editedHook := strings.Replace(string(hook), "Live example", "Live hook marker", 1)
	if editedHook == string(hook) {
		t.Fatal("render-codeblock-fleet.html has no \"Live example\" to edit")
	}
	writeFile(t, root, "site/layouts/_markup/render-codeblock-fleet.html", editedHook)
	nextEvent(t, events, "reload")
	if body, _ := getBody(t, "http://"+s.addr+"/docs/page/"); !strings.Contains(body, "Live hook marker") {
		t.Error("the render hook edit is not served")
	}
}
