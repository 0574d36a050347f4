package gen

import (
	"bytes"
	"strconv"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// addNixSet adds a file that is one attribute set of per-entity bindings
// (one per machine, say) inside what mk builds around it: binding i is
// bind(i), and key(i) must spell out everything bind(i) reads, as
// addNixMemo's keys do (an entity fingerprint).
//
// Without a Cache it is addNix of the whole tree. With one, each binding is
// printed alone (nix.Template), remembered by its key, and the file is
// joined from the pieces: a keystroke that changes one machine builds and
// lays out that machine's binding, not the fleet's file, and a file whose
// joined bytes are what the previous generation had keeps that array, so
// its hash and the worker's comparison are not redone either.
func (b *build) addNixSet(path string, mk func([]nix.Binding) nix.File, n int, key func(int) string, bind func(int) nix.Binding) {
	b.add(path, b.setText(path, mk, n, key, bind))
}

// setText is the text addNixSet adds.
func (b *build) setText(path string, mk func([]nix.Binding) nix.File, n int, key func(int) string, bind func(int) nix.Binding) []byte {
	c := b.cache
	whole := func() []byte {
		bs := make([]nix.Binding, n)
		for i := range bs {
			bs[i] = bind(i)
		}
		if c == nil {
			return nix.Print(mk(bs))
		}
		return b.printMemo(path, mk(bs))
	}
	if c == nil || n == 0 {
		return whole()
	}
	// The template goes through the tree memo: it is the same tree on
	// nearly every call.
	tf := nix.TemplateFile(mk)
	b.keyBuf = nix.AppendKey(append(append(b.keyBuf[:0], path...), 0, 3), tf)
	text, _ := c.file(b.keyBuf, func() ([]byte, bool) { return nix.Print(tf), true })
	t, ok := nix.CutTemplate(mk, text)
	if !ok {
		return whole()
	}
	// path, NUL, 0x02 (0x01 is addNix's, 0x03 the template's, 0x04 the
	// binding tree's), the indentation,
	// NUL, the binding's key.
	b.keyBuf = append(append(append(append(b.keyBuf[:0], path...), 0, 2), strconv.Itoa(t.Indent())...), 0)
	head := len(b.keyBuf)
	pieces := make([][]byte, n)
	for i := range pieces {
		b.keyBuf = append(b.keyBuf[:head], key(i)...)
		p, ok := c.file(b.keyBuf, func() ([]byte, bool) {
			// A new fingerprint often leaves the binding as it was (a
			// machine's description is not in clan/machines.nix): look
			// the binding up by its tree before laying it out, in a
			// buffer of its own (keyBuf holds this loop's key head).
			bd := bind(i)
			b.treeBuf = nix.AppendKey(append(append(append(append(b.treeBuf[:0], path...), 0, 4), strconv.Itoa(t.Indent())...), 0), nix.File{Body: nix.Set(bd)})
			return c.file(b.treeBuf, func() ([]byte, bool) {
				text, ok := t.Piece(b.memo, bd)
				return bytes.Clone(text), ok
			})
		})
		if !ok {
			return whole() // cannot happen for a template NewTemplate accepted (TestTemplateJoinEqualsPrint)
		}
		pieces[i] = p
	}
	b.scratch = t.Join(b.scratch[:0], pieces)
	return c.kept(path, b.scratch, false)
}
