package site

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Netlify is the part of netlify.toml the site relies on.
type Netlify struct {
	Build struct {
		Command     string            `toml:"command"`
		Publish     string            `toml:"publish"`
		Environment map[string]string `toml:"environment"`
	} `toml:"build"`
	Headers []HeaderRule `toml:"headers"`
}

// HeaderRule is one [[headers]] table: response headers for the paths
// matching For.
type HeaderRule struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
}

// LoadNetlify parses a netlify.toml file. Unknown keys are an error, so a
// misspelt table does not silently drop a security header.
func LoadNetlify(file string) (*Netlify, error) {
	var n Netlify
	md, err := toml.DecodeFile(file, &n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var keys []string
		for _, k := range und {
			keys = append(keys, k.String())
		}
		return nil, fmt.Errorf("%s: keys the site does not understand: %s", file, strings.Join(keys, ", "))
	}
	for i, h := range n.Headers {
		if !strings.HasPrefix(h.For, "/") {
			return nil, fmt.Errorf("%s: headers[%d].for = %q must start with /", file, i, h.For)
		}
	}
	return &n, nil
}

// matchPath reports whether a URL path matches a Netlify header pattern. A
// `*` matches any run of characters, slashes included ("/*" is every path,
// "/assets/*" everything below /assets/, "/*.wasm" any .wasm file).
func matchPath(pattern, p string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == p
	}
	if !strings.HasPrefix(p, parts[0]) {
		return false
	}
	p = p[len(parts[0]):]
	for i, part := range parts[1:] {
		last := i == len(parts)-2
		if last {
			return strings.HasSuffix(p, part)
		}
		idx := strings.Index(p, part)
		if idx < 0 {
			return false
		}
		p = p[idx+len(part):]
	}
	return true
}

// HeadersFor returns the headers Netlify would add to a response for path p,
// applying the rules in file order (a later rule overrides a header set by
// an earlier one).
func (n *Netlify) HeadersFor(p string) http.Header {
	h := http.Header{}
	for _, r := range n.Headers {
		if !matchPath(r.For, p) {
			continue
		}
		keys := make([]string, 0, len(r.Values))
		for k := range r.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			h.Set(k, r.Values[k])
		}
	}
	return h
}

// findNetlify looks for netlify.toml in dir and its parents, then in the
// working directory and its parents.
func findNetlify(dir string) (string, error) {
	var starts []string
	if abs, err := filepath.Abs(dir); err == nil {
		starts = append(starts, abs)
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, d := range starts {
		for {
			cand := filepath.Join(d, "netlify.toml")
			if _, err := os.Stat(cand); err == nil {
				return cand, nil
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return "", errors.New("site: netlify.toml not found next to " + dir + " or above the working directory")
}

// Handler serves a built site directory the way Netlify does: the headers
// from netlify.toml (found in dir or a parent, else above the working
// directory), /dir/ served from dir/index.html, /dir redirected to /dir/,
// and 404.html with status 404 for anything missing.
func Handler(dir string) (http.Handler, error) {
	file, err := findNetlify(dir)
	if err != nil {
		return nil, err
	}
	n, err := LoadNetlify(file)
	if err != nil {
		return nil, err
	}
	return NetlifyHandler(dir, n), nil
}

// NetlifyHandler is [Handler] with an already parsed configuration.
func NetlifyHandler(dir string, n *Netlify) http.Handler {
	root := os.DirFS(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
			p += "/"
		}
		// The headers go on every response, errors included: a 405 page
		// is a document too, and the CSP and friends must cover it.
		for k, v := range n.HeadersFor(p) {
			w.Header()[k] = v
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(p, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		st, err := fs.Stat(root, name)
		if err == nil && st.IsDir() {
			if _, err := fs.Stat(root, name+"/index.html"); err == nil {
				http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
				return
			}
			err = fs.ErrNotExist
		}
		if err != nil {
			notFound(w, root)
			return
		}
		if !servePrecompressed(w, r, root, name) {
			serveFile(w, r, root, name, http.StatusOK)
		}
	})
}

func notFound(w http.ResponseWriter, root fs.FS) {
	data, err := fs.ReadFile(root, "404.html")
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(data)
}

func serveFile(w http.ResponseWriter, r *http.Request, root fs.FS, name string, status int) {
	f, err := root.Open(name)
	if err != nil {
		notFound(w, root)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		notFound(w, root)
		return
	}
	rs, ok := f.(interface {
		Read([]byte) (int, error)
		Seek(int64, int) (int64, error)
	})
	if !ok {
		http.Error(w, "cannot seek", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, name, st.ModTime(), rs)
}
