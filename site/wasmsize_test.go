package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/fleetyard/fleetyard/internal/wasmflags"
)

// wasmBrotliBudgets bound the published wasm modules (brotli -q 11), so a
// change that gives back what was won fails here. Issue 10's goal for the
// generator module, the one every visitor downloads, is 1,000,000.
//
// History of the generator module: 1,110,000 for the build flags alone
// (1,102,784); the printer's fast paths (gen/nix, +60 KB raw code for
// about a third less printing time) and the pattern table, resolved model
// and file memo (gen, +36 KB raw) brought it to 1,122,768 (1,138,884 with
// the toolchain of issue 10's round). Splitting downloads and share links
// into the full module (archive/zip, compress/flate, gen/update,
// internal/sharelink and regexp no longer linked: -77 KB) brought it to
// about 1,064,000, and building error messages without fmt (-28 KB) to
// 1,037,170. Generating the spec decoder, the list-limit walk and the
// JSON encoders (internal/specgen) instead of reflecting on the types
// (reflect no longer linked: 133 KB of code and the types' metadata) brought
// it to 1,011,285. Merged with the worker's delta answers (+3 KB) and the
// generator's tree keys and incremental paths (+7 KB), less runtime/debug
// (the worker now sets GOGC through the environment), it is 1,017,031.
// Package-level Nix trees and tables as static composite literals instead
// of init code (gen.init 39.6 KB → 0.6 KB, map literals as slices),
// pointer receivers and no generic list helper in the generated JSON
// writers, and HMAC/HKDF on crypto/sha256 (crypto/hmac and crypto/hkdf
// linked SHA-3 and more) brought it to 999,390 (full module 1,131,217).
// Brotli's output for the data section moves by ±5 KB with small layout
// changes, so a change's effect is judged by the code section as well.
//
// The keystroke work merged with it (per-entity pieces, header/body memo,
// README memo, digest reuse: about 31 KB of raw code) brought the modules
// to 1,010,111 and 1,139,937.
//
// Then (sizes by the brotli CLI, code section raw): one loop over static
// field tables (jsonw.Struct, written by internal/specgen) instead of a
// generated decode function and AppendJSON body per spec type (code −92
// KB), byte escapers instead of the two strings.Replacers (−22 KB) and
// sops timestamps by date arithmetic instead of time's calendar, which
// linked the zone lookup (−20 KB), and sort.Slice instead of the only int
// instantiation of the generic sort (−13 KB), brought the generator module
// from 1,008,400 to 986,355 (code section −147 KB raw, −17 KB brotli) and
// the full module from 1,139,213 to about 1,118,000 (1,115,448–1,120,332
// as the data section's layout moves). By this test's brotli they measure
// 987,010 and 1,117,090; the budgets leave 5 KB and 8 KB of room above
// that.
//
// Later README steps that had to be true against upstream (flakes for the
// first nix develop and darwin switch, the pinned nix-darwin and
// home-manager, Determinate Nix, the vars a fleet really generates) grew
// the generator module to 994,395 (code +5 KB raw), past 992,000, so its
// budget is now 996,000, still 4 KB under issue 10's 1,000,000. The two
// static darwin zerotier files as composite literals instead of code
// (emitZerotier was the biggest function, 24.5 KB) then took it from
// 993,794 to 993,148 (raw −8.8 KB, brotli only −0.6 KB: code compresses
// well too). The next candidates: terranixHetznerFile (22.7 KB of code
// building mostly static Nix trees) and runtime.initMetrics (29 KB, linked
// by crypto/fips140's init through internal/godebug).
//
// Answering a keystroke before its manifest (wasm/stream.go settle), with
// CRC-64 file IDs (internal/fileid, hash/crc64: 3.7 KB of code) in place
// of SHA-256, took it from 995,012 to 996,100-998,700 (brotli's result
// moves by a kilobyte or two as the layout does): the budget is now the
// goal itself, 1,000,000.
//
// Until then this test compressed with a 4 MB window (NewWriterLevel's
// default), smaller than the module, while the CLI uses 16 MB: the same
// bytes measured 999,752 here and 999,946 by the CLI. With the CLI's window,
// and the seven fixed files kept as text (gen/fixed, their trees only in
// fixed_test.go: 27 KB of raw code and static data), it is about 996,200.
// Brotli's result then moved by up to 6 KB with changes of a few hundred
// bytes (a README sentence: +0.3 KB raw, +3.7 KB brotli; a smaller
// terraformJSON: -4.7 KB raw, +4.9 KB brotli), mostly in the data section.
// Blanking the pclntab's function names (blankFuncNames, 150 KB of the data)
// took it from 999,949 to 978,187, and the full module from 1,105,676 to
// 1,083,334: room that such moves cannot use up.
//
// The full module is loaded only on the first download or share link and
// has what the generator module had before the split (1,134,468).
// Writing zip by hand (gen/archive/zipfile.go, byte for byte archive/zip's)
// took it from 1,125,929, just over its budget, to 1,097,739: archive/zip
// kept time's layout engine, bufio and its own code linked.
var wasmBrotliBudgets = map[string]int{
	"fleetyard.wasm":      1_000_000,
	"fleetyard-full.wasm": 1_125_000,
}

