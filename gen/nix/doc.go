package nix

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file is a small layout engine in the style of Wadler's "prettier
// printer", with the extensions RFC 166 (nixfmt) layout relies on: several
// kinds of optional line breaks, nesting that indents a line at most one
// step however many nested constructs open on it, and priority groups that
// are expanded before their enclosing group. print.go turns expressions into
// documents; layout turns a document into text.

// spacing is the whitespace between two pieces of text. The order matters:
// when spacings meet, the larger one mostly wins (see mergeSpacing).
type spacing uint8

const (
	spSoftbreak spacing = iota // nothing, or a line break when the rest does not fit
	spBreak                    // nothing, or a line break when the group is expanded
	spHardspace                // always one space
	spSoftspace                // a space, or a line break when the rest does not fit
	spSpace                    // a space, or a line break when the group is expanded
	spHardline                 // always a line break
	spEmptyline                // always a blank line
	spNewlines                 // n line breaks
)

const (
	kText uint8 = iota
	kSpace
	kGroup
	kLazy // a set's binding, laid out through a Memo (memo.go); n indexes docPrinter.lazy
)

// Text kinds.
const (
	tRegular  uint8 = iota
	tComment        // does not count towards the line width
	tTrailing       // only printed when its group is expanded
)

// Group kinds.
const (
	gRegular     uint8 = iota
	gPriority          // expanded first when the enclosing group does not fit
	gTransparent       // its priority groups belong to the enclosing group
)

// elem is one element of a document: a text, a spacing or a group.
type elem struct {
	kids  []elem
	text  string
	level int32 // nesting level of a text
	off   int32 // extra indentation of a text (indented strings)
	n     int32 // line count of spNewlines; a group's minWidth
	kind  uint8
	ann   uint8 // text kind or group kind
	sp    spacing
}

// A group's n is what layout knows of it without walking it: -1 when it
// holds a forced line break (it can never go on one line), else a lower
// bound of its one-line width (its regular texts; spacings may merge, so
// they are not counted). Zero is always a safe value: it rules nothing out.
const forcedBreak = -1

// minWidth computes a group's n from its elements.
func minWidth(kids []elem) int32 {
	w := 0
	for i := range kids {
		k := &kids[i]
		switch k.kind {
		case kText:
			if k.ann == tRegular {
				w += textWidth(k.text)
			}
		case kSpace:
			if k.sp >= spHardline {
				return forcedBreak
			}
		case kGroup:
			if k.n == forcedBreak {
				return forcedBreak
			}
			w += int(k.n)
		case kLazy:
			// Always inside a set or let, which breaks before it.
			return forcedBreak
		}
		if w > 1<<30 {
			w = 1 << 30
		}
	}
	return int32(w)
}

// cannotFit reports whether group g certainly does not fit in c columns.
func (g *elem) cannotFit(c int) bool { return g.n == forcedBreak || int(g.n) > c }

func (e *elem) isSpace() bool { return e.kind == kSpace }

func (e *elem) isSoftSpace() bool { return e.kind == kSpace && e.sp <= spSpace && e.sp != spHardspace }

func (e *elem) isHardSpace() bool { return e.kind == kSpace && !e.isSoftSpace() }

// isCommentElem reports whether e is a comment, or a group of comments and
// hard spacings only.
func (e *elem) isCommentElem() bool {
	switch e.kind {
	case kText:
		return e.ann == tComment
	case kGroup:
		for i := range e.kids {
			if !e.kids[i].isCommentElem() && !e.kids[i].isHardSpace() {
				return false
			}
		}
		return true
	}
	return false
}

// mergeSpacing combines two adjacent spacings into one.
func mergeSpacing(a spacing, an int32, b spacing, bn int32) (spacing, int32) {
	if a > b || a == b && an > bn {
		a, an, b, bn = b, bn, a, an
	}
	switch {
	case a == spBreak && (b == spSoftspace || b == spHardspace):
		return spSpace, 0
	case a == spSoftbreak && b == spHardspace:
		return spSoftspace, 0
	case b == spNewlines:
		switch a {
		case spNewlines:
			return spNewlines, an + bn
		case spEmptyline:
			return spNewlines, bn + 2
		case spHardspace:
			return spNewlines, bn
		}
		return spNewlines, bn + 1
	}
	return b, bn
}

func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

