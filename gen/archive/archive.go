// Package archive packs a generated repository into the deterministic
// .tar.gz and .zip files the CLI writes and the playground downloads. It is
// apart from gen so that a program that only generates (the playground's
// generator module) links no compression code.
package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"io/fs"
	"sort"
	"time"

	"github.com/fleetyard/fleetyard/gen"
)

// archiveTime is the fixed modification time of every archive entry. It is
// 1980-01-01 because zip (DOS time) cannot represent anything earlier, and
// using the same instant in both formats keeps them comparable.
var archiveTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// TarGz packs files under root/ as a gzip-compressed tar. The output depends
// only on the arguments: entries in the given order (Generate sorts them),
// fixed mtime, uid/gid 0, no user/group names, no gzip header timestamp.
func TarGz(root string, files []gen.File) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	var tw tarWriter
	mtime := archiveTime.Unix()
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
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, dir := range archiveDirs(root, files) {
		h := &zip.FileHeader{Name: dir, Method: zip.Store, Modified: archiveTime}
		h.SetMode(fs.ModeDir | 0o755)
		zw.CreateHeader(h)
	}
	for _, f := range files {
		h := &zip.FileHeader{Name: joinRoot(root, f.Path), Method: zip.Deflate, Modified: archiveTime}
		h.SetMode(fs.FileMode(f.Mode))
		w, _ := zw.CreateHeader(h)
		w.Write(f.Data)
	}
	zw.Close()
	return buf.Bytes()
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