// wasmFreedOf lists packages each module was freed of, each worth KBs of
// brotli: a new call on the wasm's paths would bring them back silently.
// The value says what to use instead.
var wasmFreedOf = map[string]map[string]string{
	"fleetyard.wasm": {
		"encoding/json":  "gen/jsonw",                     // 39 KB
		"archive/tar":    "gen/archive's tarWriter",       // 22 KB with time's formatter
		"compress/flate": "the full module (gen/archive)", // downloads only
		"archive/zip":    "the full module (gen/archive)",
		"regexp":         "the full module (share links, update)",
		"fmt":            "errors.New and strconv",
		"reflect":        "the field tables internal/specgen writes (spec decoder, AppendJSON)", // 28 KB
		"github.com/fleetyard/fleetyard/gen/update": "the full module (changes)",
		"crypto/hmac": "gen/sops's hmacSHA256", // with crypto/hkdf: 5 KB of brotli
		"crypto/hkdf": "gen/sops's hkdfSHA256",
	},
	"fleetyard-full.wasm": {
		"encoding/json": "gen/jsonw",
		"archive/tar":   "gen/archive's tarWriter",
		"archive/zip":   "gen/archive's zipWriter", // 21 KB with time's formatter and bufio
	},
}

// wasmFreedOfFuncs lists functions (by the prefix of the names Go's wasm
// linker gives them) each module was freed of although their package is
// still linked, with what to use instead.
var wasmFreedOfFuncs = map[string]map[string]string{
	"fleetyard.wasm": {
		// strings.NewReplacer's builders and tries: about 20 KB of code.
		"strings.__Replacer_.": "gen's byteEscaper and byteDropper",
		// time's calendar on a Time links the zone lookup and the local
		// zone's set-up: about 14 KB of code.
		"time.__Location_.lookup": "gen/sops's civil and daysFrom",
		"time.initLocal":          "gen/sops's civil and daysFrom",
		// The generic sort for ints: about 13 KB of code for one call.
		"slices.pdqsortOrdered_go.shape.int_": "sort.Slice (its code is linked anyway)",
	},
}

// TestStripWasmNamesMatchesLinker compiles the wasm module twice, with and
// without the linker's -s, and checks that stripping the name section
// ourselves gives exactly the linker's stripped bytes, so the published
// module is what `go build -ldflags=-s` makes, while the report names real
// packages.
func TestStripWasmNamesMatchesLinker(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles each wasm module twice")
	}
	for _, m := range wasmModules {
		t.Run(m.asset, func(t *testing.T) { checkWasmModule(t, m) })
	}
}

