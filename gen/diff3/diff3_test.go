package diff3

import (
	"strconv"
	"strings"
	"testing"
)

// lcs is the textbook dynamic-programming LCS length, the oracle for
// Match's optimality on small inputs.
func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// checkMatch verifies that m is a valid, maximal matching of a into b.
func checkMatch(t *testing.T, a, b []string, m []int) {
	t.Helper()
	last, kept := -1, 0
	for i, j := range m {
		if j < 0 {
			continue
		}
		if j <= last || j >= len(b) || a[i] != b[j] {
			t.Fatalf("bad match %v for %q -> %q", m, a, b)
		}
		last = j
		kept++
	}
	if want := lcs(a, b); kept != want {
		t.Fatalf("match keeps %d lines, the longest common subsequence has %d (%q -> %q)", kept, want, a, b)
	}
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return Lines([]byte(strings.ReplaceAll(s, " ", "\n")))
}

func TestLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a\n"}},
		{"a\nb", []string{"a\n", "b"}},
		{"\n\n", []string{"\n", "\n"}},
	}
	for _, tt := range tests {
		got := Lines([]byte(tt.in))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("Lines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct{ a, b string }{
		{"", ""},
		{"a", ""},
		{"", "a"},
		{"a b c", "a b c"},
		{"a b c", "a c"},
		{"a c", "a b c"},
		{"a b c a b b a", "c b a b a c"}, // Myers' paper example
		{"x a b c y", "a b c"},
		{"} } } }", "} x } }"},
		{"a b c d e f", "f e d c b a"},
		{"a a a b", "b a a a"},
	}
	for _, tt := range tests {
		a, b := split(tt.a), split(tt.b)
		checkMatch(t, a, b, Match(a, b))
	}
}

func TestMerge(t *testing.T) {
	l := Labels{Ours: "ours", Base: "base", Theirs: "theirs"}
	tests := []struct {
		name, base, ours, theirs, want string
		conflicts                      int
	}{
		{"nothing changed", "a\nb\n", "a\nb\n", "a\nb\n", "a\nb\n", 0},
		{"ours only", "a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\n", "a\nB\nc\n", 0},
		{"theirs only", "a\nb\nc\n", "a\nb\nc\n", "a\nb\nC\n", "a\nb\nC\n", 0},
		{"both, apart", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n", 0},
		{"same change on both", "a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n", "a\nX\nc\n", 0},
		{"insert both ends", "m\n", "top\nm\n", "m\nbottom\n", "top\nm\nbottom\n", 0},
		{"one deletes, other edits elsewhere", "a\nb\nc\nd\n", "a\nc\nd\n", "a\nb\nc\nD\n", "a\nc\nD\n", 0},
		{"conflict", "a\nb\nc\n", "a\nours\nc\n", "a\ntheirs\nc\n",
			"a\n<<<<<<< ours\nours\n||||||| base\nb\n=======\ntheirs\n>>>>>>> theirs\nc\n", 1},
		{"adjacent edits conflict", "a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n",
			"a\n<<<<<<< ours\nB\nc\n||||||| base\nb\nc\n=======\nb\nC\n>>>>>>> theirs\n", 1},
		{"both insert at the same place", "a\n", "a\nx\n", "a\ny\n",
			"a\n<<<<<<< ours\nx\n||||||| base\n=======\ny\n>>>>>>> theirs\n", 1},
		{"no final newline in a conflict", "a\nb", "a\nB", "a\nC",
			"a\n<<<<<<< ours\nB\n||||||| base\nb\n=======\nC\n>>>>>>> theirs\n", 1},
		{"empty base", "", "x\n", "x\n", "x\n", 0},
		{"two conflicts", "1\n2\n3\n4\n5\n", "1\na\n3\nb\n5\n", "1\nA\n3\nB\n5\n", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Merge([]byte(tt.base), []byte(tt.ours), []byte(tt.theirs), l)
			if r.Conflicts != tt.conflicts {
				t.Errorf("conflicts = %d, want %d\n%s", r.Conflicts, tt.conflicts, r.Text)
			}
			if tt.want != "" && string(r.Text) != tt.want {
				t.Errorf("merged:\n%s\nwant:\n%s", r.Text, tt.want)
			}
		})
	}
}

func TestTwoWay(t *testing.T) {
	l := Labels{Ours: "yours", Theirs: "generated"}
	tests := []struct {
		name, ours, theirs, want string
		conflicts                int
	}{
		{"equal", "a\nb\n", "a\nb\n", "a\nb\n", 0},
		{"one region", "a\nb\nc\n", "a\nB\nc\n", "a\n<<<<<<< yours\nb\n=======\nB\n>>>>>>> generated\nc\n", 1},
		{"insert only", "a\n", "a\nb\n", "a\n<<<<<<< yours\n=======\nb\n>>>>>>> generated\n", 1},
		{"delete only", "a\nb\n", "a\n", "a\n<<<<<<< yours\nb\n=======\n>>>>>>> generated\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := TwoWay([]byte(tt.ours), []byte(tt.theirs), l)
			if string(r.Text) != tt.want || r.Conflicts != tt.conflicts {
				t.Errorf("got %d conflicts:\n%s\nwant %d:\n%s", r.Conflicts, r.Text, tt.conflicts, tt.want)
			}
		})
	}
}