// builder assembles a document, normalizing it as it goes the way nixfmt
// fixes a document up before layout: adjacent spacings merge, adjacent
// texts of the same kind act as one (the second takes the first's nesting
// level and offset), a hard space right before a group moves into it, hard
// spacings and comments at the edges of a group move out of it (so a
// comment's line break does not expand the group), and empty groups
// vanish. Texts take the current nesting level and offset; comments queued
// with trivia are written before the next text, as the comments in front
// of a token are. The elements of all open groups sit in one buffer; a
// closed group's elements move to a slab, so a document costs a few large
// allocations instead of one or more per group.
type builder struct {
	buf     []elem
	regions []region // open groups (and detached documents), innermost last
	slab    *slab
	tmp     []elem // a closing group's edges while they move out
	level   int32
	off     int32
	pending []string
	// sealed: the current region's last element must not merge with the
	// next one (it ended the part moved out in front of a group).
	sealed bool
	texts  textArena // the joined texts of flattened groups
	// pendBuf is the storage pending reuses; lines is commentLines'.
	pendBuf, lines []string
	quoteBuf       []byte // a quoted attribute name being escaped
}

// textArena makes the strings of joined texts (flatText, string literals)
// out of large shared buffers instead of one allocation each. A string is
// a slice of a strings.Builder's buffer; a builder only ever appends, and a
// full one is replaced rather than grown, so the bytes behind a string
// handed out never change.
type textArena struct{ sb strings.Builder }

// arenaChunk is the size of each buffer; longer texts get their own.
const arenaChunk = 16 << 10

// reserve makes room for n more bytes in the current buffer.
func (a *textArena) reserve(n int) {
	if a.sb.Cap()-a.sb.Len() < n {
		a.sb = strings.Builder{}
		a.sb.Grow(max(n, arenaChunk))
	}
}

// escaped returns esc, the escaped form of t, as a string: t itself when
// escaping changed nothing (the common case), else a copy in the arena.
func (a *textArena) escaped(t string, esc []byte) string {
	if string(esc) == t {
		return t
	}
	a.reserve(len(esc))
	start := a.sb.Len()
	a.sb.Write(esc)
	return a.sb.String()[start:]
}

// copy returns b as a string.
func (a *textArena) copy(b []byte) string {
	a.reserve(len(b))
	start := a.sb.Len()
	a.sb.Write(b)
	return a.sb.String()[start:]
}

// join returns the concatenation of x, y and z.
func (a *textArena) join(x, y, z string) string {
	a.reserve(len(x) + len(y) + len(z))
	start := a.sb.Len()
	a.sb.WriteString(x)
	a.sb.WriteString(y)
	a.sb.WriteString(z)
	return a.sb.String()[start:]
}

// region is an open group: where its elements start in buf, and the state
// of the enclosing region when it opened.
type region struct {
	start        int
	parentSealed bool
	sunk         bool // a hard space moved in from the enclosing region
}

func (b *builder) base() int {
	if n := len(b.regions); n > 0 {
		return b.regions[n-1].start
	}
	return 0
}

// add appends x to the current region, merging it with the last element
// where fixup would.
func (b *builder) add(x elem) {
	n := len(b.buf)
	canMerge := n > b.base() && !b.sealed
	b.sealed = false
	if canMerge {
		last := &b.buf[n-1]
		switch {
		case x.kind == kSpace && last.kind == kSpace:
			last.sp, last.n = mergeSpacing(last.sp, last.n, x.sp, x.n)
			return
		case x.kind == kText && last.kind == kText && last.ann == x.ann:
			x.level, x.off = last.level, last.off
		case x.kind == kGroup && last.kind == kSpace && last.sp == spHardspace:
			// A finished group (added whole) after a hard space: the
			// space moves in when the group starts with a spacing.
			if sinkHardspace(&x) {
				b.buf[n-1] = x
				return
			}
		}
	}
	b.buf = append(b.buf, x)
}

// sinkHardspace merges a hard space into the spacing that starts finished
// group g (looking into its first groups), reporting whether it did; a
// group that starts with text leaves the space in front of it.
func sinkHardspace(g *elem) bool {
	if len(g.kids) == 0 {
		return false
	}
	k := &g.kids[0]
	switch k.kind {
	case kSpace:
		k.sp, k.n = mergeSpacing(spHardspace, 0, k.sp, k.n)
		return true
	case kGroup:
		return sinkHardspace(k)
	}
	return false
}

