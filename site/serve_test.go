package site

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		if b, err := os.ReadFile(filepath.Join("..", rel)); err == nil {
			write(rel, string(b))
		}
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
