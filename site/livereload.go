package site

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Live reload exists only in `fleetyard serve`: the dev handler adds the
// script tag to HTML as it is served and answers the two paths below from
// memory. Nothing of it is ever written to the output directory, so
// `fleetyard build` and Netlify never see it (TestProductionHasNoLiveReload).
// The script is a same-origin file rather than inline code because the
// netlify.toml CSP (script-src 'self') forbids inline scripts, and the event
// stream is same-origin, which connect-src 'self' already allows: the
// production CSP needs no dev exception.
const (
	devPrefix    = "/_fleetyard/"
	eventsPath   = devPrefix + "events"
	reloadJSPath = devPrefix + "reload.js"
	reloadTag    = `<script src="` + reloadJSPath + `"></script>`
)

// reloadJS reloads the page after each successful rebuild ("reload"), shows
// a failed build over the page ("failed"), shows that serve runs stale Go
// code ("stale"), and reloads when it reconnects to a restarted serve (the
// "hello" id changes). The text is set with textContent, never as HTML.
const reloadJS = `// fleetyard serve: live reload (dev only, never in a production build)
(() => {
  const es = new EventSource("` + eventsPath + `");
  let server = "";
  es.addEventListener("hello", (e) => {
    if (server !== "" && server !== e.data) location.reload();
    server = e.data;
  });
  es.addEventListener("reload", () => location.reload());
  const box = (id, colour) => {
    let el = document.getElementById(id);
    if (!el) {
      el = document.createElement("pre");
      el.id = id;
      Object.assign(el.style, {position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
        margin: "0", padding: "1em", maxHeight: "50vh", overflow: "auto", whiteSpace: "pre-wrap",
        font: "13px/1.4 ui-monospace, monospace", background: colour, color: "#fff"});
      el.addEventListener("click", () => el.remove());
      document.body.appendChild(el);
    }
    return el;
  };
  es.addEventListener("failed", (e) => {
    box("fy-dev-error", "#8b1a1a").textContent = "fleetyard serve: the rebuild failed; this is the last good build (click to hide).\n\n" + e.data;
  });
  es.addEventListener("stale", (e) => {
    box("fy-dev-stale", "#6b4e00").textContent = e.data + " (click to hide)";
  });
})();
`

// sseEvent is one server-sent event.
type sseEvent struct{ name, data string }

// hub fans events out to the open event streams.
type hub struct {
	id string // this serve process, sent as "hello"

	mu      sync.Mutex
	clients map[chan sseEvent]bool
	state   []sseEvent // replayed to new streams: the current failure or stale notice
	closed  bool
	done    chan struct{}
}

func newHub(id string) *hub {
	return &hub{id: id, clients: map[chan sseEvent]bool{}, done: make(chan struct{})}
}

// publish sends ev to every open stream. A stream that has not taken its
// earlier events yet is skipped: it is about to reload anyway.
func (h *hub) publish(ev sseEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	// Streams opened later are told the lasting conditions: a failure
	// (until the next good build) and stale code (until a restart), the
	// latest of each.
	switch ev.name {
	case "reload":
		h.state = only(h.state, "stale")
	case "failed":
		h.state = append(only(h.state, "stale"), ev)
	case "stale":
		h.state = append(only(h.state, "failed"), ev)
	}
	for c := range h.clients {
		select {
		case c <- ev:
		default:
		}
	}
}

func only(evs []sseEvent, name string) []sseEvent {
	var kept []sseEvent
	for _, ev := range evs {
		if ev.name == name {
			kept = append(kept, ev)
		}
	}
	return kept
}

// clientCount is the number of open streams (tests wait for theirs).
func (h *hub) clientCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// close ends every stream, so http.Server.Shutdown does not wait for them.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

func (h *hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan sseEvent, 8)
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		http.Error(w, "serve is stopping", http.StatusServiceUnavailable)
		return
	}
	h.clients[c] = true
	backlog := append([]sseEvent{{"hello", h.id}}, h.state...)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()

	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	for _, ev := range backlog {
		writeEvent(w, ev)
	}
	fl.Flush()
	for {
		select {
		case ev := <-c:
			writeEvent(w, ev)
			fl.Flush()
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		}
	}
}

// writeEvent writes ev in the event-stream format: a multi-line payload is
// one data: line per line.
func writeEvent(w http.ResponseWriter, ev sseEvent) {
	var b strings.Builder
	b.WriteString("event: " + ev.name + "\n")
	for _, line := range strings.Split(ev.data, "\n") {
		b.WriteString("data: " + line + "\n")
	}
	b.WriteString("\n")
	fmt.Fprint(w, b.String())
}

// devHandler is the serve-only wrapper around the site handler: it answers
// the live-reload paths (with the same netlify.toml headers as every other
// path) and adds the reload script to HTML responses.
func devHandler(site func() http.Handler, netlify func() *Netlify, h *hub) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, devPrefix) {
			for k, v := range netlify().HeadersFor(r.URL.Path) {
				w.Header()[k] = v
			}
			switch r.URL.Path {
			case eventsPath:
				h.serveEvents(w, r)
			case reloadJSPath:
				w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
				w.Header().Set("Cache-Control", "no-store")
				fmt.Fprint(w, reloadJS)
			default:
				http.NotFound(w, r)
			}
			return
		}
		if r.Method != http.MethodGet {
			site().ServeHTTP(w, r)
			return
		}
		iw := &injectWriter{w: w}
		site().ServeHTTP(iw, r)
		iw.finish()
	})
}

// injectWriter holds back an HTML response so the reload tag can be added
// before </body> (or at the end, where a script still runs in the body).
// Anything else passes straight through.
type injectWriter struct {
	w       http.ResponseWriter
	status  int
	holding bool
	buf     bytes.Buffer
}

func (iw *injectWriter) Header() http.Header { return iw.w.Header() }

func (iw *injectWriter) WriteHeader(status int) {
	if iw.status != 0 {
		return
	}
	iw.status = status
	ct := iw.w.Header().Get("Content-Type")
	if (status == http.StatusOK || status == http.StatusNotFound) && strings.HasPrefix(ct, "text/html") {
		iw.holding = true
		return
	}
	iw.w.WriteHeader(status)
}

func (iw *injectWriter) Write(p []byte) (int, error) {
	if iw.status == 0 {
		iw.WriteHeader(http.StatusOK)
	}
	if iw.holding {
		return iw.buf.Write(p)
	}
	return iw.w.Write(p)
}

func (iw *injectWriter) finish() {
	if !iw.holding {
		return
	}
	body := iw.buf.Bytes()
	// A precompressed page (precompressed.go) is decoded to add the tag
	// and sent as is: serve's pages are small and local.
	if enc := iw.w.Header().Get("Content-Encoding"); enc != "" {
		plain, err := decodeBody(enc, body)
		if err != nil {
			http.Error(iw.w, "fleetyard serve: "+err.Error(), http.StatusInternalServerError)
			return
		}
		body = plain
		iw.w.Header().Del("Content-Encoding")
	}
	if i := bytes.LastIndex(body, []byte("</body>")); i >= 0 {
		body = append(append(append([]byte{}, body[:i]...), reloadTag...), body[i:]...)
	} else {
		body = append(body, reloadTag...)
	}
	iw.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	iw.w.WriteHeader(iw.status)
	iw.w.Write(body)
}