func (b *builder) text(s string) {
	if b.pending != nil {
		b.flushTrivia()
	}
	if s == "" {
		return
	}
	b.add(elem{kind: kText, text: s, level: b.level, off: b.off})
}

// textGroup adds a group holding only the text s (s not empty): what
// open, text(s), close(gRegular) build when no comments are queued, without
// the round trip through the group's region. A hard space in front stays
// in front either way (close moves it back out).
func (b *builder) textGroup(s string) {
	if b.pending != nil || s == "" {
		b.open()
		b.text(s)
		b.close(gRegular)
		return
	}
	kids := b.slab.alloc(1)
	kids[0] = elem{kind: kText, text: s, level: b.level, off: b.off}
	b.buf = append(b.buf, elem{kind: kGroup, ann: gRegular, kids: kids, n: int32(min(textWidth(s), 1<<30))})
	b.sealed = false
}

// trailing is text printed only when its group is expanded.
func (b *builder) trailing(s string) {
	b.add(elem{kind: kText, ann: tTrailing, text: s, level: b.level, off: b.off})
}

// comment writes one comment line: `#`, then a space and s unless s is
// empty (as two texts, which lay out as one).
func (b *builder) comment(s string) {
	if s == "" {
		b.add(elem{kind: kText, ann: tComment, text: "#", level: b.level, off: b.off})
		return
	}
	b.add(elem{kind: kText, ann: tComment, text: "# ", level: b.level, off: b.off})
	b.add(elem{kind: kText, ann: tComment, text: s, level: b.level, off: b.off})
}

func (b *builder) space(s spacing) { b.add(elem{kind: kSpace, sp: s}) }

func (b *builder) newlines(n int32) { b.add(elem{kind: kSpace, sp: spNewlines, n: n}) }

// addAll appends a finished document.
func (b *builder) addAll(d []elem) {
	for _, x := range d {
		b.add(x)
	}
}

// open starts a group. A hard space right before it moves into it.
func (b *builder) open() {
	n := len(b.buf)
	if n > b.base() && !b.sealed && b.buf[n-1].kind == kSpace && b.buf[n-1].sp == spHardspace {
		b.regions = append(b.regions, region{start: n - 1, sunk: true})
		return // the space stays where it is, now the group's first element
	}
	b.regions = append(b.regions, region{start: n, parentSealed: b.sealed})
	b.sealed = false
}

// openDetached starts a document that take returns instead of adding.
func (b *builder) openDetached() {
	b.regions = append(b.regions, region{start: len(b.buf), parentSealed: b.sealed})
	b.sealed = false
}

// take ends the innermost detached document and returns its elements.
func (b *builder) take() []elem {
	r := b.regions[len(b.regions)-1]
	b.regions = b.regions[:len(b.regions)-1]
	kids := b.slab.alloc(len(b.buf) - r.start)
	copy(kids, b.buf[r.start:])
	b.buf = b.buf[:r.start]
	b.sealed = r.parentSealed
	return kids
}

// close ends the innermost open group with the given kind. Its leading
// hard spacings and comments and its trailing hard spacings move out in
// front of and behind it; the rest becomes the group's elements. A group of
// plain texts and hard spaces can never break, so it becomes a group of one
// text (see flatText); that keeps documents small.
func (b *builder) close(ann uint8) {
	r := b.regions[len(b.regions)-1]
	b.regions = b.regions[:len(b.regions)-1]
	body := b.buf[r.start:]
	p := 0
	for p < len(body) && (body[p].isHardSpace() || body[p].isCommentElem()) {
		p++
	}
	q := len(body)
	for q > p && body[q-1].isHardSpace() {
		q--
	}
	inner := body[p:q]
	var g elem
	if len(inner) > 0 {
		g = elem{kind: kGroup, ann: ann}
		if t, ok := flatText(&b.texts, inner); ok {
			g.ann = gRegular
			g.kids = b.slab.alloc(1)
			g.kids[0] = t
		} else if len(inner) == 1 && inner[0].kind == kGroup && inner[0].ann == ann {
			g.kids = inner[0].kids
		} else {
			g.kids = b.slab.alloc(len(inner))
			copy(g.kids, inner)
		}
		g.n = minWidth(g.kids)
	}
	t0 := len(b.tmp)
	b.tmp = append(b.tmp, body[:p]...)
	b.tmp = append(b.tmp, body[q:]...)
	pre, post := b.tmp[t0:t0+p], b.tmp[t0+p:]
	b.buf = b.buf[:r.start]
	b.sealed = r.parentSealed
	n := len(b.buf)
	afterSpace := !r.sunk && !b.sealed && n > b.base() && b.buf[n-1].kind == kSpace
	if len(inner) == 0 {
		b.sealed = b.sealed || !afterSpace
		for _, x := range pre {
			b.add(x)
		}
		for _, x := range post {
			b.add(x)
		}
	} else {
		if len(pre) > 0 {
			b.sealed = b.sealed || !afterSpace
			for _, x := range pre {
				b.add(x)
			}
		}
		b.buf = append(b.buf, g)
		b.sealed = false
		for _, x := range post {
			b.add(x)
		}
	}
	clear(b.tmp[t0:])
	b.tmp = b.tmp[:t0]
}

