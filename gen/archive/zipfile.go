package archive

import (
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"unicode/utf8"
)

// The zip format written by hand, as archive/zip writes our entries:
// archive/zip puts its headers, and the time.Time in them, in interfaces,
// which keeps time's layout engine and zone code in the full wasm module
// (about 120 KB of code with archive/zip and bufio). Every entry here is a
// directory (stored, no data) or a deflated regular file, all with the one
// fixed archiveMtime, so the writer is small. TestZipMatchesArchiveZip keeps
// it byte for byte archive/zip's.

const (
	zipLocalSig      = 0x04034b50
	zipCentralSig    = 0x02014b50
	zipDescriptorSig = 0x08074b50
	zipEndSig        = 0x06054b50
	zip64EndSig      = 0x06064b50
	zip64LocatorSig  = 0x07064b50

	zipVersion20 = 20                  // the version needed to read deflate
	zipVersion45 = 45                  // and zip64
	zipCreator   = 3<<8 | zipVersion20 // made on Unix (external attributes are Unix modes)

	zipFlagDescriptor = 0x8   // sizes and CRC follow the data
	zipFlagUTF8       = 0x800 // the name is UTF-8, not CP-437

	zipStore   = 0
	zipDeflate = 8

	// archiveMtime (1980-01-01 00:00:00 UTC) in MS-DOS form: day 1, month
	// 1, year 1980+0; midnight (TestZipTimeConstants).
	zipDOSDate = 1 | 1<<5 | 0<<9
	zipDOSTime = 0
)

// zipEntry is what the central directory repeats of each entry.
type zipEntry struct {
	name              string
	flags, method     uint16
	crc, csize, usize uint32
	attrs             uint32 // external attributes: Unix mode << 16 | MS-DOS bits
	offset            uint64
}

// zipWriter appends zip entries to buf.
type zipWriter struct {
	buf     []byte
	entries []zipEntry
	// fw is reused across files: a BestCompression flate.Writer is about
	// 1 MB of state to allocate and clear.
	fw *flate.Writer
}

// dir adds a directory entry; name ends in '/'.
func (w *zipWriter) dir(name string, perm uint32) {
	e := zipEntry{name: name, method: zipStore, attrs: zipAttrs(0o040000, perm) | 0x10} // MS-DOS directory
	e.flags = zipNameFlags(name)
	w.local(&e)
	w.entries = append(w.entries, e)
}

// file adds a regular file, deflated at flate.BestCompression.
func (w *zipWriter) file(name string, perm uint32, data []byte) {
	e := zipEntry{name: name, method: zipDeflate, attrs: zipAttrs(0o100000, perm)}
	e.flags = zipNameFlags(name) | zipFlagDescriptor
	w.local(&e)
	start := len(w.buf)
	sink := appendWriter{&w.buf}
	if w.fw == nil {
		w.fw, _ = flate.NewWriter(sink, flate.BestCompression)
	} else {
		w.fw.Reset(sink)
	}
	w.fw.Write(data)
	w.fw.Close()
	e.crc = crc32.ChecksumIEEE(data)
	e.csize = uint32(len(w.buf) - start)
	e.usize = uint32(len(data))
	w.u32(zipDescriptorSig)
	w.u32(e.crc)
	w.u32(e.csize)
	w.u32(e.usize)
	w.entries = append(w.entries, e)
}

// close writes the central directory and its end record, with the zip64
// end records when there are 65535 entries or more.
func (w *zipWriter) close() []byte {
	start := uint64(len(w.buf))
	for _, e := range w.entries {
		w.u32(zipCentralSig)
		w.u16(zipCreator)
		w.fields(&e, e.crc, e.csize, e.usize)
		w.u16(0) // no comment
		w.u16(0) // disk number start
		w.u16(0) // internal attributes
		w.u32(e.attrs)
		w.u32(uint32(e.offset))
		w.buf = append(w.buf, e.name...)
		w.extTime()
	}
	end := uint64(len(w.buf))
	records, size, offset := uint64(len(w.entries)), end-start, start
	if records >= 0xffff {
		w.u32(zip64EndSig)
		w.u64(44) // the record's length after this field
		w.u16(zipVersion45)
		w.u16(zipVersion45)
		w.u32(0) // this disk
		w.u32(0) // the central directory's disk
		w.u64(records)
		w.u64(records)
		w.u64(size)
		w.u64(offset)
		w.u32(zip64LocatorSig)
		w.u32(0)   // the disk with the zip64 end record
		w.u64(end) // where the zip64 end record is
		w.u32(1)   // disks in all
		records, size, offset = 0xffff, 0xffffffff, 0xffffffff
	}
	w.u32(zipEndSig)
	w.u16(0) // this disk
	w.u16(0) // the central directory's disk
	w.u16(uint16(records))
	w.u16(uint16(records))
	w.u32(uint32(size))
	w.u32(uint32(offset))
	w.u16(0) // no comment
	return w.buf
}

// local writes an entry's local header; a file's sizes and CRC come after
// its data (the descriptor), a directory's are zero.
func (w *zipWriter) local(e *zipEntry) {
	e.offset = uint64(len(w.buf))
	w.u32(zipLocalSig)
	w.fields(e, 0, 0, 0)
	w.buf = append(w.buf, e.name...)
	w.extTime()
}

// fields writes what the local and central headers share, from the version
// needed to the extra field's length (the extended timestamp's 9 bytes).
func (w *zipWriter) fields(e *zipEntry, crc, csize, usize uint32) {
	w.u16(zipVersion20)
	w.u16(e.flags)
	w.u16(e.method)
	w.u16(zipDOSTime)
	w.u16(zipDOSDate)
	w.u32(crc)
	w.u32(csize)
	w.u32(usize)
	w.u16(uint16(len(e.name)))
	w.u16(9)
}

// extTime is the Info-ZIP "extended timestamp" extra field with the
// modification time only, the same in local and central headers.
func (w *zipWriter) extTime() {
	w.u16(0x5455)
	w.u16(5)
	w.buf = append(w.buf, 1) // flags: modification time present
	w.u32(archiveMtime)
}

func (w *zipWriter) u16(v uint16) { w.buf = binary.LittleEndian.AppendUint16(w.buf, v) }
func (w *zipWriter) u32(v uint32) { w.buf = binary.LittleEndian.AppendUint32(w.buf, v) }
func (w *zipWriter) u64(v uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, v) }

// zipAttrs: the Unix file type and permissions in the high half, and the
// MS-DOS read-only bit when the owner cannot write.
func zipAttrs(fileType, perm uint32) uint32 {
	a := (fileType | perm&0o777) << 16
	if perm&0o200 == 0 {
		a |= 0x01
	}
	return a
}

// zipNameFlags sets the UTF-8 flag for names CP-437 readers would get
// wrong, as archive/zip decides: any byte outside 0x20..0x7d or a
// backslash (EUC-KR and Shift-JIS read 0x5c and 0x7e differently), in a
// valid UTF-8 name.
func zipNameFlags(name string) uint16 {
	if !utf8.ValidString(name) {
		return 0
	}
	for _, r := range name {
		if r < 0x20 || r > 0x7d || r == 0x5c {
			return zipFlagUTF8
		}
	}
	return 0
}

// appendWriter is an io.Writer appending to a byte slice.
type appendWriter struct{ buf *[]byte }

func (a appendWriter) Write(p []byte) (int, error) {
	*a.buf = append(*a.buf, p...)
	return len(p), nil
}
