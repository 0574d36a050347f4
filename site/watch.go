package site

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchedDirs are the source trees serve watches (recursively), besides the
// files directly in the root (netlify.toml, go.mod, go.sum).
var watchedDirs = []string{"content", "static", "gen", "wasm", "site"}

// Watch tuning. debounce is how long the trees must be quiet before a batch
// of changes is acted on: an editor save is several events (write a temp
// file, rename it over the old one, chmod), and `git checkout` is hundreds.
// pollInterval only applies when file-system events are unavailable.
var (
	debounce     = 100 * time.Millisecond
	pollInterval = time.Second
)

// newFSWatcher is fsnotify.NewWatcher; tests replace it to force the polling
// fallback.
var newFSWatcher = fsnotify.NewWatcher

// rescanAll is a pseudo path in a batch meaning "anything may have changed"
// (the kernel dropped events); it makes serve rebuild everything.
const rescanAll = "*"

// watcher reports debounced batches of changed paths (absolute) under the
// watched trees of root. It uses file-system events, or walks the trees
// every pollInterval when events are unavailable.
type watcher struct {
	root, out string
	logf      func(string, ...any)
	batches   chan []string
	done      chan struct{} // closed when the watcher has stopped
	walks     atomic.Int64  // tree walks so far (the idle test counts them)
	polling   atomic.Bool
}

// startWatcher sets up the watches before it returns, so a change made right
// after (for example during the first build) is not missed. It stops, and
// releases its watches, when ctx is done.
func startWatcher(ctx context.Context, root, out string, logf func(string, ...any)) *watcher {
	w := &watcher{root: root, out: out, logf: logf, batches: make(chan []string), done: make(chan struct{})}
	fw, err := newFSWatcher()
	if err == nil {
		err = w.addTrees(fw)
		if err != nil {
			fw.Close()
		}
	}
	if err != nil {
		hint := ""
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
			hint = " (raise fs.inotify.max_user_watches / max_user_instances with sysctl to get events back)"
		}
		logf("file-system events are unavailable: %v%s; polling the source trees every %s instead", err, hint, pollInterval)
		w.polling.Store(true)
		go w.poll(ctx)
		return w
	}
	go w.events(ctx, fw)
	return w
}

// addTrees watches the root (for its own files) and every directory of the
// watched trees: fsnotify watches single directories, not trees.
func (w *watcher) addTrees(fw *fsnotify.Watcher) error {
	if err := fw.Add(w.root); err != nil {
		return err
	}
	for _, d := range watchedDirs {
		if err := w.addTree(fw, filepath.Join(w.root, d), nil); err != nil {
			return err
		}
	}
	return nil
}

// addTree watches dir and the directories below it. found, when not nil,
// gets the files already inside: in a directory that was just created
// (unpacked, checked out, moved in) they appeared before its watch did.
func (w *watcher) addTree(fw *fsnotify.Watcher, dir string, found func(string)) error {
	w.walks.Add(1)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipAll // a tree that does not exist (yet)
			}
			return nil // vanished or unreadable below: nothing to watch
		}
		if p != dir && w.ignored(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if found != nil {
				found(p)
			}
			return nil
		}
		return fw.Add(p)
	})
	return err
}

// ignored reports paths whose changes never matter: editor temp and backup
// files, VCS and tool directories, npm's node_modules, and the output.
func (w *watcher) ignored(p string) bool {
	if p == w.out || strings.HasPrefix(p, w.out+string(filepath.Separator)) ||
		p == w.out+".tmp-build" || strings.HasPrefix(p, w.out+".tmp-build"+string(filepath.Separator)) {
		return true
	}
	return ignoredName(filepath.Base(p))
}

