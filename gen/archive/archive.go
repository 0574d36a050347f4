// Package archive packs a generated repository into the deterministic
// .tar.gz and .zip files the CLI writes and the playground downloads. It is
// apart from gen so that a program that only generates (the playground's
// generator module) links no compression code.
package archive

import (
	"bytes"
	"compress/gzip"
	"sort"

	"github.com/fleetyard/fleetyard/gen"
)

// archiveMtime is the fixed modification time of every archive entry, in
// Unix seconds: 1980-01-01 00:00:00 UTC, because zip (DOS time) cannot
// represent anything earlier, and using the same instant in both formats
// keeps them comparable. A number, not a time.Time: time.Date would link
// the zone lookup into the full wasm module for this one constant.
const archiveMtime = 315532800

// TarGz packs files under root/ as a gzip-compressed tar. The output depends
// only on the arguments: entries in the given order (Generate sorts them),
// fixed mtime, uid/gid 0, no user/group names, no gzip header timestamp.
func TarGz(root string, files []gen.File) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	var tw tarWriter
	mtime := int64(archiveMtime)
	for _, dir := range archiveDirs(root, files) {
		tw.dir(dir, 0o755, mtime)
	}
	for _, f := range files {
		tw.file(joinRoot(root, f.Path), int64(f.Mode), mtime, f.Data)
	}
	zw.Write(tw.close())
	zw.Close()
	return buf.Bytes()
}

// Zip packs files under root/ as a zip archive with the same guarantees as TarGz.
func Zip(root string, files []gen.File) []byte {
	var zw zipWriter
	for _, dir := range archiveDirs(root, files) {
		zw.dir(dir, 0o755)
	}
	for _, f := range files {
		zw.file(joinRoot(root, f.Path), f.Mode, f.Data)
	}
	return zw.close()
}

func joinRoot(root, p string) string {
	if root == "" {
		return p
	}
	return root + "/" + p
}

// archiveDirs lists every directory that holds a file, parents first, so
// extractors that do not create parents still work.
func archiveDirs(root string, files []gen.File) []string {
	seen := map[string]bool{}
	var dirs []string
	add := func(d string) {
		if d != "" && !seen[d] {
			seen[d] = true
			dirs = append(dirs, d+"/")
		}
	}
	add(root)
	for _, f := range files {
		p := joinRoot(root, f.Path)
		for i := 0; i < len(p); i++ {
			if p[i] == '/' {
				add(p[:i])
			}
		}
	}
	sort.Strings(dirs)
	return dirs
}