// checkWasmModule is TestStripWasmNamesMatchesLinker for one module.
func checkWasmModule(t *testing.T, m wasmModule) {
	dir := t.TempDir()
	// The site's own flags, with the linker's -s or without it.
	build := func(out, ldflags string) []byte {
		args := []string{"build"}
		for _, f := range wasmBuildFlags {
			if strings.HasPrefix(f, "-ldflags=") {
				f = "-ldflags=" + ldflags
			}
			args = append(args, f)
		}
		cmd := exec.Command("go", append(args, "-tags="+m.tags, "-o", filepath.Join(dir, out), "./wasm")...)
		cmd.Dir = ".."
		cmd.Env = wasmflags.Env()
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
		data, err := os.ReadFile(filepath.Join(dir, out))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	named := build("named.wasm", "-w")
	stripped := build("stripped.wasm", "-s -w")
	cmd := exec.Command("go", "list", "-deps", "-tags="+m.tags, "./wasm")
	cmd.Dir = ".."
	cmd.Env = wasmflags.Env()
	list, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := stripWasmNames(named, strings.Fields(string(list)))
	if err != nil {
		t.Fatal(err)
	}
	// The linker's build ID hashes the flags too, so it is the one
	// section allowed to differ.
	if !bytes.Equal(withoutBuildID(t, got), withoutBuildID(t, stripped)) {
		t.Fatalf("stripping the name section gives %d bytes, the linker's -s gives %d; apart from the build ID they must be identical", len(got), len(stripped))
	}
	if rep.Total != len(stripped) || rep.Code <= 0 || rep.Data <= 0 {
		t.Fatalf("report totals wrong: %+v", rep)
	}
	sum := 0
	pkgs := map[string]bool{}
	code := map[string]int{}
	for _, p := range rep.Packages {
		sum += p.Bytes
		pkgs[p.Package] = true
		code[p.Package] = p.Bytes
	}
	for _, want := range []string{"runtime", "github.com/fleetyard/fleetyard/gen", "github.com/fleetyard/fleetyard/gen/nix"} {
		if !pkgs[want] {
			t.Errorf("report has no package %q:\n%s", want, rep)
		}
	}
	for _, odd := range []string{"(unnamed)", "(other)"} {
		if pkgs[odd] {
			t.Errorf("some function bodies are counted as %s:\n%s", odd, rep)
		}
	}
	for pkg, use := range wasmFreedOf[m.asset] {
		// A package some linked package imports keeps its init (fmt's is
		// 494 bytes): more than that means its code is called again.
		if code[pkg] > 1024 {
			t.Errorf("%s is linked into %s again: use %s on its paths\n%s", pkg, m.asset, use, rep)
		}
	}
	for prefix, use := range wasmFreedOfFuncs[m.asset] {
		for _, f := range rep.Functions {
			if strings.HasPrefix(f.Name, prefix) {
				t.Errorf("%s (%d bytes) is linked into %s again: use %s", f.Name, f.Bytes, m.asset, use)
			}
		}
	}
	funcs := 0
	for _, f := range rep.Functions {
		funcs += f.Bytes
	}
	if funcs != sum || len(rep.Functions) < 1000 || rep.Functions[0].Bytes < rep.Functions[len(rep.Functions)-1].Bytes {
		t.Errorf("the function list (%d functions, %d bytes) does not add up to the packages' %d bytes, or is not sorted", len(rep.Functions), funcs, sum)
	}
	if sum > rep.Code || sum < rep.Code*99/100 {
		t.Errorf("packages sum to %d bytes of code, the code section is %d", sum, rep.Code)
	}
	// The budget (see wasmBrotliBudgets) bounds what is published, which
	// has the pclntab's function names blanked (blankFuncNames): only bytes
	// of the data section change, each to zero, over 100 KB of them.
	published, err := blankFuncNames(got)
	if err != nil {
		t.Fatal(err)
	}
	changed, first, last := 0, -1, -1
	for i := range got {
		if got[i] != published[i] {
			if published[i] != 0 {
				t.Fatalf("blankFuncNames wrote %#x at %d, want only zeros", published[i], i)
			}
			changed++
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	var data wasmSection
	secs, _ := wasmSections(got)
	for _, s := range secs {
		if s.id == 11 {
			data = s
		}
	}
	if len(published) != len(got) || changed < 100_000 || first < data.start || last >= data.end {
		t.Errorf("blankFuncNames changed %d bytes at %d..%d (data section %d..%d), want over 100,000 in the data section", changed, first, last, data.start, data.end)
	}
	br := brotliSize(published)
	budget := wasmBrotliBudgets[m.asset]
	t.Logf("published %s: %d bytes, %d brotli -q 11 (budget %d; %d with its function names)", m.asset, len(got), br, budget, brotliSize(got))
	if br > budget {
		t.Errorf("%s is %d bytes in brotli -q 11, over the budget of %d: see the size report for what grew\n%s", m.asset, br, budget, rep)
	}
	if !strings.Contains(rep.String(), "github.com/fleetyard/fleetyard/gen\n") {
		t.Errorf("report does not list gen:\n%s", rep)
	}
	t.Logf("\n%s", rep)
}

func TestStripWasmNamesRejectsGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("not wasm"), []byte("\x00asm\x01\x00\x00\x00\x0a\xff\xff\xff\xff\x0f")} {
		if _, _, err := stripWasmNames(in, nil); err == nil {
			t.Errorf("stripWasmNames(%q) succeeded", in)
		}
	}
}

func withoutBuildID(t *testing.T, m []byte) []byte {
	t.Helper()
	secs, err := wasmSections(m)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, s := range secs {
		if s.id == 0 && s.name == "go:buildid" {
			continue
		}
		out = append(out, m[s.start:s.end]...)
	}
	return out
}

// TestWasmCacheKeyHasFlags: the compiled module is cached by a hash of its
// sources; a change of build flags or tags must compile it again, or a
// build keeps serving the module the old flags made, or serves one module
// for the other.
func TestWasmCacheKeyHasFlags(t *testing.T) {
	b := &builder{opts: Options{Root: ".."}}
	before, err := b.wasmSourceHash("go1", "")
	if err != nil {
		t.Fatal(err)
	}
	full, err := b.wasmSourceHash("go1", "fytools")
	if err != nil {
		t.Fatal(err)
	}
	if full == before {
		t.Error("the full module (-tags fytools) has the generator module's cache key")
	}
	saved := wasmBuildFlags
	t.Cleanup(func() { wasmBuildFlags = saved })
	wasmBuildFlags = append(append([]string(nil), saved...), "-gcflags=all=-B")
	after, err := b.wasmSourceHash("go1", "")
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Error("changing the wasm build flags leaves the cache key as it was")
	}
}

// brotliSize is the size of data compressed as the brotli CLI's -q 11 does,
// with its window of 2^24 bytes: NewWriterLevel's default of 2^22 is smaller
// than the module, and gave figures up to 2 KB apart from the CLI's (and
// from TestMeasure's, which runs the CLI) for the same bytes.
func brotliSize(data []byte) int {
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: 11, LGWin: 24})
	w.Write(data)
	w.Close()
	return b.Len()
}
