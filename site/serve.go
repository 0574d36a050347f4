package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// watchedDirs are polled for changes by Serve.
var watchedDirs = []string{"content", "static", "gen", "wasm", "site"}

// Serve builds the site into opts.Out, serves it on addr with the
// netlify.toml headers, and rebuilds when a file under content/, static/,
// gen/, wasm/ or site/ changes (polled every 500 ms: no dependencies, works on
// every file system). A failed rebuild is logged and the last good site stays
// up. It returns when ctx is done.
func Serve(ctx context.Context, addr string, opts Options) error {
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.Out == "" {
		opts.Out = "public"
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	st, err := BuildWithStats(opts)
	if err != nil {
		return err
	}
	logf("built: %s", st)
	n, err := LoadNetlify(filepath.Join(opts.Root, "netlify.toml"))
	if err != nil {
		return err
	}
	var h atomic.Value
	h.Store(NetlifyHandler(opts.Out, n))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.Load().(http.Handler).ServeHTTP(w, r) }),
		ReadHeaderTimeout: 10 * time.Second,
	}
	logf("serving http://%s/ (Ctrl-C to stop)", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	last := latestMtime(opts.Root)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			srv.Shutdown(shut)
			return nil
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case <-tick.C:
			m := latestMtime(opts.Root)
			if !m.After(last) {
				continue
			}
			last = m
			st, err := BuildWithStats(opts)
			if err != nil {
				logf("rebuild failed (still serving the previous build):\n%v", err)
				continue
			}
			if nn, err := LoadNetlify(filepath.Join(opts.Root, "netlify.toml")); err == nil {
				n = nn
			} else {
				logf("netlify.toml: %v (keeping the previous headers)", err)
			}
			h.Store(NetlifyHandler(opts.Out, n))
			logf("rebuilt: %s", st)
		}
	}
}

// latestMtime is the newest modification time of any file in the watched
// directories and of netlify.toml (node_modules is skipped: npm owns it).
func latestMtime(root string) time.Time {
	var latest time.Time
	see := func(t time.Time) {
		if t.After(latest) {
			latest = t
		}
	}
	if st, err := os.Stat(filepath.Join(root, "netlify.toml")); err == nil {
		see(st.ModTime())
	}
	for _, d := range watchedDirs {
		filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if e.IsDir() && e.Name() == "node_modules" {
				return filepath.SkipDir
			}
			if info, err := e.Info(); err == nil {
				see(info.ModTime())
			}
			return nil
		})
	}
	return latest
}