func TestUnified(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "a\n", "a\n", ""},
		{"one change", "a\nb\nc\n", "a\nB\nc\n", "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"new file", "", "a\nb\n", "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"no newline", "a", "b", "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "0\n2\n3\n4\n5\n6\n7\n8\n10\n",
			"--- x\n+++ y\n@@ -1,2 +1,2 @@\n-1\n+0\n 2\n@@ -8,2 +8,2 @@\n 8\n-9\n+10\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unified("x", "y", []byte(tt.a), []byte(tt.b), 1)
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			if got != "" {
				if back := applyUnified(t, tt.a, got); back != tt.b {
					t.Errorf("applying the diff gives %q, want %q", back, tt.b)
				}
			}
		})
	}
}

// applyUnified is a minimal patch(1): it checks context and removed lines
// against a, so a wrong hunk header or body fails the test.
func applyUnified(t *testing.T, a, diff string) string {
	t.Helper()
	src := Lines([]byte(a))
	var out []string
	pos := 0
	lines := strings.Split(diff, "\n")
	for k := 2; k < len(lines); k++ {
		l := lines[k]
		if strings.HasPrefix(l, "@@ ") {
			start, _, _ := strings.Cut(strings.TrimPrefix(l, "@@ -"), " ")
			s, _, _ := strings.Cut(start, ",")
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("hunk header %q", l)
			}
			if strings.Contains(start, ",0") {
				n++ // an empty range names the line before it
			}
			for pos < n-1 {
				out = append(out, src[pos])
				pos++
			}
			continue
		}
		if l == "" {
			continue
		}
		body := l[1:] + "\n"
		if k+1 < len(lines) && strings.HasPrefix(lines[k+1], `\ No newline`) {
			body = l[1:]
			k++
		}
		switch l[0] {
		case ' ', '-':
			if pos >= len(src) || src[pos] != body {
				t.Fatalf("diff line %q does not match source line %d", l, pos+1)
			}
			if l[0] == ' ' {
				out = append(out, body)
			}
			pos++
		case '+':
			out = append(out, body)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

// FuzzMerge checks the merge's laws on arbitrary texts: a side equal to
// the base yields the other side, equal sides yield themselves, and the
// matching behind it is a longest common subsequence. Seeds are in
// testdata/fuzz/FuzzMerge.
func FuzzMerge(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n")
	f.Fuzz(func(t *testing.T, base, ours, theirs string) {
		if len(base)+len(ours)+len(theirs) > 3000 {
			return
		}
		l := Labels{}
		b, o, th := []byte(base), []byte(ours), []byte(theirs)
		if r := Merge(b, b, th, l); string(r.Text) != theirs || r.Conflicts != 0 {
			t.Fatalf("Merge(b, b, t) = %q (%d conflicts), want t", r.Text, r.Conflicts)
		}
		if r := Merge(b, o, b, l); string(r.Text) != ours || r.Conflicts != 0 {
			t.Fatalf("Merge(b, o, b) = %q (%d conflicts), want o", r.Text, r.Conflicts)
		}
		if r := Merge(b, o, o, l); string(r.Text) != ours || r.Conflicts != 0 {
			t.Fatalf("Merge(b, o, o) = %q (%d conflicts), want o", r.Text, r.Conflicts)
		}
		r := Merge(b, o, th, l)
		if r.Conflicts == 0 && strings.Contains(string(r.Text), "<<<<<<<") && !strings.Contains(base+ours+theirs, "<<<<<<<") {
			t.Fatalf("markers without a conflict: %q", r.Text)
		}
		if tw := TwoWay(o, o, l); string(tw.Text) != ours || tw.Conflicts != 0 {
			t.Fatalf("TwoWay(o, o) = %q", tw.Text)
		}
		la, lb := Lines(o), Lines(th)
		if len(la)*len(lb) <= 40000 {
			checkMatch(t, la, lb, Match(la, lb))
		}
		if d := Unified("a", "b", o, th, 3); (d == "") != (ours == theirs) {
			t.Fatalf("Unified empty = %v for equal = %v", d == "", ours == theirs)
		} else if d != "" {
			if back := applyUnified(t, ours, d); back != theirs {
				t.Fatalf("applying the diff gives %q, want %q", back, theirs)
			}
		}
	})
}

// Past maxEdits the diff gives up on the middle instead of growing its
// memory without bound; the result must still be a valid matching and the
// merge laws must hold.
func TestMatchGivesUpOnHugeDistances(t *testing.T) {
	var a, b []string
	for i := 0; i < 3*maxEdits; i++ {
		a = append(a, "a"+strconv.Itoa(i)+"\n")
		b = append(b, "b"+strconv.Itoa(i)+"\n")
	}
	a = append([]string{"same\n"}, a...)
	b = append([]string{"same\n"}, b...)
	m := Match(a, b)
	if m[0] != 0 {
		t.Errorf("the common prefix is not matched")
	}
	for i := 1; i < len(m); i++ {
		if m[i] >= 0 && a[i] != b[m[i]] {
			t.Fatalf("line %d matched to a different line", i)
		}
	}
	base := []byte(strings.Join(a, ""))
	other := []byte(strings.Join(b, ""))
	if r := Merge(base, base, other, Labels{}); string(r.Text) != string(other) || r.Conflicts != 0 {
		t.Errorf("Merge(b, b, t) != t on a huge diff")
	}
}
