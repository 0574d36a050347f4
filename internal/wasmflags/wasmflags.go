// Package wasmflags holds the go build flags and environment of the wasm
// modules the site publishes, shared by the site builder and the tests that
// must compile the same code.
package wasmflags

import "os"

// Build returns the go build flags of the published wasm module, a new
// slice on every call. The site builder compiles the playground's modules
// with them, and the parity tests (internal/parity) compile the generator's
// tests under Node with them, so those tests check the code as it is
// shipped. -ldflags=-w drops DWARF but keeps the name
// section, which compileWasm reads for the size report and then strips (the
// linker's -s).
//
// Inlining is off (-l) except in the runtime and the standard packages the
// generator's inner loops run in. An
// inlined call is a copy of the callee's code plus its inline tree in the
// pc tables, and both compress badly: with this list the
// module is 75 KB smaller in brotli (1,178,141 → 1,102,784 bytes, Go 1.26)
// and regenerating large.json in Chromium's worker took the same time (min
// 75-77 ms against 74-116, same run). Inlining off in gen/nix, gen/jsonw
// and gen/jsonpos as well saves 13 KB more but made regeneration 10-20%
// slower; off everywhere, 134 KB but 45% slower (calls in Go's wasm are
// costly, and the runtime's small helpers are called everywhere). The JSON
// reader (gen/jsonpos) lost its inlining later: 3 KB of brotli, and under
// Node parsing large.json took 22.8 ms either way and a name keystroke
// 9.4-9.7 ms against 9.1-9.6 (three alternating runs, Go 1.26). strconv
// and math/... lost it too, when the README's first-deploy text took the
// module just over its budget: 5.9 and 1.0 KB of brotli (sync/... would
// give 2.9, unicode/... 2.1, sort and maps nothing), and under Node a
// one-field edit of large.json took 8.2-12.2 ms against 8.8-10.3 with
// strconv's inlining, everything changed 26.5-39.9 against 25.9-29.4,
// a typed name 9.2-10.3 against 9.3-10.3 (three alternating runs: the
// spread is this machine's, no run was consistently slower). strings,
// unicode/... and gen/jsonw lost it when the JSON reader learned to parse
// only the value a keystroke changed (jsonpos.Reparse, about 8 KB of
// brotli): together 11 KB of brotli (1,006,506 → 995,541; brotli's result
// moves by a kilobyte or two with the layout, so the packages' shares do not
// add up). Those packages' own functions are under 2 % of a keystroke's
// profile under Node, and what they lose is one call into their internal
// helpers (strings.Index → stringslite.Index); under Node the keystrokes
// of large.json took the same time without unicode/... and gen/jsonw's
// (eight alternating runs: one field 10.0-11.4 ms against 9.4-11.3,
// everything changed 31.9-34.4 against 29.9-41.3, a typed name 9.5-11.3
// against 9.8-12.4). gen/nix lost it next, when brotli's result for the
// module had come within a kilobyte of the budget and moved by up to 3.6 KB
// with changes of a few bytes (84641a1: 11 bytes less code, 3.6 KB more
// brotli): 13 KB of brotli, for room that such moves cannot use up. The
// 10-20 % slower printing measured when it kept its inlining was from
// before the Cache: under Node, a cold generation of large.json took
// 249-266 ms without it against 252-298 with it, a one-field keystroke
// 10.7-15.2 against 12.5-14.4 and everything changed (203 files printed
// again) 41.8-63.8 against 38.8-49.6 (three alternating runs each).
// sync/... lost it when the decoder began to check every string for
// private key material and the module went 3 KB over its budget: 4.5 KB of
// brotli (1,003,069 → 998,569). Under Node, eight alternating runs of the
// keystrokes of large.json, without it against with it: one field
// 7.3-12.4 ms (median 8.9) against 7.5-9.8 (7.9), everything changed
// 34.6-53.6 (38.8) against 33.5-49.0 (36.0), a typed name 6.3-10.8 (6.9)
// against 6.1-10.4 (7.2): the fastest runs are the same, the medians within
// this machine's spread.
//
// wasm-opt (Debian's binaryen 108) was measured and is not used: after it
// the module compresses worse (-Oz: 11 KB more brotli, -Os 7 KB, -O4 27 KB)
// or barely better (-O1, -O2: 3.5 KB less, for 9-15 s of build), and the
// time to instantiate and to generate did not change measurably.
func Build() []string {
	return []string{
		"-trimpath", "-ldflags=-w",
		"-gcflags=all=-l",
		// The last pattern a package matches wins: these keep the default.
		"-gcflags=runtime=", "-gcflags=internal/...=", "-gcflags=syscall/js=",
		"-gcflags=bytes=", "-gcflags=slices=", "-gcflags=maps=", "-gcflags=sort=",
	}
}

// Experiment is the GOEXPERIMENT the published modules are built with.
//
// nogreenteagc puts back the garbage collector of Go 1.24 and 1.25, whose
// runtime code is smaller: the generator module lost 45 KB of code and about
// 5 KB of brotli (999,713 → 994,793 bytes, Go 1.26.8), and the keystrokes of
// large.json under Node were no slower (three alternating runs of 20: a
// cold generation 35.5-42.6 ms against 41.1-43.3 with Green Tea, one field
// 4.8-8.0 against 5.3-10.8, everything changed 34.2-36.4 against
// 35.2-36.2). Green Tea's gains are in scanning many objects on many cores;
// the playground's worker runs one goroutine at a time on one thread. Go's
// release notes say the setting goes away in a later release: the build then
// fails with "unknown GOEXPERIMENT", and this line must go.
const Experiment = "nogreenteagc"

// Env is the environment the published modules are built in: the caller's,
// for GOOS=js GOARCH=wasm, with Experiment and without GOFLAGS. go build
// records GOFLAGS in the module's build info, so CI's (-timeout=30m, for go
// test) made other bytes than a local build, and brotli a size 1.4 KB apart
// (1,000,162 against 998,774): the budget's figure must not depend on who
// builds. Later entries win in os/exec, so the caller's own GOEXPERIMENT
// does not change the published bytes either.
func Env() []string {
	return append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=", "GOEXPERIMENT="+Experiment)
}