// flatText returns d as one text when that lays out exactly as d does: d
// holds only regular texts, hard spaces and groups of one text; it starts
// and ends with text at one nesting level and goes no shallower in
// between (so the indentation state after it is the same). Adjacent hard
// spaces are one space, as after fixup. A priority group made only of such
// content can never help its parent fit, so it loses nothing by becoming
// regular.
func flatText(a *textArena, d []elem) (elem, bool) {
	if len(d) < 2 {
		return elem{}, false
	}
	first, last := textOf(&d[0]), textOf(&d[len(d)-1])
	if first == nil || last == nil || first.level != last.level {
		return elem{}, false
	}
	n := 0
	for i := range d {
		if t := textOf(&d[i]); t != nil {
			if t.level < first.level {
				return elem{}, false
			}
			n += len(t.text)
			continue
		}
		if d[i].kind != kSpace || d[i].sp != spHardspace {
			return elem{}, false
		}
		n++
	}
	a.reserve(n)
	start := a.sb.Len()
	space := false
	for i := range d {
		if t := textOf(&d[i]); t != nil {
			if space {
				a.sb.WriteByte(' ')
				space = false
			}
			a.sb.WriteString(t.text)
			continue
		}
		space = true
	}
	return elem{kind: kText, text: a.sb.String()[start:], level: first.level, off: first.off}, true
}

// textOf is the regular text that e is or that e's one-text group holds.
func textOf(e *elem) *elem {
	if e.kind == kGroup && len(e.kids) == 1 {
		e = &e.kids[0]
	}
	if e.kind == kText && e.ann == tRegular {
		return e
	}
	return nil
}

// slab hands out element slices from a few large chunks, which are kept
// and reused by the next document (see printState).
type slab struct {
	chunks [][]elem
	cur    int
}

func (s *slab) alloc(n int) []elem {
	for ; s.cur < len(s.chunks); s.cur++ {
		c := s.chunks[s.cur]
		if cap(c)-len(c) >= n {
			out := c[len(c) : len(c)+n : len(c)+n]
			s.chunks[s.cur] = c[:len(c)+n]
			return out
		}
	}
	size := 256
	if k := len(s.chunks); k > 0 {
		size = 2 * cap(s.chunks[k-1])
	}
	c := make([]elem, n, max(n, size))
	s.chunks = append(s.chunks, c)
	s.cur = len(s.chunks) - 1
	return c[:n:n]
}

// reset makes every chunk free again, dropping the references it held.
func (s *slab) reset() {
	for i, c := range s.chunks {
		clear(c)
		s.chunks[i] = c[:0]
	}
	s.cur = 0
}

// trivia queues comment lines to be written before the next text.
func (b *builder) trivia(lines []string) {
	if len(lines) == 0 {
		return // pending stays nil: nothing is queued
	}
	if b.pending == nil {
		b.pending = b.pendBuf[:0]
	}
	b.pending = append(b.pending, lines...)
}

// flushTrivia writes queued comments: each on its own line.
func (b *builder) flushTrivia() {
	lines := b.pending
	b.pending = nil
	b.space(spHardline)
	for _, l := range lines {
		b.comment(l)
		b.space(spHardline)
	}
	b.pendBuf = lines[:0] // reused by the next trivia
}

// rest is the lookahead after the element being laid out: a chain of
// document slices.
type rest struct {
	d    []elem
	next *rest
}

// walker iterates over a document and its rest, optionally descending into
// groups (descend), merging adjacent spacings as it goes.
type walker struct {
	stk [][]elem
	r   *rest
	buf [6][]elem
}

func (w *walker) init(d []elem, r *rest) {
	w.stk = append(w.buf[:0], d)
	w.r = r
}

