package site

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/internal/fileid"
)

// prerenderedOutput is the JSON the playground shows before its generator
// has produced anything: the default example's files, generated at build
// time exactly as the docs examples are (public docs entropy and time).
// Files mirror the playground's FileOut (static/ts/protocol.ts): text is
// absent for a binary file, as the worker leaves it out.
type prerenderedOutput struct {
	Example string            `json:"example"`
	Files   []prerenderedFile `json:"files"`
}

type prerenderedFile struct {
	Path string  `json:"path"`
	Mode uint32  `json:"mode"`
	Size int     `json:"size"`
	ID   string  `json:"id"`
	Text *string `json:"text,omitempty"`
}

// prerenderPlayground writes the first gallery example's generated files as
// a hashed asset and returns its URL, for the playground page's
// data-prerendered. Without a gallery there is nothing to pre-render.
func (b *builder) prerenderPlayground(gallery []galleryEntry) (string, error) {
	if len(gallery) == 0 {
		return "", nil
	}
	first := gallery[0]
	spec, err := b.loadExample(first.Name)
	if err != nil {
		return "", err
	}
	files, err := Example{Page: "playground", Index: 1, Name: first.Name, Spec: spec}.Generate()
	if err != nil {
		return "", err
	}
	out := prerenderedOutput{Example: first.Name, Files: make([]prerenderedFile, len(files))}
	for i, f := range files {
		pf := prerenderedFile{Path: f.Path, Mode: f.Mode, Size: len(f.Data), ID: fileid.Of(f.Data)}
		if utf8.Valid(f.Data) {
			s := string(f.Data)
			pf.Text = &s
		}
		out.Files[i] = pf
	}
	data, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("site: pre-rendering the playground's default files: %w", err)
	}
	name := "assets/playground-default." + shortHash(data) + ".json"
	b.out[name] = data
	return "/" + name, nil
}

// wasmSize is the uncompressed size of the wasm module (0 without one): the
// worker's download progress total when the response is compressed.
func (b *builder) wasmSize() int {
	u, ok := b.assets["fleetyard.wasm"]
	if !ok {
		return 0
	}
	return len(b.out[u[1:]])
}
