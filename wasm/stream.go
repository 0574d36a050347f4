package main

// The generate path: one generation, answered as the changes since what
// the same stream was last sent. The page keeps the full state and merges
// (static/ts/genstream.ts); a keystroke that changes one file then crosses
// the wasm boundary, the JSON encoder and postMessage as that one file, not
// as the whole repository.
//
// A keystroke's answer leaves the manifest (.fleetyard/generated.json) as
// the page last saw it: the manifest holds the SHA-256 of every file, which
// in wasm costs a fifth of a keystroke on a large fleet. The worker asks for
// it with settle once no request is waiting, and the page merges that
// answer like any other (static/ts/worker.ts).
//
// The base number keeps the two sides honest. Every answer gets a new
// sequence number; a delta's Base is the stream's previous answer. The page
// merges every answer it receives in order, so when a request names a base
// of the stream's current lineage (from its last full answer on) the page
// will hold exactly the previous answer by the time this one arrives, even
// if requests overtook answers. Any other base (0, unknown, from before a
// reset) gets a full answer, which starts a new lineage.

import (
	"bytes"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/fileid"
)

// maxStreams bounds what a session remembers: the playground uses two
// streams (the editor, an update's starting point), a docs page one per live
// example. A stream evicted for a newer one just gets a full answer next.
const maxStreams = 16

// streams is the per-stream memory of a session.
type streams struct {
	byName map[string]*stream
	// seq numbers answers across streams, so a base never names an answer
	// of another stream or of an older lineage of its own.
	seq int
	// tick orders streams by use, for eviction.
	tick int
	// recent is the latest generation's files of any stream by path: a
	// full answer finds the IDs of unchanged files there.
	recent map[string]*sentFile
	// blob is the buffer answers' file bytes are packed into, reused from
	// one answer to the next: the worker copies it to JavaScript before it
	// takes the next call, and a keystroke's answer (README.md, fleet.json
	// and the manifest of large.json, about 300 KB) would otherwise be a
	// fresh allocation, and later a collection, every time.
	blob []byte
}

// sentFile is a file as a stream's last answer left it on the page.
type sentFile struct {
	path   string
	mode   uint32
	data   []byte
	id     string // fileid.Of(data)
	binary bool
}

// stream is what one stream was last answered.
type stream struct {
	// seq is the last answer; root is the last full answer (the lineage).
	seq, root int
	used      int
	// files is the page's file list: the last successful generation's, in
	// order (a failed one sends none and changes none), and byPath indexes it.
	files  []*sentFile
	byPath map[string]*sentFile
	// What the last answer carried (nil or empty when it carried none).
	fleet     *FleetOut
	access    []AccessOut
	terraform []byte
	diags     []gen.Diagnostic
	// manifest builds the manifest of the last generation when files still
	// holds an older one (settle); nil when files is up to date.
	manifest func() gen.File
}

