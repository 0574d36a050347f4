// Package fileid names a generated file's bytes for the playground: two
// files have the same ID exactly when (short of a 64-bit checksum
// collision between two versions of one file) they have the same bytes. The
// worker sends it with every changed file and the page compares IDs to mark
// changed files and to skip redrawing a preview; the site's pre-rendered
// output carries the same IDs, so that the page's first real answer is
// compared with it like any other.
//
// It is a CRC-64 and the length, not a SHA-256: the worker computes it for
// every file a keystroke changes (README.md, fleet.json and the manifest of
// a large fleet are a few hundred KB), and in WebAssembly CRC-64 runs at
// about 1.6 GB/s where SHA-256 runs at 150 MB/s. Nothing relies on it
// against an adversary: the bytes are the user's own generation.
package fileid

import (
	"hash/crc64"
	"strconv"
)

var table = crc64.MakeTable(crc64.ECMA)

// Of returns data's ID: its length in decimal, a dash, and its CRC-64
// (ECMA) in 16 hex digits.
func Of(data []byte) string {
	b := make([]byte, 0, 32)
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, '-')
	sum := crc64.Checksum(data, table)
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[sum>>uint(shift)&0xf])
	}
	return string(b)
}
