package e2e

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/site"
)

// link is a network between the browser and the site, emulated by the
// server (slowLinkServer): every response's headers wait latency, and all
// response bodies share one downlink of bytesPerSec. Chromium's own
// network emulation throttles the page's requests but not its worker's,
// so the wasm download, the longest transfer of a cold load, would come
// at loopback speed.
type link struct {
	name        string
	latency     time.Duration
	bytesPerSec float64
}

// homeLink is an ordinary home connection: 20 Mbit/s down, 40 ms away.
var homeLink = link{name: "a 20 Mbit/s link 40 ms away", latency: 40 * time.Millisecond, bytesPerSec: 2.5e6}

// slowLinkServer serves the built site over l and returns its URL.
func slowLinkServer(t *testing.T, l link) string {
	t.Helper()
	h, err := site.Handler(publicDir)
	if err != nil {
		t.Fatal(err)
	}
	down := &downlink{rate: l.bytesPerSec}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(l.latency):
		case <-r.Context().Done():
			return
		}
		h.ServeHTTP(&slowWriter{ResponseWriter: w, down: down}, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// downlink hands out transmission time on one shared line, in order.
type downlink struct {
	mu   sync.Mutex
	rate float64   // bytes per second
	free time.Time // when the line is next free
}

// send blocks until n bytes have gone over the line after everything
// booked before them.
func (d *downlink) send(n int) {
	d.mu.Lock()
	start := time.Now()
	if d.free.After(start) {
		start = d.free
	}
	d.free = start.Add(time.Duration(float64(n) / d.rate * float64(time.Second)))
	done := d.free
	d.mu.Unlock()
	time.Sleep(time.Until(done))
}

// slowWriter sends a body in 16 KiB pieces over its downlink, flushing
// each, so the browser sees the bytes arrive at the line's rate.
type slowWriter struct {
	http.ResponseWriter
	down *downlink
}

func (w *slowWriter) Write(p []byte) (int, error) {
	const piece = 16 << 10
	written := 0
	for len(p) > 0 {
		n := min(len(p), piece)
		w.down.send(n)
		m, err := w.ResponseWriter.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		p = p[n:]
	}
	return written, nil
}

// TestDownlinkRate: the emulated line is as slow as it says, shared by
// concurrent responses (two 100 KB bodies at 1 MB/s take 200 ms together).
func TestDownlinkRate(t *testing.T) {
	d := &downlink{rate: 1e6}
	start := time.Now()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 10 {
				d.send(10_000)
			}
		})
	}
	wg.Wait()
	if took := time.Since(start); took < 200*time.Millisecond || took > 600*time.Millisecond {
		t.Errorf("200 KB at 1 MB/s took %v, want about 200 ms", took)
	}
}
