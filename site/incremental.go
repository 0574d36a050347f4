package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// parts says which parts of the site a batch of file changes invalidates.
// Pages are rebuilt on every build: they embed the asset URLs, and the
// nav, links and sitemap span all of them, so there is nothing smaller to
// redo.
type parts struct {
	assets  bool // static/: re-bundle CSS and TypeScript
	wasm    bool // Go sources the wasm module is compiled from
	pages   bool // content/, static/playground.html, layouts
	layouts bool // site/layouts: re-read the templates from disk
	netlify bool // netlify.toml: reload the headers
	// server lists edited Go files that are compiled into this process
	// (the site builder, and gen, which renders the live examples), whose
	// effect needs a restart.
	server []string
}

func (p parts) build() bool { return p.assets || p.wasm || p.pages || p.layouts }

func (p parts) String() string {
	var s []string
	if p.assets {
		s = append(s, "assets")
	}
	if p.wasm {
		s = append(s, "wasm")
	}
	if p.assets || p.wasm || p.pages || p.layouts {
		s = append(s, "pages")
	}
	if p.netlify {
		s = append(s, "headers")
	}
	return strings.Join(s, "+")
}

// everything is what the first build of a serve session, and a lost event
// queue, must redo.
var everything = parts{assets: true, wasm: true, pages: true, netlify: true}

// incremental builds the site repeatedly for serve, keeping the esbuild
// bundle and the wasm module of the previous build in memory so an edit only
// redoes the parts it touches. Every build writes the same files a full
// [BuildWithStats] would for the same inputs (TestIncrementalMatchesFullBuild
// holds it to that). It is used from one goroutine only.
type incremental struct {
	opts Options

	bundle, wasm *partOut // nil until that part built successfully

	// Counters for tests and the idle check: how often each step ran.
	builds, bundles, wasms int
}

// partOut is what one asset step contributed to a build.
type partOut struct {
	out     map[string][]byte
	assets  assetSet
	skipped []string
}

func newIncremental(opts Options) *incremental {
	return &incremental{opts: opts.withDefaults()}
}

// build redoes the parts p names (and any part whose last attempt failed),
// reuses the others, and replaces Out only when everything succeeded.
func (inc *incremental) build(p parts) (BuildStats, error) {
	start := time.Now()
	inc.builds++
	b := &builder{opts: inc.opts, out: map[string][]byte{}, assets: assetSet{}}

	if p.layouts {
		if err := reloadLayouts(filepath.Join(inc.opts.Root, "site")); err != nil {
			return b.stats, err
		}
	}
	if p.assets || inc.bundle == nil {
		// Forget the old bundle first: if this attempt fails, the next
		// build must retry it even when its own change is content-only.
		inc.bundle = nil
		inc.bundles++
		t := time.Now()
		part, st, err := inc.runPart(func(pb *builder) error { return pb.bundleAssets() })
		b.stats.NPMTime = st.NPMTime
		b.stats.BundleTime = time.Since(t) - st.NPMTime
		if err != nil {
			return b.stats, err
		}
		inc.bundle = part
	}
	if p.wasm || inc.wasm == nil {
		inc.wasm = nil
		inc.wasms++
		t := time.Now()
		part, st, err := inc.runPart(func(pb *builder) error { return pb.buildWasm() })
		b.stats.WasmTime = time.Since(t)
		b.stats.WasmCached = st.WasmCached
		if err != nil {
			return b.stats, err
		}
		inc.wasm = part
	}
	// Same order as buildAssets: the bundle's skips, then the wasm's.
	for _, part := range []*partOut{inc.bundle, inc.wasm} {
		for k, v := range part.out {
			b.out[k] = v
		}
		for k, v := range part.assets {
			b.assets[k] = v
		}
		b.stats.Skipped = append(b.stats.Skipped, part.skipped...)
	}

	t := time.Now()
	if err := b.buildPages(); err != nil {
		return b.stats, err
	}
	b.stats.PagesTime = time.Since(t)
	if err := b.checkLinks(); err != nil {
		return b.stats, err
	}
	t = time.Now()
	if !b.opts.NoMinify {
		if err := b.minifyHTML(); err != nil {
			return b.stats, err
		}
	}
	b.stats.MinifyTime = time.Since(t)
	t = time.Now()
	if err := b.precompress(); err != nil {
		return b.stats, err
	}
	b.stats.CompressTime = time.Since(t)
	if err := b.write(); err != nil {
		return b.stats, err
	}
	b.stats.Total = time.Since(start)
	return b.stats, nil
}

// runPart runs one asset step on a builder of its own and keeps what it
// produced, so the step can be reused by later builds.
func (inc *incremental) runPart(step func(*builder) error) (*partOut, BuildStats, error) {
	pb := &builder{opts: inc.opts, out: map[string][]byte{}, assets: assetSet{}}
	if err := step(pb); err != nil {
		return nil, pb.stats, err
	}
	return &partOut{out: pb.out, assets: pb.assets, skipped: pb.stats.Skipped}, pb.stats, nil
}

// bundleAssets is the esbuild half of buildAssets (which adds the wasm
// step), and what serve reruns alone after a static/ edit: npm ci when
// needed, then esbuild over the entry points that exist.
func (b *builder) bundleAssets() error {
	tsReady, err := b.ensureNodeModules()
	if err != nil {
		return err
	}
	var entries []string
	for _, e := range entryPoints {
		if strings.HasSuffix(e, ".ts") && !tsReady {
			continue // ensureNodeModules said why
		}
		if _, err := os.Stat(b.path(e)); err != nil {
			return fmt.Errorf("site: %s is missing (an esbuild entry point, listed in site/assets.go)", e)
		}
		entries = append(entries, e)
	}
	return b.bundle(entries)
}

// reloadLayouts replaces the compiled-in page templates with the ones in
// dir/layouts, so a layout edit shows without restarting serve. Only serve
// calls it, and all of its builds run on one goroutine, so no build reads
// the templates while they are swapped.
func reloadLayouts(dir string) error {
	t, err := parseLayouts(os.DirFS(dir))
	if err != nil {
		return fmt.Errorf("site/layouts: %w (fix the template; the previous one stays in use)", err)
	}
	layouts = t
	return nil
}
