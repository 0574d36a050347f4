package site

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The wasm module is compiled with its function names (the "name" custom
// section) so that every build can say which Go packages its code comes
// from; the names are then stripped before the module is published, which
// is what -ldflags=-s would have done. The format is the WebAssembly binary
// format: a header, then sections of (id byte, LEB128 size, contents).

// wasmSection is one section of a module: its id, and for custom sections
// (id 0) its name; body is the section's contents after the name.
type wasmSection struct {
	id    byte
	name  string
	start int // offset of the id byte in the module
	end   int // offset just past the section
	body  []byte
}

// PackageSize is the code one Go package contributes to the wasm module.
type PackageSize struct {
	Package string
	Bytes   int
}

// FuncSize is one function body in the wasm module, named as Go's wasm
// linker names it ("github.com_x_y_gen.__build_.emit" for
// github.com/x/y/gen.(*build).emit).
type FuncSize struct {
	Name  string
	Bytes int
}

// WasmReport says where a wasm module's bytes go: code per Go package, the
// data segments, and everything else.
type WasmReport struct {
	Total     int           // the published (stripped) module's size
	Code      int           // all function bodies
	Data      int           // the data section: Go's type data, strings, tables
	Packages  []PackageSize // code per package, biggest first
	Functions []FuncSize    // every function body, biggest first
}

// reportFunctions is how many of the biggest functions the report lists:
// the candidates for the next size work.
const reportFunctions = 10

// String prints the report as the build shows it: the biggest packages, then
// the rest summed, so growth is visible in every build's output.
func (r WasmReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wasm %d bytes: code %d, data %d, other %d\n", r.Total, r.Code, r.Data, r.Total-r.Code-r.Data)
	rest, shown := 0, 0
	for _, p := range r.Packages {
		if shown < 15 {
			fmt.Fprintf(&b, "  %8d  %s\n", p.Bytes, p.Package)
			shown++
			continue
		}
		rest += p.Bytes
	}
	if rest > 0 {
		fmt.Fprintf(&b, "  %8d  (%d more packages)\n", rest, len(r.Packages)-shown)
	}
	if len(r.Functions) > 0 {
		fmt.Fprintf(&b, "  biggest functions:\n")
	}
	for _, f := range r.Functions[:min(reportFunctions, len(r.Functions))] {
		fmt.Fprintf(&b, "  %8d  %s\n", f.Bytes, f.Name)
	}
	return b.String()
}

// stripWasmNames returns the module without its "name" custom section (the
// bytes to publish) and the per-package report computed from that section;
// packages are the import paths linked into the module.
func stripWasmNames(module []byte, packages []string) ([]byte, WasmReport, error) {
	var rep WasmReport
	secs, err := wasmSections(module)
	if err != nil {
		return nil, rep, err
	}
	var imported int
	var bodies []int
	names := map[int]string{}
	out := make([]byte, 0, len(module))
	out = append(out, module[:8]...)
	for _, s := range secs {
		switch {
		case s.id == 0 && s.name == "name":
			if err := readFuncNames(s.body, names); err != nil {
				return nil, rep, fmt.Errorf("wasm name section: %v", err)
			}
			continue // not published
		case s.id == 2:
			if imported, err = countFuncImports(s.body); err != nil {
				return nil, rep, fmt.Errorf("wasm import section: %v", err)
			}
		case s.id == 10:
			if bodies, err = codeSizes(s.body); err != nil {
				return nil, rep, fmt.Errorf("wasm code section: %v", err)
			}
			rep.Code = s.end - s.start
		case s.id == 11:
			rep.Data = s.end - s.start
		}
		out = append(out, module[s.start:s.end]...)
	}
	rep.Total = len(out)
	byPkg := map[string]int{}
	mangled := manglePackages(packages)
	for i, n := range bodies {
		byPkg[goPackage(names[imported+i], mangled)] += n
		rep.Functions = append(rep.Functions, FuncSize{names[imported+i], n})
	}
	sort.Slice(rep.Functions, func(i, j int) bool {
		a, b := rep.Functions[i], rep.Functions[j]
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		return a.Name < b.Name
	})
	for p, n := range byPkg {
		rep.Packages = append(rep.Packages, PackageSize{p, n})
	}
	sort.Slice(rep.Packages, func(i, j int) bool {
		a, b := rep.Packages[i], rep.Packages[j]
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		return a.Package < b.Package
	})
	return out, rep, nil
}

// goPackage is the package of a function as Go's wasm linker names it. The
// linker replaces every character outside [A-Za-z0-9_.] with '_', so
// "github.com/x/y/gen.(*build).emit" is stored as
// "github.com_x_y_gen.__build_.emit": which dot ends the package cannot be
// told from the name alone, so the module's package list (go list -deps)
// decides, longest match first. "type:" functions are the compiler's
// equality and hash functions for types; names without a dot are the
// runtime's assembly.
func goPackage(sym string, pkgs map[string]string) string {
	if sym == "" {
		return "(unnamed)"
	}
	if strings.HasPrefix(sym, "type_") {
		return "(type algorithms)"
	}
	for i := len(sym) - 1; i > 0; i-- {
		if sym[i] == '.' {
			if p, ok := pkgs[sym[:i]]; ok {
				return p
			}
		}
	}
	if !strings.Contains(sym, ".") {
		return "runtime" // the runtime's assembly: memeqbody, gcWriteBarrier, wasm_export_run…
	}
	if strings.HasPrefix(sym, "runtime_") {
		// The runtime's body of a function it lends another package by
		// linkname (runtime/debug.SetTraceback), named for a package the
		// module does not import.
		return "runtime"
	}
	return "(other)"
}

// manglePackages maps each package path as the wasm linker writes it to the
// real path.
func manglePackages(paths []string) map[string]string {
	m := make(map[string]string, len(paths)+1)
	m["main"] = "main" // the linker names the main package "main", not by its path
	for _, p := range paths {
		m[strings.Map(func(r rune) rune {
			if r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				return r
			}
			return '_'
		}, p)] = p
	}
	return m
}

