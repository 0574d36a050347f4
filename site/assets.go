package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/evanw/esbuild/pkg/api"
	"github.com/fleetyard/fleetyard/internal/wasmflags"
	"github.com/tdewolff/minify/v2"
	mincss "github.com/tdewolff/minify/v2/css"
)

// assetSet maps a logical asset name ("site.css", "docs.js", "fleetyard.wasm")
// to its hashed URL ("/assets/site.3f2a….css"). A missing name means the
// asset was skipped and pages must not reference it.
type assetSet map[string]string

// entryPoints is the fixed list of esbuild entry points (see the web
// contract). TypeScript entries need static/node_modules.
var entryPoints = []string{
	"static/css/site.css",
	"static/css/playground.css",
	"static/ts/playground.ts",
	"static/ts/docs.ts",
	"static/ts/worker.ts",
	"static/ts/start.ts",
	"static/ts/search.ts",
}

func (b *builder) buildAssets() error {
	b.assets = assetSet{}
	if err := b.bundleAssets(); err != nil {
		return err
	}
	t := time.Now()
	err := b.buildWasm()
	b.stats.WasmTime = time.Since(t)
	return err
}

// ensureNodeModules runs `npm ci` in static/ when node_modules is missing or
// older than package-lock.json, and reports whether TypeScript can be bundled.
// Without NoNPM the TypeScript is required: a missing package.json or lock is
// an error, not a site without its scripts.
func (b *builder) ensureNodeModules() (bool, error) {
	lock := b.path("static", "package-lock.json")
	lockSt, err := os.Stat(lock)
	if err != nil {
		if b.opts.NoNPM {
			b.skip("TypeScript bundles: static/package-lock.json is missing and NoNPM is set")
			return false, nil
		}
		if _, perr := os.Stat(b.path("static", "package.json")); perr != nil {
			return false, fmt.Errorf("site: static/package.json is missing; the playground and docs scripts are built from it (restore static/ from git)")
		}
		return false, fmt.Errorf("site: static/package-lock.json is missing; run npm install in static/ and commit the lock")
	}
	nm := b.path("static", "node_modules")
	// npm ci writes node_modules/.package-lock.json last; its mtime says
	// when the install finished.
	mark, merr := os.Stat(filepath.Join(nm, ".package-lock.json"))
	if merr == nil && !mark.ModTime().Before(lockSt.ModTime()) {
		return true, nil
	}
	if b.opts.NoNPM {
		b.skip("TypeScript bundles: static/node_modules is missing or stale and NoNPM is set")
		return false, nil
	}
	b.logf("npm ci in static/ (node_modules missing or older than package-lock.json)")
	t := time.Now()
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = b.path("static")
	out, err := cmd.CombinedOutput()
	b.stats.NPMTime = time.Since(t)
	if err != nil {
		return false, fmt.Errorf("site: npm ci in static/ failed: %v\n%s", err, tail(out, 2000))
	}
	return true, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// wasmExecPlugin resolves the virtual module "go:wasm_exec" to the
// wasm_exec.js of the Go toolchain that compiles the wasm, so the glue and
// the module always match.
func wasmExecPlugin(goroot string) api.Plugin {
	return api.Plugin{
		Name: "go-wasm-exec",
		Setup: func(pb api.PluginBuild) {
			pb.OnResolve(api.OnResolveOptions{Filter: `^go:wasm_exec$`}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: filepath.Join(goroot, "lib", "wasm", "wasm_exec.js")}, nil
			})
		},
	}
}

// splitEntries are the page scripts esbuild bundles with code splitting:
// what they share (and what they import dynamically: the playground's
// CodeMirror) goes into content-hashed chunks, so the playground's first
// preview does not wait for the browser to evaluate CodeMirror. The worker
// stays one self-contained file: a chunk it shared with the page would be
// one more request on the path to the first generate.
var splitEntries = map[string]bool{"playground.ts": true, "docs.ts": true}

// chunksKey is the assetSet key under which an entry's chunks are listed
// (space-separated URLs, in the order esbuild reports them): the pages
// preload them (<link rel="modulepreload">), so neither a static import nor
// the playground's later dynamic import waits for a round trip to start
// downloading.
func chunksKey(entry string) string { return entry + " chunks" }

