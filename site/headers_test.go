package site

import (
	"bufio"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryResponseHasHeaders: serve answered OPTIONS and POST (405) before
// it applied the netlify.toml headers, so those responses had no CSP; and
// net/http answers "OPTIONS *" itself unless told not to. Every method, on
// every path, through the server serve runs, now carries them.
func TestEveryResponseHasHeaders(t *testing.T) {
	n, err := LoadNetlify(filepath.Join("..", "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	want := n.HeadersFor("/")
	if want.Get("Content-Security-Policy") == "" || want.Get("X-Content-Type-Options") == "" {
		t.Fatal("netlify.toml sets no CSP or nosniff for /*")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><body>hi</body>"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHub("test")
	defer h.close()
	srv := httpServer(devHandler(func() http.Handler { return NetlifyHandler(dir, n) }, func() *Netlify { return n }, h))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{"GET", "/", http.StatusOK},
		{"GET", "/missing", http.StatusNotFound},
		{"OPTIONS", "/", http.StatusMethodNotAllowed},
		{"OPTIONS", "*", http.StatusMethodNotAllowed},
		{"POST", "/", http.StatusMethodNotAllowed},
		{"POST", "/docs/cli/", http.StatusMethodNotAllowed},
		{"PUT", "/index.html", http.StatusMethodNotAllowed},
		{"DELETE", "/assets/x.js", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			resp := rawRequest(t, ln.Addr().String(), tc.method, tc.target)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy"} {
				if got := resp.Header.Get(k); got != want.Get(k) {
					t.Errorf("%s = %q, want %q", k, got, want.Get(k))
				}
			}
		})
	}
}

// rawRequest sends one request line as written ("OPTIONS *" cannot be made
// with http.NewRequest) and reads the response.
func rawRequest(t *testing.T, addr, method, target string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	req := method + " " + target + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
	if _, err := c.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.TrimSpace(resp.Header.Get("Allow")) == "" && resp.StatusCode == http.StatusMethodNotAllowed {
		t.Errorf("405 without Allow")
	}
	return resp
}