// clone copies w into c so both can advance independently.
func (w *walker) clone(c *walker) {
	c.stk = append(c.buf[:0], w.stk...)
	c.r = w.r
}

// peek returns the next element without consuming it.
func (w *walker) peek() *elem {
	for i := len(w.stk) - 1; i >= 0; i-- {
		if len(w.stk[i]) > 0 {
			return &w.stk[i][0]
		}
	}
	for r := w.r; r != nil; r = r.next {
		if len(r.d) > 0 {
			return &r.d[0]
		}
	}
	return nil
}

// next consumes and returns the next element (nil at the end).
func (w *walker) next() *elem {
	for {
		if k := len(w.stk); k > 0 {
			top := w.stk[k-1]
			if len(top) == 0 {
				w.stk = w.stk[:k-1]
				continue
			}
			w.stk[k-1] = top[1:]
			return &top[0]
		}
		if w.r == nil {
			return nil
		}
		w.stk = append(w.stk, w.r.d)
		w.r = w.r.next
	}
}

// nextMerged is next, with a run of adjacent spacings merged into one.
func (w *walker) nextMerged() (e *elem, sp spacing, n int32) {
	e = w.next()
	if e == nil || e.kind != kSpace {
		return e, 0, 0
	}
	sp, n = e.sp, e.n
	for {
		p := w.peek()
		if p == nil || p.kind != kSpace {
			return e, sp, n
		}
		w.next()
		sp, n = mergeSpacing(sp, n, p.sp, p.n)
	}
}

func (w *walker) descend(g *elem) { w.stk = append(w.stk, g.kids) }

// indentState is one entry of the indentation stack: the indentation of
// lines at nesting level nl.
type indentState struct{ ci, nl int }

// layouter lays a fixed-up document out greedily: a group goes on one line
// when it fits, else its priority groups are tried expanded one at a time
// (last first), else it is expanded and its children are laid out in turn.
type layouter struct {
	out     []byte
	cc      int // column on the current line, not counting indentation
	ind     []indentState
	tw, iw  int
	scratch []byte
	free    []*walker
	arena   []elem // scratch documents of priority attempts, used as a stack
	// rests is the current chunk of lookahead links; restChunks the
	// full ones, kept until the layout ends.
	rests      []rest
	restChunks [][]rest
	// saved holds the indentation stacks of open snapshots, innermost
	// last (snapshots nest: a priority attempt inside another).
	saved []indentState
	// p builds the documents of kLazy bindings the memo does not have;
	// key is the memo key being looked up.
	p    *docPrinter
	memo *Memo
	key  []byte
	// spans are the bindings encoded in the keys of frames, the walks
	// of a binding's tree still on the stack (their numbers in frames);
	// frame numbers the walks. See memo.go.
	spans  map[*Binding]keySpan
	frames []int32
	frame  int32
}

// snapshot is the layout state before a priority attempt; its indentation
// stack is saved[at:at+n].
type snapshot struct {
	outLen, cc int
	at, n      int
}

// save takes a snapshot; every save is followed by drop, in reverse order.
func (l *layouter) save() snapshot {
	at := len(l.saved)
	l.saved = append(l.saved, l.ind...)
	return snapshot{len(l.out), l.cc, at, len(l.ind)}
}

func (l *layouter) restore(s snapshot) {
	l.out = l.out[:s.outLen]
	l.cc = s.cc
	l.ind = append(l.ind[:0], l.saved[s.at:s.at+s.n]...)
}

// drop releases s's saved indentation stack.
func (l *layouter) drop(s snapshot) { l.saved = l.saved[:s.at] }

// indentFor moves the indentation stack to nesting level nl, as every text
// at that level does (putText, and the memo for a binding it prints), and
// returns the indentation of a line that starts there.
func (l *layouter) indentFor(nl int) int {
	for {
		top := l.ind[len(l.ind)-1]
		if nl > top.nl {
			ci := top.ci
			if l.cc == 0 {
				ci += l.iw
			}
			l.ind = append(l.ind, indentState{ci, nl})
			return ci
		}
		if nl < top.nl {
			l.ind = l.ind[:len(l.ind)-1]
			continue
		}
		return top.ci
	}
}

// putText writes t at nesting level nl with extra offset off, indenting it
// when it starts a line. Deeper nesting opened on a line that already has
// text does not indent further: only the first nesting step of a line
// counts.
func (l *layouter) putText(nl, off int, t string) {
	ci := l.indentFor(nl)
	if l.cc == 0 {
		l.out = appendSpaces(l.out, ci+off)
	}
	l.out = append(l.out, t...)
	l.cc += textWidth(t)
}

