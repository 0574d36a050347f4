package site

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestAcceptedEncodings(t *testing.T) {
	tests := []struct {
		header string
		want   []string // accepted, of br and gzip
	}{
		{"", nil},
		{"identity", nil},
		{"gzip", []string{"gzip"}},
		{"gzip, deflate, br, zstd", []string{"br", "gzip"}},
		{"GZIP , Br", []string{"br", "gzip"}},
		{"br;q=0, gzip", []string{"gzip"}},
		{"br;q=0.5, gzip;q=0", []string{"br"}},
		{"br; q=0.0", nil},
		{"*", []string{"br", "gzip"}},
		{"*;q=0", nil},
		{"*, br;q=0", []string{"gzip"}},
		{"deflate", nil},
	}
	for _, tc := range tests {
		got := acceptedEncodings(tc.header)
		var have []string
		for _, e := range []string{"br", "gzip"} {
			if got[e] {
				have = append(have, e)
			}
		}
		if !reflect.DeepEqual(have, tc.want) {
			t.Errorf("Accept-Encoding %q: accepted %v, want %v", tc.header, have, tc.want)
		}
	}
}

// TestServePrecompressed: the handler sends the .br or .gz copy a client
// accepts (brotli first), with Content-Encoding, Vary and the original's
// Content-Type, and the plain file otherwise; files that are never
// compressed carry no Vary.
func TestServePrecompressed(t *testing.T) {
	dir := t.TempDir()
	js := bytes.Repeat([]byte("console.log('fleetyard');\n"), 200)
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{1, 2, 3, 4}, 2000)...)
	files := map[string][]byte{"assets/app.js": js, "assets/gen.wasm": wasm, "assets/logo.png": bytes.Repeat([]byte{0x89}, 4000), "index.html": []byte("<!doctype html><title>t</title>" + strings.Repeat("<p>x</p>", 300))}
	b := &builder{out: map[string][]byte{}}
	for name, data := range files {
		b.out[name] = data
	}
	if err := b.precompress(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"assets/app.js.br", "assets/app.js.gz", "assets/gen.wasm.br", "assets/gen.wasm.gz", "index.html.br", "index.html.gz"} {
		if _, ok := b.out[want]; !ok {
			t.Errorf("precompress wrote no %s", want)
		}
	}
	if _, ok := b.out["assets/logo.png.br"]; ok {
		t.Error("a PNG was precompressed")
	}
	for name, data := range b.out {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data, 0o644)
	}
	n := &Netlify{Headers: []HeaderRule{{For: "/*.wasm", Values: map[string]string{"Content-Type": "application/wasm"}}}}
	srv := httptest.NewServer(NetlifyHandler(dir, n))
	defer srv.Close()
	// No transparent gzip: the test reads exactly what was sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	tests := []struct {
		path, accept, method   string
		wantEncoding, wantType string
		wantVary               bool
		want                   []byte
	}{
		{"/assets/app.js", "gzip, deflate, br", "GET", "br", "text/javascript; charset=utf-8", true, js},
		{"/assets/app.js", "gzip", "GET", "gzip", "text/javascript; charset=utf-8", true, js},
		{"/assets/app.js", "br;q=0, gzip", "GET", "gzip", "text/javascript; charset=utf-8", true, js},
		{"/assets/app.js", "", "GET", "", "text/javascript; charset=utf-8", true, js},
		{"/assets/gen.wasm", "br", "GET", "br", "application/wasm", true, wasm},
		{"/assets/gen.wasm", "identity", "GET", "", "application/wasm", true, wasm},
		{"/assets/gen.wasm", "br", "HEAD", "br", "application/wasm", true, nil},
		{"/", "br", "GET", "br", "text/html; charset=utf-8", true, files["index.html"]},
		{"/assets/logo.png", "br, gzip", "GET", "", "image/png", false, files["assets/logo.png"]},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		name := tc.method + " " + tc.path + " (Accept-Encoding: " + tc.accept + ")"
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", name, resp.StatusCode)
			continue
		}
		if got := resp.Header.Get("Content-Encoding"); got != tc.wantEncoding {
			t.Errorf("%s: Content-Encoding %q, want %q", name, got, tc.wantEncoding)
		}
		if got := resp.Header.Get("Content-Type"); got != tc.wantType {
			t.Errorf("%s: Content-Type %q, want %q", name, got, tc.wantType)
		}
		if got := strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding"); got != tc.wantVary {
			t.Errorf("%s: Vary %q, want Accept-Encoding: %v", name, resp.Header.Get("Vary"), tc.wantVary)
		}
		if tc.method == "HEAD" {
			if cl := resp.Header.Get("Content-Length"); cl == "" || cl == "0" {
				t.Errorf("%s: Content-Length %q", name, cl)
			}
			continue
		}
		if got := decode(t, tc.wantEncoding, body); !bytes.Equal(got, tc.want) {
			t.Errorf("%s: body decodes to %d bytes, want the %d of the original", name, len(got), len(tc.want))
		}
		if tc.wantEncoding != "" && len(body) >= len(tc.want) {
			t.Errorf("%s: %d bytes sent for %d: not compressed", name, len(body), len(tc.want))
		}
	}
}