func wasmSections(m []byte) ([]wasmSection, error) {
	if len(m) < 8 || string(m[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	var secs []wasmSection
	for i := 8; i < len(m); {
		start := i
		id := m[i]
		size, n, err := uleb(m[i+1:])
		if err != nil {
			return nil, err
		}
		i += 1 + n
		if size > uint64(len(m)-i) {
			return nil, fmt.Errorf("section %d at %d overruns the module", id, start)
		}
		body := m[i : i+int(size)]
		s := wasmSection{id: id, start: start, end: i + int(size), body: body}
		if id == 0 {
			name, rest, err := wasmName(body)
			if err != nil {
				return nil, err
			}
			s.name, s.body = name, rest
		}
		secs = append(secs, s)
		i = s.end
	}
	return secs, nil
}

func countFuncImports(b []byte) (int, error) {
	count, b, err := ulebNext(b)
	if err != nil {
		return 0, err
	}
	funcs := 0
	for range count {
		for range 2 { // module name, field name
			if _, b, err = wasmName(b); err != nil {
				return 0, err
			}
		}
		if len(b) == 0 {
			return 0, errors.New("truncated import")
		}
		kind := b[0]
		b = b[1:]
		switch kind {
		case 0: // function: type index
			funcs++
			_, b, err = ulebNext(b)
		case 1: // table: reference type, limits
			if len(b) == 0 {
				return 0, errors.New("truncated table import")
			}
			b, err = skipLimits(b[1:])
		case 2: // memory: limits
			b, err = skipLimits(b)
		case 3: // global: value type, mutability
			if len(b) < 2 {
				return 0, errors.New("truncated global import")
			}
			b = b[2:]
		default:
			return 0, fmt.Errorf("unknown import kind %d", kind)
		}
		if err != nil {
			return 0, err
		}
	}
	return funcs, nil
}

func skipLimits(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errors.New("truncated limits")
	}
	flags := b[0]
	b = b[1:]
	var err error
	if _, b, err = ulebNext(b); err != nil {
		return nil, err
	}
	if flags&1 != 0 {
		_, b, err = ulebNext(b)
	}
	return b, err
}

func codeSizes(b []byte) ([]int, error) {
	count, b, err := ulebNext(b)
	if err != nil {
		return nil, err
	}
	sizes := make([]int, 0, count)
	for range count {
		size, n, err := uleb(b)
		if err != nil {
			return nil, err
		}
		if size > uint64(len(b)-n) {
			return nil, errors.New("function body overruns the section")
		}
		sizes = append(sizes, n+int(size))
		b = b[n+int(size):]
	}
	return sizes, nil
}

// readFuncNames reads subsection 1 (function names) of the name section.
func readFuncNames(b []byte, names map[int]string) error {
	for len(b) > 0 {
		id := b[0]
		size, n, err := uleb(b[1:])
		if err != nil {
			return err
		}
		b = b[1+n:]
		if size > uint64(len(b)) {
			return errors.New("subsection overruns the section")
		}
		sub := b[:size]
		b = b[size:]
		if id != 1 {
			continue
		}
		count, sub, err := ulebNext(sub)
		if err != nil {
			return err
		}
		for range count {
			var idx uint64
			var name string
			if idx, sub, err = ulebNext(sub); err != nil {
				return err
			}
			if name, sub, err = wasmName(sub); err != nil {
				return err
			}
			names[int(idx)] = name
		}
	}
	return nil
}

func wasmName(b []byte) (string, []byte, error) {
	n, b, err := ulebNext(b)
	if err != nil {
		return "", nil, err
	}
	if n > uint64(len(b)) {
		return "", nil, errors.New("name overruns its section")
	}
	return string(b[:n]), b[n:], nil
}

func ulebNext(b []byte) (uint64, []byte, error) {
	v, n, err := uleb(b)
	if err != nil {
		return 0, nil, err
	}
	return v, b[n:], nil
}

// uleb decodes an unsigned LEB128 number (at most 32 bits in wasm).
func uleb(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(b) && i < 5; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errors.New("bad LEB128 number")
}