func appendSpaces(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	return append(b, spaces[:n]...)
}

func (l *layouter) newline(n int) {
	l.cc = 0
	for ; n > 0; n-- {
		l.out = append(l.out, '\n')
	}
}

func (l *layouter) run(d []elem, r *rest) {
	for i := range d {
		x := &d[i]
		if x.kind == kText {
			l.putText(int(x.level), int(x.off), x.text)
			continue
		}
		if x.kind == kSpace && (l.cc == 0 || x.sp != spSoftbreak && x.sp != spSoftspace) {
			l.one(x, nil)
			continue
		}
		if x.kind == kLazy {
			l.lazy(x, l.newRest(d[i+1:], r))
			continue
		}
		l.one(x, l.newRest(d[i+1:], r))
	}
}

// newRest hands out a lookahead link from chunks kept for the whole
// layout (links live only while the element they follow is laid out).
func (l *layouter) newRest(d []elem, next *rest) *rest {
	if len(l.rests) == cap(l.rests) {
		l.restChunks = append(l.restChunks, l.rests)
		l.rests = make([]rest, 0, max(64, 2*cap(l.rests)))
	}
	l.rests = append(l.rests, rest{d, next})
	return &l.rests[len(l.rests)-1]
}

func (l *layouter) one(x *elem, r *rest) {
	switch x.kind {
	case kText:
		l.putText(int(x.level), int(x.off), x.text)
	case kLazy:
		l.lazy(x, r)
	case kSpace:
		if l.cc == 0 {
			return
		}
		switch x.sp {
		case spBreak, spSpace, spHardline:
			l.newline(1)
		case spHardspace:
			l.out = append(l.out, ' ')
			l.cc++
		case spEmptyline:
			l.newline(2)
		case spNewlines:
			l.newline(int(x.n))
		case spSoftbreak:
			if !l.firstLineFits(l.tw-l.cc, r) {
				l.newline(1)
			}
		case spSoftspace:
			if l.firstLineFits(l.tw-l.cc-1, r) {
				l.out = append(l.out, ' ')
				l.cc++
			} else {
				l.newline(1)
			}
		}
	case kGroup:
		if !generalOnly && l.cc == 0 && len(x.kids) == 1 && x.kids[0].kind == kText && x.kids[0].ann == tRegular {
			// One text at the start of a line is written as it is
			// whether or not it fits, so there is nothing to measure.
			t := &x.kids[0]
			l.putText(int(t.level), int(t.off), t.text)
			return
		}
		// A group known not to fit skips the attempt (and the walk of
		// the rest of the line it needs).
		if (generalOnly || !x.cannotFit(l.tw-l.cc)) && l.tryGroup(x.kids, r) {
			return
		}
		if x.ann != gTransparent && hasPriority(x.kids) {
			// Transparent groups count as their contents: splice them
			// out (into the arena, released when done) unless there are
			// none.
			mark := len(l.arena)
			flat := x.kids
			if hasTransparent(x.kids) {
				l.arena = spliceTransparent(l.arena, x.kids)
				flat = l.arena[mark:]
			}
			for k := len(flat) - 1; k >= 0; k-- {
				if g := &flat[k]; g.kind == kGroup && g.ann == gPriority {
					// Around the one being expanded, the other priority
					// groups count as their contents too.
					m := len(l.arena)
					pre, post := l.unwrapPriority(flat[:k]), l.unwrapPriority(flat[k+1:])
					ok := l.tryPriorityAt(pre, g.kids, post, r)
					l.releaseArena(m)
					if ok {
						l.releaseArena(mark)
						return
					}
				}
			}
			l.releaseArena(mark)
		}
		l.run(x.kids, r)
	}
}

// unwrapPriority is d with its priority groups replaced by their contents
// (copied into the arena when there are any).
func (l *layouter) unwrapPriority(d []elem) []elem {
	has := false
	for i := range d {
		if d[i].kind == kGroup && d[i].ann == gPriority {
			has = true
			break
		}
	}
	if !has {
		return d
	}
	mark := len(l.arena)
	for i := range d {
		if d[i].kind == kGroup && d[i].ann == gPriority {
			l.arena = append(l.arena, d[i].kids...)
			continue
		}
		l.arena = append(l.arena, d[i])
	}
	return l.arena[mark:]
}

