package archive

import (
	"strconv"
	"unicode/utf8"
)

// The tar format written by hand, as archive/tar would for our entries:
// archive/tar's Writer pulls in fmt and time's layout engine (its header
// checks put a time.Time in an interface), about 15 KB of the
// brotli-compressed wasm. Every entry here is a directory or a regular
// file with a fixed mtime and no owner names, so the writer is small:
// a POSIX ustar header per entry, and a PAX extended header ('x') first
// when the name fits no ustar header (too long, or not ASCII).

const tarBlock = 512

// tarWriter appends tar entries to buf.
type tarWriter struct{ buf []byte }

// dir adds a directory entry; name ends in '/'.
func (w *tarWriter) dir(name string, mode int64, mtime int64) {
	w.entry(name, '5', mode, mtime, nil)
}

// file adds a regular file.
func (w *tarWriter) file(name string, mode int64, mtime int64, data []byte) {
	w.entry(name, '0', mode, mtime, data)
}

// close ends the archive with two zero blocks, as tar readers expect.
func (w *tarWriter) close() []byte {
	return append(w.buf, make([]byte, 2*tarBlock)...)
}

func (w *tarWriter) entry(name string, flag byte, mode, mtime int64, data []byte) {
	prefix, short, ok := ustarName(name)
	if !ok {
		// The full name goes in a PAX record; the ustar header keeps a
		// truncated copy for readers that know no PAX.
		rec := paxRecord("path", name)
		w.header(paxHeaderName(name), "", 'x', 0o644, mtime, int64(len(rec)))
		w.data([]byte(rec))
		prefix, short = "", truncateASCII(name, 100)
	}
	w.header(short, prefix, flag, mode, mtime, int64(len(data)))
	w.data(data)
}

// data appends b padded to whole blocks.
func (w *tarWriter) data(b []byte) {
	w.buf = append(w.buf, b...)
	if r := len(b) % tarBlock; r != 0 {
		w.buf = append(w.buf, make([]byte, tarBlock-r)...)
	}
}

func (w *tarWriter) header(name, prefix string, flag byte, mode, mtime, size int64) {
	var h [tarBlock]byte
	copy(h[0:100], name)
	octal(h[100:108], mode)
	octal(h[108:116], 0) // uid
	octal(h[116:124], 0) // gid
	octal(h[124:136], size)
	octal(h[136:148], mtime)
	h[156] = flag
	copy(h[257:263], "ustar\x00")
	copy(h[263:265], "00")
	octal(h[329:337], 0) // devmajor
	octal(h[337:345], 0) // devminor
	copy(h[345:500], prefix)
	// The checksum is the sum of the header's bytes with the checksum
	// field itself read as eight spaces.
	copy(h[148:156], "        ")
	sum := int64(0)
	for _, c := range h {
		sum += int64(c)
	}
	octal(h[148:155], sum)
	h[155] = ' '
	w.buf = append(w.buf, h[:]...)
}

// octal writes v as zero-padded octal digits followed by a NUL, filling f.
func octal(f []byte, v int64) {
	s := strconv.FormatInt(v, 8)
	n := len(f) - 1
	for i := range n {
		f[i] = '0'
	}
	copy(f[n-len(s):n], s)
	f[n] = 0
}

// ustarName splits name into ustar's prefix and name fields: the name
// alone when it fits in 100 bytes, else at a slash with at most 155 bytes
// before it and 100 after. ok is false when neither fits or the name is
// not ASCII (ustar fields carry bytes with no stated encoding).
func ustarName(name string) (prefix, short string, ok bool) {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf || name[i] == 0 {
			return "", "", false
		}
	}
	if len(name) <= 100 {
		return "", name, true
	}
	for i := len(name) - 1; i > 0; i-- {
		if name[i] != '/' {
			continue
		}
		if i <= 155 && len(name)-i-1 <= 100 && len(name)-i-1 > 0 {
			return name[:i], name[i+1:], true
		}
	}
	return "", "", false
}

// paxRecord is one "<length> <key>=<value>\n" record, whose length counts
// its own digits.
func paxRecord(key, value string) string {
	body := " " + key + "=" + value + "\n"
	n := len(body) + 1
	for len(strconv.Itoa(n))+len(body) != n {
		n++
	}
	return strconv.Itoa(n) + body
}

// paxHeaderName names the extended header entry after its file, short
// enough for any reader.
func paxHeaderName(name string) string {
	base := name
	for i := len(base) - 2; i >= 0; i-- {
		if base[i] == '/' {
			base = base[i+1:]
			break
		}
	}
	return truncateASCII("PaxHeaders/"+base, 100)
}

// truncateASCII keeps the first n bytes of s with non-ASCII bytes replaced,
// for the informational name fields of PAX entries.
func truncateASCII(s string, n int) string {
	b := []byte(s)
	for i, c := range b {
		if c >= utf8.RuneSelf || c == 0 {
			b[i] = '_'
		}
	}
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}