func decode(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch enc {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return out
}

// TestBuildPrecompresses: the real build has a .br and a .gz next to every
// compressible file of 1 KiB or more (the wasm among them), each decoding to
// the file, so serve and the e2e tests send what Netlify sends.
func TestBuildPrecompresses(t *testing.T) {
	dir := built(t)
	root := os.DirFS(dir)
	var checked, wasm int
	fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		data, _ := fs.ReadFile(root, p)
		if !compressible(p, len(data)) {
			return nil
		}
		checked++
		if strings.HasSuffix(p, ".wasm") {
			wasm++
		}
		for _, c := range []struct{ suffix, enc string }{{".br", "br"}, {".gz", "gzip"}} {
			comp, err := fs.ReadFile(root, p+c.suffix)
			if err != nil {
				t.Errorf("%s has no %s copy", p, c.suffix)
				continue
			}
			if !bytes.Equal(decode(t, c.enc, comp), data) {
				t.Errorf("%s%s does not decode to %s", p, c.suffix, p)
			}
		}
		return nil
	})
	if checked < 10 {
		t.Errorf("only %d compressible files in the build", checked)
	}
	if wasm == 0 {
		t.Log("the build has no wasm (NoWasm or no Go toolchain): only the text assets were checked")
	}
}

// TestServeInjectsIntoCompressedPages: serve's live-reload tag goes into a
// page the site handler answers with its brotli copy; the page then goes
// out decoded (serve edits it), while assets stay compressed.
func TestServeInjectsIntoCompressedPages(t *testing.T) {
	dir := t.TempDir()
	page := "<!doctype html><title>t</title><body>" + strings.Repeat("<p>page text</p>", 200) + "</body>"
	js := strings.Repeat("console.log(1);\n", 200)
	b := &builder{out: map[string][]byte{"index.html": []byte(page), "app.js": []byte(js)}}
	if err := b.precompress(); err != nil {
		t.Fatal(err)
	}
	for name, data := range b.out {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	n := &Netlify{}
	srv := httptest.NewServer(devHandler(func() http.Handler { return NetlifyHandler(dir, n) }, func() *Netlify { return n }, newHub("t")))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(path string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("/")
	if enc := resp.Header.Get("Content-Encoding"); enc != "" {
		t.Errorf("the page went out with Content-Encoding %q after serve edited it", enc)
	}
	if !strings.Contains(string(body), reloadTag) || !strings.Contains(string(body), "page text") {
		t.Errorf("the served page lacks its text or the reload tag:\n%.300s", body)
	}
	if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length %s for %d bytes", cl, len(body))
	}
	resp, body = get("/app.js")
	if resp.Header.Get("Content-Encoding") != "br" || string(decode(t, "br", body)) != js {
		t.Errorf("app.js: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}