// hasPriority reports whether d has a priority group, looking through
// transparent groups.
func hasPriority(d []elem) bool {
	for i := range d {
		if d[i].kind == kGroup {
			if d[i].ann == gPriority || d[i].ann == gTransparent && hasPriority(d[i].kids) {
				return true
			}
		}
	}
	return false
}

// spliceTransparent appends d to out with transparent groups replaced by
// their contents, recursively.
func spliceTransparent(out, d []elem) []elem {
	for i := range d {
		if d[i].kind == kGroup && d[i].ann == gTransparent {
			out = spliceTransparent(out, d[i].kids)
			continue
		}
		out = append(out, d[i])
	}
	return out
}

func (l *layouter) releaseArena(mark int) {
	clear(l.arena[mark:])
	l.arena = l.arena[:mark]
}

func hasTransparent(d []elem) bool {
	for i := range d {
		if d[i].kind == kGroup && d[i].ann == gTransparent {
			return true
		}
	}
	return false
}

func (l *layouter) tryPriorityAt(pre, prio, post []elem, r *rest) bool {
	s := l.save()
	defer l.drop(s)
	if !l.tryGroup(pre, l.newRest(prio, l.newRest(post, r))) {
		l.restore(s)
		return false
	}
	// Post is known to go on one line, so the expanded part sees it
	// with its line breaks removed.
	mark := len(l.arena)
	l.arena = unexpand(l.arena, post)
	l.run(prio, l.newRest(l.arena[mark:], r))
	l.releaseArena(mark)
	if !l.tryGroup(post, r) {
		l.restore(s)
		return false
	}
	return true
}