// generate runs one generation for stream name (the request's slot; "" is
// a one-off that is answered in full and not remembered) and answers it
// relative to base, returning the result and the data blob its files point
// into (only the files in the answer). The blob is the session's and valid
// until its next generate: copy what must outlive that.
func (s *session) generate(specJSON, entropyHex, timeRFC3339, name string, base int) (GenerateResult, []byte) {
	ss := &s.streams
	old := ss.byName[name]
	delta := old != nil && base != 0 && base >= old.root && base <= old.seq
	ss.seq++
	ss.tick++
	next := &stream{seq: ss.seq, root: ss.seq, used: ss.tick}
	res := GenerateResult{Diagnostics: []gen.Diagnostic{}, Files: []FileOut{}, Seq: ss.seq}
	if delta {
		res.Base = old.seq
		next.root = old.root
		// A failed generation leaves the page's files as they are.
		next.files, next.byPath = old.files, old.byPath
	}
	var files []gen.File
	var access []gen.SecretFile
	var tf []byte
	var manifest func() gen.File
	opt, err := s.options(entropyHex, timeRFC3339)
	if err != nil {
		res.Error = err.Error()
	} else {
		spec, diags := s.cache.Parse([]byte(specJSON))
		if diags != nil {
			res.Diagnostics = diags
		}
		if spec != nil && !gen.HasErrors(diags) {
			next.fleet = fleetOf(spec.Spec())
			files, manifest, err = gen.GenerateManifestLater(spec, opt)
			if err != nil {
				res.Error = err.Error()
			} else {
				res.OK = true
				access = spec.Access()
				tf = spec.Terraform()
			}
		}
	}
	var blob []byte
	if res.OK {
		var prev *stream
		var man *sentFile // the manifest the page holds
		if delta {
			prev, man = old, old.byPath[gen.ManifestPath]
		}
		if man != nil {
			// A keystroke: the page keeps the manifest it has until settle.
			files = withManifest(files, gen.File{Path: man.path, Mode: man.mode, Data: man.data})
			next.manifest = manifest
			res.ManifestLater = true
		} else {
			files = withManifest(files, manifest())
		}
		blob = ss.files(&res, prev, old, next, files)
		if next.manifest != nil && old.manifest == nil && len(res.Files) == 0 && res.Removed == nil && res.Order == nil {
			// Not a byte changed since a settled answer, so neither did the
			// manifest, which reads only the other files.
			next.manifest, res.ManifestLater = nil, false
		}
	} else if !delta {
		next.files, next.byPath = nil, nil
	}

	// Fleet, Access and Terraform: sent when they differ from the last answer.
	if delta && equalFleet(old.fleet, next.fleet) {
		res.SameFleet = true
		next.fleet = old.fleet
	} else {
		res.Fleet = next.fleet
	}
	if delta && sameAccess(access, old.access) {
		res.SameAccess = true
		next.access = old.access
	} else {
		next.access = accessOut(access)
		res.Access = next.access
	}
	if delta && bytes.Equal(tf, old.terraform) {
		res.SameTerraform = true
		next.terraform = old.terraform
	} else {
		next.terraform = tf
		res.Terraform = string(tf)
	}
	next.diags = res.Diagnostics
	if name != "" {
		ss.keep(name, next)
	}
	return res, blob
}

// settle answers stream name with the manifest its last answer left as it
// was, as a delta of that answer (the manifest alone, or nothing when it
// came out the same). ok is false when the stream has nothing to settle.
// The blob is valid until the session's next call, as generate's.
func (s *session) settle(name string) (res GenerateResult, blob []byte, ok bool) {
	ss := &s.streams
	old := ss.byName[name]
	if old == nil || old.manifest == nil {
		return res, nil, false
	}
	files := make([]gen.File, 0, len(old.files))
	for _, f := range old.files {
		if f.path != gen.ManifestPath {
			files = append(files, gen.File{Path: f.path, Mode: f.mode, Data: f.data})
		}
	}
	files = withManifest(files, old.manifest())
	ss.seq++
	ss.tick++
	next := &stream{seq: ss.seq, root: old.root, used: ss.tick, fleet: old.fleet, access: old.access, terraform: old.terraform, diags: old.diags}
	res = GenerateResult{OK: true, Diagnostics: old.diags, Files: []FileOut{}, Base: old.seq, Seq: ss.seq, SameFleet: true, SameAccess: true, SameTerraform: true}
	blob = ss.files(&res, old, old, next, files)
	ss.keep(name, next)
	return res, blob, true
}

// withManifest returns files (sorted by path, without the manifest) with
// man in its place: a copy, since files may be gen's remembered output.
func withManifest(files []gen.File, man gen.File) []gen.File {
	i := 0
	for i < len(files) && files[i].Path < gen.ManifestPath {
		i++
	}
	out := make([]gen.File, 0, len(files)+1)
	out = append(append(append(out, files[:i]...), man), files[i:]...)
	return out
}

