package nix

import (
	"hash/maphash"
	"slices"
	"strconv"
	"sync"
)

// A binding of an attribute set starts a line and ends one (Print always
// breaks a non-empty set), and nothing it prints looks past the line break
// that follows it. So its text is a function of the binding and the column
// it starts at, and a fleet's files hold many bindings that are equal:
// every machine module of a role imports the same modules and sets the same
// options, every disk layout of a kind is the same tree. A Memo remembers
// the text of the bindings it laid out, by column and tree (AppendKey), and
// writes it again instead of building and laying out the same document.
//
// The document builder leaves a placeholder (kLazy) for a binding whose
// value is a set, a function or a let; layout, which knows the column,
// looks the text up and only on a miss builds the binding's document and
// lays it out. Other bindings are mostly one line, cheaper to print than to
// look up, and are never remembered (see remembered).
//
// Keys are not built again for every nesting level: walking a binding's
// tree for its key records where each nested binding's encoding lies in it
// (keyWriter.spans), and a nested binding laid out on a miss copies its key
// from there.
//
// TestMemoPrintsAsPrint holds a Memo's output to Print's over random files
// (at several nesting depths, each printed twice), and package gen's
// TestPrintMemoChangesNothing over every file of the examples.

// A Memo makes printing many files with equal parts cheaper. The zero Memo
// is ready to use; a Memo is safe for concurrent use. It holds at most
// about maxMemoBytes of text and keys, and starts afresh when full.
//
// A binding's text is kept the second time its key is seen: most bindings
// of a fleet's files are either repeated or unique, and copying out the
// text of every unique one (and of each binding nested in it) cost more
// than the repeats saved. Which keys were seen once is a fixed table of
// their hashes, each in the slot its low bits pick until another takes it:
// a map of them grew with every keystroke that typed a new name (each
// generation's bindings that show it): the worker's module, run in Node
// with its collector setting (GOGC=400), ended 1500 such keystrokes on
// large.json with 59 MB of memory instead of 44.
// A hash pushed out only delays keeping a text; a slot's stale hash only
// keeps one early.
type Memo struct {
	mu    sync.Mutex
	seen  []uint64
	texts map[uint64]memoText // by hash of key: the bindings seen twice
	bytes int
}

const memoSeenSlots = 1 << 15

// memoText is a remembered binding: its key (to tell hash collisions
// apart), its text after the first line's indentation, and the layout's
// column count where it ends.
type memoText struct {
	key, text string
	cc        int
}

// maxMemoBytes bounds the texts and keys kept, each counted with 64 bytes
// of the map's own. A generation of large.json reprinting every machine's
// and user's files (BenchmarkRegenerateLargeEverything) keeps about 0.6 MB.
const maxMemoBytes = 2 << 20

var memoSeed = maphash.MakeSeed()

// Append is [Append] through m: the same bytes, with the bindings m has
// seen at the same column written from memory.
func (m *Memo) Append(dst []byte, f File) []byte { return appendFile(dst, f, m) }

func (m *Memo) get(h uint64, key []byte) (memoText, bool) {
	m.mu.Lock()
	t, ok := m.texts[h]
	m.mu.Unlock()
	return t, ok && t.key == string(key)
}

// put is called after a miss: it notes the key, or keeps the text when the
// key was seen before.
func (m *Memo) put(h uint64, key []byte, text []byte, cc int) {
	m.mu.Lock()
	if m.seen == nil {
		m.seen = make([]uint64, memoSeenSlots)
	}
	if slot := &m.seen[h&(memoSeenSlots-1)]; *slot != h {
		*slot = h
	} else {
		if m.texts == nil || m.bytes > maxMemoBytes {
			m.texts = make(map[uint64]memoText)
			m.bytes = 0
		}
		m.texts[h] = memoText{string(key), string(text), cc}
		m.bytes += len(key) + len(text) + 64
	}
	m.mu.Unlock()
}

// remembered reports whether a binding's text is worth remembering: its
// value is a non-empty set, a function or a let, which span lines and cost
// more to build and lay out than to encode as a key. Lists and calls were
// tried too: most are a line long and unique, and keying them made a cold
// generation of 1000 machines slower (BenchmarkGenerate), for little gain
// in the editor (BenchmarkRegenerateLargeEverything).
func remembered(b *Binding) bool {
	if b.Inherit != nil || b.InheritFrom != nil {
		return false
	}
	switch v := b.Value.(type) {
	case Attrs:
		return len(v.Binds) > 0
	case *Attrs:
		return v != nil && len(v.Binds) > 0
	case Lambda, *Lambda, Let:
		return true
	}
	return false
}

// lazy lays out the binding placeholder x, followed by r: from the memo
// when it has the binding at this column, else by building its document.
func (l *layouter) lazy(x *elem, r *rest) {
	b := l.p.lazy[x.n]
	if l.cc != 0 {
		// Not at the start of a line: cannot happen in a set, which
		// breaks before each binding; lay it out without the memo.
		l.run(l.p.bindingDoc(b, x.level, x.off), r)
		return
	}
	col := l.indentFor(int(x.level)) + int(x.off)
	// l.key is a stack: the key of a binding laid out inside this one goes
	// after this one's, which stays in place until this call returns.
	base := len(l.key)
	l.key = append(strconv.AppendInt(l.key, int64(col), 10), ':')
	walked := false
	if sp, ok := l.spans[b]; ok && slices.Contains(l.frames, sp.frame) {
		// Encoded already, inside an enclosing binding's key.
		l.key = append(l.key, l.key[sp.start:sp.end]...)
	} else {
		walked = true
		l.frame++
		l.frames = append(l.frames, l.frame)
		if l.spans == nil {
			l.spans = make(map[*Binding]keySpan)
		}
		k := keyWriter{b: l.key, spans: l.spans, frame: l.frame}
		k.binding(b)
		l.key = k.b
	}
	l.lazyText(x, r, b, col, l.key[base:])
	if walked {
		l.frames = l.frames[:len(l.frames)-1]
	}
	l.key = l.key[:base]
}

// lazyText writes binding b, starting a line at column col, from the memo
// or by laying it out (and then tells the memo).
func (l *layouter) lazyText(x *elem, r *rest, b *Binding, col int, key []byte) {
	h := maphash.Bytes(memoSeed, key)
	if t, ok := l.memo.get(h, key); ok {
		l.out = appendSpaces(l.out, col)
		l.out = append(l.out, t.text...)
		l.cc = t.cc
		return
	}
	start := len(l.out)
	l.run(l.p.bindingDoc(b, x.level, x.off), r)
	text := l.out[start:]
	if len(text) < col {
		return // not the layout this assumes; leave it out of the memo
	}
	for _, c := range text[:col] {
		if c != ' ' {
			return
		}
	}
	l.memo.put(h, key, text[col:], l.cc)
}

// bindingDoc builds the document binds would have for b at nesting level
// nl and offset off.
func (p *docPrinter) bindingDoc(b *Binding, nl, off int32) []elem {
	level, o := p.b.level, p.b.off
	p.b.level, p.b.off = nl, off
	p.b.openDetached()
	nb := normBind(*b)
	p.group(gRegular, func() { p.binding(&nb) })
	d := p.b.take()
	p.b.level, p.b.off = level, o
	return d
}
