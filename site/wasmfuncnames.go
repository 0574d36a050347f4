package site

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Go keeps a name for every function in the module's data, in the function
// name table of its pclntab (runtime.funcnametab), apart from the wasm
// "name" section that stripWasmNames drops: the runtime reads it only to
// print them, in tracebacks and runtime.FuncForPC. It was about 150 KB of
// the generator module's data and 22 KB of its brotli, for names nobody
// sees: the worker does not recover panics, and a crash in the playground
// is reproduced with `go test`, which has them.
//
// blankFuncNames fills that table with zero bytes, in place, so every name
// is empty and every other byte of the module stays where it was. The
// runtime does not read them for anything it does (funcID, not names, marks
// its special functions), with two
// exceptions that make no difference here: runtime goroutines count as
// user goroutines in runtime.NumGoroutine and tracebacks, and a nil
// pointer passed to a value method's wrapper stops the runtime with a
// throw instead of a panic, which ends the worker as an unrecovered panic
// would. A traceback still has every file and line (runtime.filetab and
// the line tables are kept).
//
// The pclntab's layout is Go's (runtime/symtab.go, pcHeader): a magic
// number, then the offsets of its tables, the names first, up to the
// compilation-unit table. A Go release that changes it changes the magic,
// and the build stops here rather than publish a module it cannot check.
func blankFuncNames(module []byte) ([]byte, error) {
	secs, err := wasmSections(module)
	if err != nil {
		return nil, err
	}
	var data *wasmSection
	for i := range secs {
		if secs[i].id == 11 {
			data = &secs[i]
		}
	}
	if data == nil {
		return nil, errors.New("the module has no data section")
	}
	segs, err := dataSegments(module, data)
	if err != nil {
		return nil, fmt.Errorf("wasm data section: %v", err)
	}
	// pcHeader: magic uint32 (Go 1.20's 0xfffffff1), pad1 and pad2 (0),
	// minLC (1 on wasm), ptrSize (8).
	magic := []byte{0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8}
	var header []int
	for _, s := range segs {
		body := module[s.at : s.at+s.size]
		for i := 0; ; {
			k := bytes.Index(body[i:], magic)
			if k < 0 {
				break
			}
			header = append(header, s.addr+i+k)
			i += k + 1
		}
	}
	if len(header) != 1 {
		return nil, fmt.Errorf("found %d Go pclntab headers (magic 0xfffffff1, Go 1.20 to 1.26) in the module's data, want 1: a new Go release may have changed the format, see blankFuncNames", len(header))
	}
	// After the 8 bytes above: nfunc, nfiles, textStart, then the offsets
	// (from the header) of funcnametab, cutab, filetab, pctab and functab.
	var f [8]uint64
	fields := readData(module, segs, header[0]+8, 64)
	for i := range f {
		f[i] = binary.LittleEndian.Uint64(fields[8*i:])
	}
	names, cu := f[3], f[4]
	if f[0] == 0 || names == 0 || names >= cu || cu > f[5] || f[5] > f[6] || f[6] > f[7] || f[7] > 1<<30 {
		return nil, fmt.Errorf("the Go pclntab header at %#x does not read as one (%v): a new Go release may have changed the format, see blankFuncNames", header[0], f)
	}
	out := bytes.Clone(module)
	from, to := header[0]+int(names), header[0]+int(cu)
	for _, s := range segs {
		lo, hi := max(from, s.addr), min(to, s.addr+s.size)
		if lo < hi {
			clear(out[s.at+lo-s.addr : s.at+hi-s.addr])
		}
	}
	return out, nil
}

// A dataSegment is an active data segment of the module: size bytes at
// memory address addr, found at offset at of the module.
type dataSegment struct {
	addr, at, size int
}

// dataSegments reads the data section's segments. Go's linker writes only
// active segments of memory 0, each placed by an i32.const, and leaves the
// runs of zero bytes between them out.
func dataSegments(module []byte, data *wasmSection) ([]dataSegment, error) {
	b := data.body
	count, b, err := ulebNext(b)
	if err != nil {
		return nil, err
	}
	segs := make([]dataSegment, 0, count)
	for range count {
		var mode, addr, size uint64
		if mode, b, err = ulebNext(b); err != nil {
			return nil, err
		}
		if mode != 0 || len(b) < 1 || b[0] != 0x41 {
			return nil, errors.New("a segment is not an active one placed by i32.const")
		}
		// The address is a signed LEB128; Go's are below 2^31, so it reads
		// as unsigned when the sign bit of its last byte is clear.
		n := 0
		if addr, n, err = uleb(b[1:]); err != nil || b[n]&0x40 != 0 {
			return nil, errors.New("bad segment address")
		}
		b = b[1+n:]
		if len(b) < 1 || b[0] != 0x0b {
			return nil, errors.New("a segment's address is not a single i32.const")
		}
		if size, b, err = ulebNext(b[1:]); err != nil {
			return nil, err
		}
		if size > uint64(len(b)) {
			return nil, errors.New("a segment overruns the section")
		}
		// body ends where the section does.
		segs = append(segs, dataSegment{addr: int(addr), at: data.end - len(b), size: int(size)})
		b = b[size:]
	}
	return segs, nil
}

// readData returns n bytes of memory from address addr as the segments
// initialize it: zero where no segment covers it.
func readData(module []byte, segs []dataSegment, addr, n int) []byte {
	out := make([]byte, n)
	for _, s := range segs {
		lo, hi := max(addr, s.addr), min(addr+n, s.addr+s.size)
		if lo < hi {
			copy(out[lo-addr:], module[s.at+lo-s.addr:s.at+hi-s.addr])
		}
	}
	return out
}
