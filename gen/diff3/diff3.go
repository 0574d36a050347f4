// Package diff3 is a line-based diff and three-way merge: Myers' shortest
// edit script between two texts, the diff3 merge of two edited copies of a
// common base, and unified diff output.
//
// It is written here rather than imported because no maintained Go module
// offers a three-way merge: the diff libraries on the module proxy produce
// character diffs (diff-match-patch) or unified text (difflib), and the
// merge needs the line matching itself. The algorithms are the textbook
// ones (Myers 1986; the diff3 chunking described by Khanna, Kunal and
// Pierce 2007), kept small and tested with a fuzz test.
package diff3

import (
	"bytes"
	"slices"
	"strings"
)

// Lines splits text into lines that keep their "\n", so joining them gives
// the text back exactly, including a missing final newline.
func Lines(text []byte) []string {
	var out []string
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			out = append(out, string(text))
			break
		}
		out = append(out, string(text[:i+1]))
		text = text[i+1:]
	}
	return out
}

// Match returns, for each line of a, the index of the line of b it is kept
// as in a shortest edit script from a to b, or -1 when it is deleted. The
// matched indices increase strictly.
func Match(a, b []string) []int {
	m := make([]int, len(a))
	for i := range m {
		m[i] = -1
	}
	// Common prefix and suffix are matched directly: generated files
	// usually differ in a few places, and trimming keeps Myers' work (and
	// its memory, quadratic in the number of differences) small.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		m[pre] = pre
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		m[len(a)-1-suf] = len(b) - 1 - suf
		suf++
	}
	ia, ib := intern(a[pre:len(a)-suf], b[pre:len(b)-suf])
	for i, j := range myers(ia, ib) {
		if j >= 0 {
			m[pre+i] = pre + j
		}
	}
	return m
}

// intern maps lines to small integers so the inner loop compares ints.
func intern(a, b []string) ([]int, []int) {
	ids := map[string]int{}
	conv := func(ls []string) []int {
		out := make([]int, len(ls))
		for i, l := range ls {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	return conv(a), conv(b)
}

// maxEdits bounds the edit distance myers searches. Its saved frontiers
// cost memory quadratic in the distance (about 4·d² bytes: 36 MB at the
// bound, reached only by files that differ in thousands of lines), so two
// unrelated texts of tens of thousands of lines could take gigabytes; past
// the bound the middle is reported as replaced wholesale. That is still a
// correct diff, only not a minimal one: a merge then conflicts where a
// finer diff might have merged, and never loses a line.
const maxEdits = 3000

// myers is the greedy forward algorithm with a saved frontier per edit
// distance, walked back to recover the matching.
func myers(a, b []int) []int {
	n, m := len(a), len(b)
	match := make([]int, n)
	for i := range match {
		match[i] = -1
	}
	max := n + m
	if max == 0 {
		return match
	}
	off := max + 1
	v := make([]int, 2*max+3)
	// trace[d] holds v[k] for k in [-d-1, d+1] as it was before step d
	// (int32: half the memory, and no file has 2³¹ lines).
	var trace [][]int32
	var final int
search:
	for d := 0; d <= max; d++ {
		if d > maxEdits {
			return match // nothing in the middle kept
		}
		row := make([]int32, 2*d+3)
		for i := range row {
			row[i] = int32(v[off-d-1+i])
		}
		trace = append(trace, row)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				final = d
				break search
			}
		}
	}
	x, y := n, m
	for d := final; d > 0; d-- {
		prev := trace[d]
		at := func(k int) int { return int(prev[k+d+1]) }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1 // came down: an insertion from b
		} else {
			pk = k - 1 // came right: a deletion from a
		}
		px := at(pk)
		py := px - pk
		midX := px
		if pk == k-1 {
			midX++
		}
		for x > midX {
			x--
			y--
			match[x] = y
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x--
		y--
		match[x] = y
	}
	return match
}

// Labels name the three versions in conflict markers.
type Labels struct {
	Ours, Base, Theirs string
}

// Result is a merged text and the number of conflict regions in it.
type Result struct {
	Text      []byte
	Conflicts int
}

// Merge combines the changes from base to ours and from base to theirs.
// Regions changed on one side only take that side; regions changed the same
// way on both take it once; other regions become a conflict written with
// git's diff3-style markers (ours, base, theirs). Changes must be separated
// by at least one unchanged line to merge cleanly, as in git.
func Merge(base, ours, theirs []byte, l Labels) Result {
	b, o, t := Lines(base), Lines(ours), Lines(theirs)
	mo, mt := Match(b, o), Match(b, t)
	var out []string
	conflicts := 0
	i, jo, jt := 0, 0, 0
	for {
		// A stable run: the next base line is kept, next, on both sides.
		for i < len(b) && mo[i] == jo && mt[i] == jt {
			out = append(out, b[i])
			i, jo, jt = i+1, jo+1, jt+1
		}
		if i == len(b) && jo == len(o) && jt == len(t) {
			break
		}
		// The unstable chunk ends at the next base line kept on both sides.
		k, eo, et := i, len(o), len(t)
		for ; k < len(b); k++ {
			if mo[k] >= 0 && mt[k] >= 0 {
				eo, et = mo[k], mt[k]
				break
			}
		}
		cb, co, ct := b[i:k], o[jo:eo], t[jt:et]
		switch {
		case slices.Equal(co, cb):
			out = append(out, ct...)
		case slices.Equal(ct, cb), slices.Equal(co, ct):
			out = append(out, co...)
		default:
			conflicts++
			out = conflict(out, l, co, cb, ct, true)
		}
		i, jo, jt = k, eo, et
	}
	return Result{Text: []byte(strings.Join(out, "")), Conflicts: conflicts}
}

// TwoWay marks every region where ours and theirs differ as a conflict,
// for when the common base is unknown: without it, nothing says which side
// changed, so neither may win.
func TwoWay(ours, theirs []byte, l Labels) Result {
	o, t := Lines(ours), Lines(theirs)
	mo := Match(o, t)
	var out []string
	conflicts := 0
	i, j := 0, 0
	for i < len(o) || j < len(t) {
		if i < len(o) && mo[i] == j {
			out = append(out, o[i])
			i, j = i+1, j+1
			continue
		}
		ei := i
		for ei < len(o) && mo[ei] < 0 {
			ei++
		}
		ej := len(t)
		if ei < len(o) {
			ej = mo[ei]
		}
		conflicts++
		out = conflict(out, l, o[i:ei], nil, t[j:ej], false)
		i, j = ei, ej
	}
	return Result{Text: []byte(strings.Join(out, "")), Conflicts: conflicts}
}

// conflict appends one marked region. A section whose last line has no
// newline gets one, or the next marker would be glued to it.
func conflict(out []string, l Labels, ours, base, theirs []string, withBase bool) []string {
	section := func(marker, label string, lines []string) {
		if label != "" {
			marker += " " + label
		}
		out = append(out, marker+"\n")
		out = append(out, lines...)
		if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
			out[len(out)-1] += "\n"
		}
	}
	section("<<<<<<<", l.Ours, ours)
	if withBase {
		section("|||||||", l.Base, base)
	}
	section("=======", "", theirs)
	out = append(out, ">>>>>>>"+labelSuffix(l.Theirs)+"\n")
	return out
}

func labelSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}