// files fills res.Files (and Removed, Order) with the generation's files,
// all of them when prev is nil (a full answer), else those that differ from
// prev's; it records the new file list in next and returns the data blob.
// Unchanged bytes find their ID in prev, else in the stream's own older
// state (whose base did not match), else in the session's latest
// generation; changed bytes get a new one.
func (ss *streams) files(res *GenerateResult, prev, own *stream, next *stream, files []gen.File) []byte {
	next.files = make([]*sentFile, len(files))
	next.byPath = make(map[string]*sentFile, len(files))
	var changed []int
	for i, f := range files {
		var was *sentFile
		if prev != nil {
			was = prev.byPath[f.Path]
		} else if own != nil {
			was = own.byPath[f.Path]
		}
		if was == nil {
			was = ss.recent[f.Path]
		}
		sf := was
		switch {
		case was != nil && sameBytes(was.data, f.Data):
			if was.mode != f.Mode {
				sf = &sentFile{path: f.Path, mode: f.Mode, data: f.Data, id: was.id, binary: was.binary}
			} else {
				// The newest slice: gen's memo hands the same one back
				// next time, and then the comparison is a pointer check.
				was.data = f.Data
			}
		default:
			sf = &sentFile{path: f.Path, mode: f.Mode, data: f.Data, id: fileid.Of(f.Data), binary: !utf8.Valid(f.Data)}
		}
		next.files[i] = sf
		next.byPath[f.Path] = sf
		if prev == nil || prev.byPath[f.Path] != sf {
			changed = append(changed, i)
		}
	}
	ss.recent = next.byPath

	if prev != nil {
		// Removed paths, and whether the order is prev's without them.
		inOrder := true
		j := 0
		for _, o := range prev.files {
			if next.byPath[o.path] == nil {
				res.Removed = append(res.Removed, o.path)
				continue
			}
			if j >= len(files) || files[j].Path != o.path {
				inOrder = false
			}
			j++
		}
		if !inOrder || j != len(files) {
			res.Order = make([]string, len(files))
			for i, f := range files {
				res.Order[i] = f.Path
			}
		}
	}

	size := 0
	for _, i := range changed {
		size += len(files[i].Data)
	}
	blob := ss.blob[:0]
	if cap(blob) < size {
		blob = make([]byte, 0, size)
	}
	res.Files = make([]FileOut, len(changed))
	for k, i := range changed {
		sf := next.files[i]
		res.Files[k] = FileOut{Path: sf.path, Mode: sf.mode, Size: len(sf.data), Offset: len(blob), ID: sf.id, Binary: sf.binary}
		blob = append(blob, sf.data...)
	}
	ss.blob = blob
	return blob
}

// keep records st as stream name's state, evicting the least recently
// used stream when there are too many.
func (ss *streams) keep(name string, st *stream) {
	if ss.byName == nil {
		ss.byName = map[string]*stream{}
	}
	ss.byName[name] = st
	if len(ss.byName) <= maxStreams {
		return
	}
	oldest := ""
	for n, o := range ss.byName {
		if oldest == "" || o.used < ss.byName[oldest].used {
			oldest = n
		}
	}
	delete(ss.byName, oldest)
}

// sameBytes is bytes.Equal with a shortcut for the common case of the very
// same slice (a file gen's memo reused).
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}

func equalFleet(a, b *FleetOut) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Name != b.Name || len(a.Machines) != len(b.Machines) || len(a.Users) != len(b.Users) || !equalStrings(a.Admins, b.Admins) {
		return false
	}
	for i := range a.Machines {
		if a.Machines[i] != b.Machines[i] {
			return false
		}
	}
	for i, u := range a.Users {
		v := b.Users[i]
		if u.Name != v.Name || u.Admin != v.Admin || !equalStrings(u.Machines, v.Machines) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameAccess says whether rows are what sent shows (only the fields the
// answer carries count).
func sameAccess(rows []gen.SecretFile, sent []AccessOut) bool {
	if len(rows) != len(sent) {
		return false
	}
	for i, r := range rows {
		a := sent[i]
		if r.Path != a.Path || r.Tier != a.Tier || len(r.Readers) != len(a.Readers) {
			return false
		}
		for k, rd := range r.Readers {
			if (ReaderOut{Kind: rd.Kind, Name: rd.Name, Recipient: rd.Recipient}) != a.Readers[k] {
				return false
			}
		}
	}
	return true
}

func accessOut(rows []gen.SecretFile) []AccessOut {
	out := make([]AccessOut, 0, len(rows))
	for _, sf := range rows {
		a := AccessOut{Path: sf.Path, Tier: sf.Tier, Readers: make([]ReaderOut, 0, len(sf.Readers))}
		for _, r := range sf.Readers {
			a.Readers = append(a.Readers, ReaderOut{Kind: r.Kind, Name: r.Name, Recipient: r.Recipient})
		}
		out = append(out, a)
	}
	return out
}
