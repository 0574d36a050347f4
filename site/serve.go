package site

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Serve builds the site into opts.Out, serves it on addr with the
// netlify.toml headers, and rebuilds when a file under content/, static/,
// gen/, wasm/ or site/ (or netlify.toml, go.mod, go.sum) changes. It waits
// for file-system events (fsnotify), so it does no work while nothing
// changes; only where events are unavailable does it poll. A rebuild redoes
// only what the change touches (a content edit reuses the esbuild bundle and
// the wasm module), and open pages reload themselves after it through a
// same-origin event stream that exists in serve only. A failed rebuild is
// logged and shown on the open pages while the last good site stays up. It
// returns when ctx is done.
func Serve(ctx context.Context, addr string, opts Options) error {
	return newSession(opts).run(ctx, func() (net.Listener, error) { return net.Listen("tcp", addr) })
}

// session is one run of Serve.
type session struct {
	opts Options // Root absolute
	out  string  // absolute Out, which the watcher ignores
	logf func(string, ...any)
	inc  *incremental
	hub  *hub

	site    atomic.Value // http.Handler for the current build
	netlify atomic.Pointer[Netlify]

	// Observed by tests: the watcher (tree walks), how many builds and asset
	// steps ran, and the address once serving.
	w                      *watcher
	builds, bundles, wasms atomic.Int64
	ready                  chan struct{}
	addr                   string
}

func newSession(opts Options) *session {
	logw := opts.Log
	s := &session{
		inc:   newIncremental(opts),
		ready: make(chan struct{}),
		logf: func(format string, args ...any) {
			if logw != nil {
				fmt.Fprintf(logw, format+"\n", args...)
			}
		},
	}
	s.opts = s.inc.opts
	s.out = s.opts.Out
	if abs, err := filepath.Abs(s.out); err == nil {
		s.out = abs
	}
	// Tells a page reconnecting after a restart that it must reload.
	s.hub = newHub(strconv.FormatInt(time.Now().UnixNano(), 36))
	return s
}

func (s *session) run(ctx context.Context, listen func() (net.Listener, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Watch before the first build, so an edit made while it runs is seen.
	s.w = startWatcher(ctx, s.opts.Root, s.out, s.logf)
	defer func() {
		cancel()
		<-s.w.done
	}()

	st, err := s.build(everything)
	if err != nil {
		return err
	}
	s.logf("built: %s", st)
	n, err := LoadNetlify(filepath.Join(s.opts.Root, "netlify.toml"))
	if err != nil {
		return err
	}
	s.netlify.Store(n)
	s.site.Store(NetlifyHandler(s.opts.Out, n))

	ln, err := listen()
	if err != nil {
		return err
	}
	srv := httpServer(devHandler(
		func() http.Handler { return s.site.Load().(http.Handler) },
		s.netlify.Load, s.hub))
	s.addr = ln.Addr().String()
	s.logf("serving http://%s/ (Ctrl-C to stop; open pages reload after each rebuild)", s.addr)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	close(s.ready)

	for {
		select {
		case <-ctx.Done():
			// End the event streams first: Shutdown waits for active
			// connections, and a stream never goes idle by itself.
			s.hub.close()
			shut, cancelShut := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancelShut()
			srv.Shutdown(shut)
			return nil
		case err := <-errc:
			s.hub.close()
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case batch := <-s.w.batches:
			s.apply(batch)
		}
	}
}

// httpServer is the server serve runs h in.
func httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// net/http answers "OPTIONS *" itself unless this is set, without
		// the netlify.toml headers; h answers it instead, like any request.
		DisableGeneralOptionsHandler: true,
	}
}

func (s *session) build(p parts) (BuildStats, error) {
	st, err := s.inc.build(p)
	s.builds.Store(int64(s.inc.builds))
	s.bundles.Store(int64(s.inc.bundles))
	s.wasms.Store(int64(s.inc.wasms))
	return st, err
}

// apply acts on one debounced batch of changed paths.
func (s *session) apply(batch []string) {
	p := classify(s.opts.Root, batch)
	what := s.describe(batch)
	if len(p.server) > 0 {
		// Decision: say so rather than re-exec. `go run` runs a binary
		// built into a temporary directory, so re-executing it would
		// restart the same old code; rebuilding the server ourselves would
		// hide its compile errors in this log. The wasm is rebuilt anyway.
		msg := "fleetyard serve: " + strings.Join(p.server, ", ") + " changed, which is compiled into this serve process: " +
			"pages are still built by the code it started with (live examples by the old gen); restart fleetyard serve to use the new code"
		if p.wasm {
			msg += " (the playground's wasm module is recompiled now)"
		}
		s.logf("%s", msg)
		s.hub.publish(sseEvent{"stale", msg})
	}
	n := s.netlify.Load()
	var headerErr error
	if p.netlify {
		if nn, err := LoadNetlify(filepath.Join(s.opts.Root, "netlify.toml")); err != nil {
			// Keep the old headers but still rebuild what else changed.
			headerErr = err
			s.logf("netlify.toml: %v (keeping the previous headers; fix the file to apply it)", err)
		} else {
			n = nn
			s.netlify.Store(n)
		}
	}
	if p.build() {
		st, err := s.build(p)
		if err != nil {
			s.logf("rebuild after %s failed (still serving the previous build):\n%v", what, err)
			s.hub.publish(sseEvent{"failed", err.Error()})
			return
		}
		s.logf("rebuilt %s after %s: %s", p, what, st)
	} else if !p.netlify {
		return // nothing the site is made of (a test file, say)
	}
	s.site.Store(NetlifyHandler(s.opts.Out, n))
	if headerErr != nil {
		s.hub.publish(sseEvent{"failed", headerErr.Error()})
		return
	}
	s.hub.publish(sseEvent{"reload", ""})
}

// describe names a batch for the log: its first path and how many more.
func (s *session) describe(batch []string) string {
	if len(batch) == 0 {
		return "no change"
	}
	first := batch[0]
	if rel, err := filepath.Rel(s.opts.Root, first); err == nil && first != rescanAll {
		first = filepath.ToSlash(rel)
	}
	if len(batch) > 1 {
		return fmt.Sprintf("%s and %d more", first, len(batch)-1)
	}
	return first
}