func ignoredName(name string) bool {
	switch {
	case name == "node_modules", name == "4913": // 4913: vim's can-I-write probe
		return true
	case strings.HasPrefix(name, "."): // .git, .#lock, .foo.swp, .DS_Store
		return true
	case strings.HasSuffix(name, "~"), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".tmp"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// events turns fsnotify events into debounced batches.
func (w *watcher) events(ctx context.Context, fw *fsnotify.Watcher) {
	defer close(w.done)
	defer fw.Close()
	timer := time.NewTimer(debounce)
	timer.Stop()
	pending := map[string]bool{}
	ready := false
	for {
		var send chan []string
		if ready {
			send = w.batches
		}
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			// A chmod alone changes no content (Spotlight, virus scanners
			// and editors' touch-ups send them).
			if ev.Op == fsnotify.Chmod || w.ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() && w.under(ev.Name) {
					found := func(p string) { pending[p] = true }
					if err := w.addTree(fw, ev.Name, found); err != nil {
						w.logf("watching new directory %s: %v (changes inside it may be missed)", ev.Name, err)
					}
				}
			}
			pending[ev.Name] = true
			ready = false
			timer.Reset(debounce)
		case err, ok := <-fw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.logf("the kernel dropped file events; rebuilding everything")
				pending[rescanAll] = true
				timer.Reset(debounce)
				continue
			}
			w.logf("watching files: %v", err)
		case <-timer.C:
			ready = len(pending) > 0
		case send <- slices.Sorted(maps.Keys(pending)):
			pending = map[string]bool{}
			ready = false
		}
	}
}

// under reports whether p is inside one of the watched trees (a new
// directory directly in the root, such as the output, is not watched).
func (w *watcher) under(p string) bool {
	rel, err := filepath.Rel(w.root, p)
	if err != nil {
		return false
	}
	top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	for _, d := range watchedDirs {
		if top == d {
			return true
		}
	}
	return false
}

// stamp is what polling compares to notice a change.
type stamp struct {
	mtime time.Time
	size  int64
}

// poll is the fallback: walk the trees every pollInterval and report the
// files whose size or mtime changed, appeared or disappeared.
func (w *watcher) poll(ctx context.Context) {
	defer close(w.done)
	last := w.snapshot()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cur := w.snapshot()
		var changed []string
		for p, s := range cur {
			if old, ok := last[p]; !ok || old != s {
				changed = append(changed, p)
			}
		}
		for p := range last {
			if _, ok := cur[p]; !ok {
				changed = append(changed, p)
			}
		}
		last = cur
		if len(changed) == 0 {
			continue
		}
		sort.Strings(changed)
		select {
		case w.batches <- changed:
		case <-ctx.Done():
			return
		}
	}
}

func (w *watcher) snapshot() map[string]stamp {
	w.walks.Add(1)
	snap := map[string]stamp{}
	see := func(p string) {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			snap[p] = stamp{st.ModTime(), st.Size()}
		}
	}
	for _, f := range []string{"netlify.toml", "go.mod", "go.sum"} {
		see(filepath.Join(w.root, f))
	}
	for _, d := range watchedDirs {
		filepath.WalkDir(filepath.Join(w.root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if w.ignored(p) {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !e.IsDir() {
				if info, err := e.Info(); err == nil {
					snap[p] = stamp{info.ModTime(), info.Size()}
				}
			}
			return nil
		})
	}
	return snap
}

// classify maps changed paths to the parts of the site they invalidate.
func classify(root string, paths []string) parts {
	var p parts
	for _, abs := range paths {
		if abs == rescanAll {
			q := everything
			q.layouts = true
			q.server = p.server
			p = q
			continue
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		top, rest, _ := strings.Cut(rel, "/")
		goSrc := strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go")
		switch {
		case rel == "netlify.toml":
			p.netlify = true
		case rel == "go.mod" || rel == "go.sum":
			p.wasm = true
			p.server = append(p.server, rel)
		case top == "content":
			p.pages = true
		case top == "static":
			switch {
			case rest == "playground.html":
				p.pages = true
			case strings.HasSuffix(rel, ".go"): // static/tsc_test.go: a test, not the site
			default:
				p.assets = true
			}
		case top == "site" && strings.HasPrefix(rest, "layouts/"):
			p.layouts = true
		case top == "site" && goSrc:
			p.server = append(p.server, rel)
		case top == "gen" && goSrc:
			// The wasm and this process both contain gen: the wasm is
			// recompiled, the examples rendered here need a restart.
			p.wasm = true
			p.server = append(p.server, rel)
		case top == "wasm" && goSrc:
			p.wasm = true
		case (top == "gen" || top == "wasm") && !strings.Contains(rest, ".") && !strings.HasSuffix(rel, "_test.go"):
			// A directory (new package, deleted package): it may hold or
			// have held Go files.
			p.wasm = true
		}
	}
	return p
}
