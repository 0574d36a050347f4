package site

import (
	"strings"
	"testing"
)

// TestBlankFuncNamesRefuses: a module blankFuncNames cannot read as Go's
// is an error that says why, never a module published half-checked. The
// real module is TestStripWasmNamesMatchesLinker's.
func TestBlankFuncNamesRefuses(t *testing.T) {
	header := "\x00asm\x01\x00\x00\x00"
	// segment builds a data section of one active segment at addr 16.
	segment := func(body string) string {
		seg := "\x01\x00\x41\x10\x0b" + string(rune(len(body))) + body
		return "\x0b" + string(rune(len(seg))) + seg
	}
	magic := "\xf1\xff\xff\xff\x00\x00\x01\x08"
	zeros := strings.Repeat("\x00", 64)
	for _, c := range []struct{ name, module, want string }{
		{"not wasm", "hello", "not a WebAssembly module"},
		{"no data", header, "no data section"},
		{"no pclntab", header + segment("just some bytes"), "found 0 Go pclntab headers"},
		{"two pclntabs", header + segment(magic+magic), "found 2 Go pclntab headers"},
		{"empty header", header + segment(magic+zeros), "does not read as one"},
		{"passive segment", header + "\x0b\x04\x01\x01\x00\x00", "not an active one"},
		{"overrun", header + "\x0b\x07\x01\x00\x41\x10\x0b\x7f\x00", "overruns"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := blankFuncNames([]byte(c.module))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("blankFuncNames = %d bytes, %v; want an error saying %q", len(out), err, c.want)
			}
		})
	}
}