// unexpand appends to out the one-line form of d's own spacings (not those
// of nested groups).
func unexpand(out, d []elem) []elem {
	for _, x := range d {
		if x.kind == kSpace {
			switch x.sp {
			case spSpace, spSoftspace:
				x.sp = spHardspace
			case spBreak, spSoftbreak:
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// tryGroup writes grp on the rest of the current line if it fits there
// together with the start of r (up to r's first possible line break).
func (l *layouter) tryGroup(grp []elem, r *rest) bool {
	if len(grp) == 0 {
		return true
	}
	if l.cc == 0 {
		// At the start of a line, leading whitespace is dropped.
		g := grp
		if g[0].kind == kSpace {
			g = g[1:]
		} else if g[0].kind == kGroup && len(g[0].kids) > 0 && g[0].kids[0].kind == kSpace {
			first := g[0]
			first.kids = first.kids[1:]
			g = append([]elem{first}, g[1:]...)
		}
		nl, off := nextIndent(g)
		w, ok := l.fits(l.tw-l.firstLineWidth(nil, r), g)
		if !ok {
			return false
		}
		l.putFitted(nl, off, w)
		return true
	}
	w, ok := l.fits(l.tw-l.cc-l.firstLineWidth(nil, r), grp)
	if !ok {
		return false
	}
	l.out = append(l.out, l.scratch...)
	l.cc += w
	return true
}

// putFitted is putText for the line fits left in scratch, w columns wide.
func (l *layouter) putFitted(nl, off, w int) {
	l.putText(nl, off, "")
	l.out = append(l.out, l.scratch...)
	l.cc += w
}

// fits lays d out on one line in l.scratch and returns its width, or
// false when that takes more than c columns or d has a forced line break.
func (l *layouter) fits(c int, d []elem) (int, bool) {
	w := l.walker()
	defer l.release(w)
	w.init(d, nil)
	buf := l.scratch[:0]
	defer func() { l.scratch = buf }()
	width := 0
	for {
		if c < 0 {
			return 0, false
		}
		e, sp, _ := w.nextMerged()
		if e == nil {
			return width, true
		}
		switch e.kind {
		case kText:
			switch e.ann {
			case tRegular:
				buf = append(buf, e.text...)
				tw := textWidth(e.text)
				c -= tw
				width += tw
			case tComment:
				buf = append(buf, e.text...)
			}
		case kSpace:
			switch sp {
			case spSoftbreak, spBreak:
			case spSoftspace, spSpace, spHardspace:
				buf = append(buf, ' ')
				c--
				width++
			default:
				return 0, false
			}
		case kGroup:
			w.descend(e)
		case kLazy:
			return 0, false // a binding starts a line
		}
	}
}

// firstLineWidth is the width of d's first line (d followed by r) when
// every optional line break is taken.
func (l *layouter) firstLineWidth(d []elem, r *rest) int {
	w := l.walker()
	defer l.release(w)
	w.init(d, r)
	return widthUntilBreak(w)
}

// walker hands out a walker from a free list (layout nests them only a few
// deep), so walking allocates nothing in the steady state.
func (l *layouter) walker() *walker {
	if n := len(l.free); n > 0 {
		w := l.free[n-1]
		l.free = l.free[:n-1]
		return w
	}
	return new(walker)
}

func (l *layouter) release(w *walker) {
	w.stk, w.r = w.stk[:0], nil
	l.free = append(l.free, w)
}

func widthUntilBreak(w *walker) int {
	n := 0
	for {
		e, sp, _ := w.nextMerged()
		if e == nil {
			return n
		}
		switch e.kind {
		case kText:
			if e.ann != tComment {
				n += textWidth(e.text)
			}
		case kSpace:
			if sp != spHardspace {
				return n
			}
			n++
		case kGroup:
			w.descend(e)
		case kLazy:
			return n
		}
	}
}

// firstLineFits reports whether r's first line fits in target columns,
// keeping each group of it on one line where that fits within max columns.
func (l *layouter) firstLineFits(target int, r *rest) bool {
	max := l.tw
	c := max
	w := l.walker()
	defer l.release(w)
	w.init(nil, r)
	for {
		if c < 0 {
			return false
		}
		e, sp, _ := w.nextMerged()
		if e == nil {
			return max-c <= target
		}
		switch e.kind {
		case kText:
			if e.ann == tRegular {
				c -= textWidth(e.text)
			}
		case kSpace:
			if sp != spHardspace {
				return max-c <= target
			}
			c--
		case kGroup:
			if !generalOnly && e.cannotFit(c) {
				w.descend(e)
				continue
			}
			after := l.walker()
			w.clone(after)
			width, ok := l.fits(c-widthUntilBreak(after), e.kids)
			l.release(after)
			if ok {
				c -= width
			} else {
				w.descend(e)
			}
		case kLazy:
			return max-c <= target
		}
	}
}

// nextIndent is the nesting level and offset of d's first text; a leading
// group without text counts as (0, 0).
func nextIndent(d []elem) (int, int) {
	for i := range d {
		switch d[i].kind {
		case kText, kLazy:
			return int(d[i].level), int(d[i].off)
		case kGroup:
			return nextIndent(d[i].kids)
		}
	}
	return 0, 0
}

// printState is the memory one Print uses: documents are garbage once the
// file is laid out, so their buffers are kept for the next file.
type printState struct {
	p    docPrinter
	l    layouter
	slab slab
	root [1]elem
}

var statePool = sync.Pool{New: func() any {
	s := new(printState)
	s.p.b.slab = &s.slab
	return s
}}

func (s *printState) reset() {
	clear(s.p.b.buf)
	s.p.b.buf = s.p.b.buf[:0]
	s.p.b.regions = s.p.b.regions[:0]
	s.p.b.level, s.p.b.off, s.p.b.pending, s.p.b.sealed = 0, 0, nil, false
	clear(s.p.b.pendBuf[:cap(s.p.b.pendBuf)])
	clear(s.p.b.lines[:cap(s.p.b.lines)])
	s.l.out = nil
	s.root[0] = elem{}
	clear(s.l.rests)
	s.l.rests = s.l.rests[:0]
	s.l.restChunks = nil
	s.slab.reset()
	clear(s.p.lazy)
	s.p.lazy = s.p.lazy[:0]
	clear(s.l.spans)
	s.l.key, s.l.frames = s.l.key[:0], s.l.frames[:0]
	s.p.memo, s.l.memo = nil, nil
}

// layout lays the document d out at width tw with indentation step iw,
// appended to dst with surrounding whitespace trimmed and one final newline.
func (s *printState) layout(dst []byte, d []elem, tw, iw int) []byte {
	l := &s.l
	l.out, l.cc, l.tw, l.iw = dst, 0, tw, iw
	l.ind = append(l.ind[:0], indentState{0, 0})
	start := len(dst)
	s.root[0] = elem{kind: kGroup, kids: d}
	l.run(s.root[:], nil)
	out := l.out
	body := bytes.TrimSpace(out[start:])
	n := copy(out[start:], body)
	return append(out[:start+n], '\n')
}