func (b *builder) bundle(entries []string) error {
	var split, plain []string
	for _, e := range entries {
		if splitEntries[filepath.Base(e)] {
			split = append(split, e)
		} else {
			plain = append(plain, e)
		}
	}
	if len(plain) > 0 {
		if err := b.bundleGroup(plain, false); err != nil {
			return err
		}
	}
	if len(split) > 0 {
		return b.bundleGroup(split, true)
	}
	return nil
}

func (b *builder) bundleGroup(entries []string, splitting bool) error {
	abs := make([]string, len(entries))
	for i, e := range entries {
		abs[i] = b.path(e)
	}
	goroot, err := goRoot()
	if err != nil {
		return err
	}
	absRoot, _ := filepath.Abs(b.opts.Root)
	outdir := filepath.Join(absRoot, "public-esbuild", "assets")
	res := api.Build(api.BuildOptions{
		EntryPoints:       abs,
		AbsWorkingDir:     absRoot,
		Bundle:            true,
		Splitting:         splitting,
		Format:            api.FormatESModule,
		Target:            api.ES2022,
		Platform:          api.PlatformBrowser,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		EntryNames:        "[name]",
		ChunkNames:        "chunk.[hash]",
		AssetNames:        "[name].[hash]",
		Outdir:            outdir,
		Write:             false,
		Metafile:          true,
		Loader:            map[string]api.Loader{".woff2": api.LoaderFile, ".svg": api.LoaderFile, ".png": api.LoaderFile},
		Plugins:           []api.Plugin{wasmExecPlugin(goroot)},
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return fmt.Errorf("site: esbuild failed:\n%s", strings.Join(msgs, ""))
	}
	chromaCSS := ChromaCSS()
	m := minify.New()
	for _, f := range res.OutputFiles {
		name := filepath.Base(f.Path)
		data := f.Contents
		ext := path.Ext(name)
		stem := strings.TrimSuffix(name, ext)
		if strings.HasSuffix(name, ".map") {
			continue
		}
		isEntry := false
		for _, e := range entries {
			if strings.TrimSuffix(filepath.Base(e), filepath.Ext(e)) == stem {
				isEntry = true
			}
		}
		if !isEntry {
			// Chunks and files esbuild emitted for url() references keep
			// its own content hash. An entry's hash (below) covers the
			// chunk names it imports, so a changed chunk renames it too.
			b.out["assets/"+name] = data
			continue
		}
		if ext == ".css" {
			if stem == "site" {
				data = append(append(data, '\n'), chromaCSS...)
			}
			if !b.opts.NoMinify {
				var buf bytes.Buffer
				if err := mincss.Minify(m, &buf, bytes.NewReader(data), nil); err != nil {
					return fmt.Errorf("site: minifying %s: %w", name, err)
				}
				data = buf.Bytes()
			}
		}
		hashed := stem + "." + shortHash(data) + ext
		b.out["assets/"+hashed] = data
		b.assets[name] = "/assets/" + hashed
	}
	if splitting {
		chunks, err := entryChunks(res.Metafile, absRoot, outdir)
		if err != nil {
			return err
		}
		for entry, list := range chunks {
			if len(list) > 0 {
				b.assets[chunksKey(entry)] = strings.Join(list, " ")
			}
		}
	}
	return nil
}

// entryChunks reads esbuild's metafile: for each entry script, every chunk
// it reaches through static and dynamic imports, as /assets/ URLs, nearest
// first (breadth first, each once).
func entryChunks(metafile, absRoot, outdir string) (map[string][]string, error) {
	var meta struct {
		Outputs map[string]struct {
			EntryPoint string `json:"entryPoint"`
			Imports    []struct {
				Path string `json:"path"`
				Kind string `json:"kind"`
			} `json:"imports"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &meta); err != nil {
		return nil, fmt.Errorf("site: reading esbuild's metafile: %w", err)
	}
	rel, err := filepath.Rel(absRoot, outdir)
	if err != nil {
		return nil, err
	}
	prefix := filepath.ToSlash(rel) + "/"
	names := make([]string, 0, len(meta.Outputs))
	for name := range meta.Outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	out := map[string][]string{}
	for _, name := range names {
		o := meta.Outputs[name]
		if o.EntryPoint == "" || !strings.HasSuffix(name, ".js") {
			continue
		}
		seen := map[string]bool{name: true}
		queue := []string{name}
		var list []string
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			for _, im := range meta.Outputs[cur].Imports {
				if (im.Kind != "import-statement" && im.Kind != "dynamic-import") || seen[im.Path] {
					continue
				}
				if !strings.HasPrefix(im.Path, prefix) {
					return nil, fmt.Errorf("site: %s imports %s, outside the assets directory", name, im.Path)
				}
				seen[im.Path] = true
				queue = append(queue, im.Path)
				list = append(list, "/assets/"+strings.TrimPrefix(im.Path, prefix))
			}
		}
		out[path.Base(name)] = list
	}
	return out, nil
}

func shortHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:12]
}

var goRootCache string

func goRoot() (string, error) {
	if goRootCache != "" {
		return goRootCache, nil
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		// Fall back to the toolchain this binary was built with.
		if r := runtime.GOROOT(); r != "" {
			goRootCache = r
			return r, nil
		}
		return "", fmt.Errorf("site: cannot find GOROOT (go env GOROOT: %v); is Go on PATH?", err)
	}
	goRootCache = strings.TrimSpace(string(out))
	return goRootCache, nil
}

// ChromaCSS is the stylesheet for the chroma token classes used in
// pre-rendered code: a light theme, and a dark one under
// prefers-color-scheme: dark. It is appended to site.css at build time.
func ChromaCSS() []byte {
	var buf bytes.Buffer
	f := html.New(html.WithClasses(true))
	light, dark := styles.Get("github"), styles.Get("github-dark")
	buf.WriteString("/* chroma: github, github-dark */\n")
	f.WriteCSS(&buf, light)
	writeTokenColours(&buf, light)
	buf.WriteString("\n@media (prefers-color-scheme: dark) {\n")
	f.WriteCSS(&buf, dark)
	writeTokenColours(&buf, dark)
	buf.WriteString("\n}\n")
	return buf.Bytes()
}

// writeTokenColours writes a colour rule for every token class, resolved
// through the style's inheritance. chroma's own CSS omits classes a theme
// leaves to inheritance, so without this a token the dark theme does not
// style keeps the light theme's (dark) colour.
func writeTokenColours(w *bytes.Buffer, s *chroma.Style) {
	types := make([]chroma.TokenType, 0, len(chroma.StandardTypes))
	for tt := range chroma.StandardTypes {
		types = append(types, tt)
	}
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
	for _, tt := range types {
		cls := chroma.StandardTypes[tt]
		if cls == "" || tt == chroma.Background || tt < 0 {
			continue
		}
		e := s.Get(tt)
		if !e.Colour.IsSet() {
			continue
		}
		fmt.Fprintf(w, ".chroma .%s{color:%s}\n", cls, e.Colour.String())
	}
}

// wasmSourceHash hashes every non-test Go file that the wasm module can
// depend on (everything but the site builder, e2e tests and the CLI), plus
// go.mod, go.sum, the toolchain version, the build flags, tags and
// experiment.
func (b *builder) wasmSourceHash(goVersion, tags string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "fleetyard wasm v5\n%s\n%q\ntags %q\nGOEXPERIMENT=%s\n", goVersion, wasmBuildFlags, tags, wasmflags.Experiment)
	var files []string
	root := b.opts.Root
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == ".":
				return nil
			case strings.HasPrefix(d.Name(), ".") || rel == "site" || rel == "e2e" || rel == "static" ||
				rel == "content" || rel == "public" || strings.HasSuffix(rel, "testdata") || d.Name() == "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.Contains(rel, "/") {
			if rel == "go.mod" || rel == "go.sum" {
				files = append(files, rel)
			}
			return nil
		}
		if strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go") {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", f, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CacheDir is where compiled wasm modules are kept between builds:
// $XDG_CACHE_HOME/fleetyard (or the OS equivalent).
func CacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "fleetyard"), nil
}

// wasmModule is one of the wasm modules the site publishes, both built from
// the wasm/ package.
type wasmModule struct {
	asset string // logical asset name (assetSet), also the report's title
	tags  string // go build -tags
	role  string // what the page does with it, for the report
}

// wasmModules are the generator module, which the playground and the docs
// load at start (generate and keys only), and the full module, which a
// second worker loads on the first download, "Update my repo" or share
// link (see wasm/main.go). Splitting them keeps compression, zip and the
// update merge out of the download every visitor waits for.
var wasmModules = []wasmModule{
	{asset: "fleetyard.wasm", role: "generator module, loaded at start"},
	{asset: "fleetyard-full.wasm", tags: "fytools", role: "full module, loaded on the first download or share link"},
}

func (b *builder) buildWasm() error {
	if b.opts.NoWasm {
		b.skip("wasm: NoWasm is set")
		return nil
	}
	if _, err := os.Stat(b.path("wasm")); err != nil {
		return fmt.Errorf("site: the wasm/ package is missing; the playground runs the generator from it (restore it, or build with NoWasm)")
	}
	ver, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return fmt.Errorf("site: go env GOVERSION: %v (is Go on PATH?)", err)
	}
	var reports []string
	allCached := true
	for _, m := range wasmModules {
		data, report, cached, err := b.wasmModule(strings.TrimSpace(string(ver)), m)
		if err != nil {
			return err
		}
		allCached = allCached && cached
		reports = append(reports, m.asset+" ("+m.role+"): "+string(report))
		name := strings.TrimSuffix(m.asset, ".wasm")
		hashed := name + "." + shortHash(data) + ".wasm"
		b.out["assets/"+hashed] = data
		b.assets[m.asset] = "/assets/" + hashed
	}
	b.stats.WasmCached = allCached
	b.stats.WasmReport = strings.Join(reports, "")
	b.logf("%s", strings.TrimRight(b.stats.WasmReport, "\n"))
	return nil
}

// wasmModule returns module m and its size report, from the cache when
// the sources, flags and tags are those of a previous build.
func (b *builder) wasmModule(goVersion string, m wasmModule) (data, report []byte, cached bool, err error) {
	key, err := b.wasmSourceHash(goVersion, m.tags)
	if err != nil {
		return nil, nil, false, err
	}
	cache, err := CacheDir()
	if err != nil {
		return nil, nil, false, err
	}
	file := filepath.Join(cache, "wasm-"+key[:32]+".wasm")
	sizes := strings.TrimSuffix(file, ".wasm") + ".size.txt"
	data, err = os.ReadFile(file)
	report, rerr := os.ReadFile(sizes)
	if err == nil && rerr == nil {
		return data, report, true, nil
	}
	b.logf("compiling %s (GOOS=js GOARCH=wasm go build -tags=%q ./wasm)", m.asset, m.tags)
	if data, report, err = b.compileWasm(m.tags); err != nil {
		return nil, nil, false, err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, nil, false, err
	}
	// Report first: a module without its report is recompiled.
	if err := writeAtomic(sizes, report); err != nil {
		return nil, nil, false, err
	}
	if err := writeAtomic(file, data); err != nil {
		return nil, nil, false, err
	}
	return data, report, false, nil
}

// wasmBuildFlags are the go build flags of the published wasm module (see
// internal/wasmflags); they are part of its cache key. A variable, so a
// test can try other flags.
var wasmBuildFlags = wasmflags.Build()

// compileWasm builds the wasm module with its function names, reports how
// much code each Go package contributes, and returns the module without
// the names (what -ldflags=-s would give) with the report.
func (b *builder) compileWasm(tags string) (module, report []byte, err error) {
	tmp, err := os.MkdirTemp("", "fleetyard-wasm-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "fleetyard.wasm")
	env := wasmflags.Env()
	tagArg := "-tags=" + tags
	cmd := exec.Command("go", append(append([]string{"build"}, wasmBuildFlags...), tagArg, "-o", out, "./wasm")...)
	cmd.Dir = b.opts.Root
	cmd.Env = env
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("site: compiling the wasm module failed: %v\n%s", err, msg)
	}
	list := exec.Command("go", "list", "-deps", tagArg, "./wasm")
	list.Dir = b.opts.Root
	list.Env = env
	pkgs, err := list.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("site: go list -deps ./wasm: %v", err)
	}
	named, err := os.ReadFile(out)
	if err != nil {
		return nil, nil, err
	}
	module, rep, err := stripWasmNames(named, strings.Fields(string(pkgs)))
	if err != nil {
		return nil, nil, fmt.Errorf("site: reading the compiled wasm module: %v", err)
	}
	if module, err = blankFuncNames(module); err != nil {
		return nil, nil, fmt.Errorf("site: blanking the function names of the wasm module: %v", err)
	}
	return module, []byte(rep.String()), nil
}

// writeAtomic writes a cache file through a temporary name, so a reader
// never sees half of it.
func writeAtomic(name string, data []byte) error {
	tmp := fmt.Sprintf("%s.%d.tmp", name, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
