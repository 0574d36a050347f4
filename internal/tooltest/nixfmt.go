package tooltest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Nixfmt runs the nixfmt binary bin once over every file in srcs (keyed by a
// relative slash path ending in .nix) and returns what it made of each one.
// nixfmt formats files in place, so they are written to a temporary
// directory first. A parse error or any other failure fails the test.
func Nixfmt(t testing.TB, bin string, srcs map[string][]byte) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	names := make([]string, 0, len(srcs))
	for name := range srcs {
		names = append(names, name)
	}
	sort.Strings(names)
	paths := make([]string, len(names))
	for i, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, srcs[name], 0o644); err != nil {
			t.Fatal(err)
		}
		paths[i] = p
	}
	// Batches keep the command line well under the kernel's limit.
	const batch = 500
	for i := 0; i < len(paths); i += batch {
		j := min(i+batch, len(paths))
		cmd := exec.Command(bin, paths[i:j]...)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s failed on %d files: %v\n%s", bin, j-i, err, out)
		}
	}
	got := make(map[string][]byte, len(names))
	for i, name := range names {
		b, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		got[name] = b
	}
	return got
}

// DiffExcerpt is a unified-style excerpt (- want, + got) of the first
// hunks where want and got differ, each with up to three lines of context
// and at most max changed lines per side.
func DiffExcerpt(want, got []byte, max int) string {
	a := strings.SplitAfter(string(want), "\n")
	b := strings.SplitAfter(string(got), "\n")
	// Common prefix and suffix first, so the table below stays small.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	ea, eb := len(a), len(b)
	for ea > pre && eb > pre && a[ea-1] == b[eb-1] {
		ea--
		eb--
	}
	ops := lineDiff(a[pre:ea], b[pre:eb])
	var sb strings.Builder
	const ctx = 3
	minus, plus := 0, 0
	ia, ib := pre, pre
	// Leading context.
	for _, l := range a[max0(pre-ctx):pre] {
		sb.WriteString("  " + visible(l) + "\n")
	}
	fmt.Fprintf(&sb, "@@ line %d @@\n", pre+1)
	sameRun := 0
	for _, op := range ops {
		switch op {
		case '=':
			sameRun++
			if sameRun <= ctx {
				sb.WriteString("  " + visible(a[ia]) + "\n")
			} else if sameRun == ctx+1 {
				sb.WriteString("  …\n")
			}
			ia++
			ib++
			continue
		case '-':
			if minus < max {
				sb.WriteString("- " + visible(a[ia]) + "\n")
			}
			minus++
			ia++
		case '+':
			if plus < max {
				sb.WriteString("+ " + visible(b[ib]) + "\n")
			}
			plus++
			ib++
		}
		sameRun = 0
	}
	if minus > max || plus > max {
		fmt.Fprintf(&sb, "  (%d lines removed, %d added in all)\n", minus, plus)
	}
	for i, l := range a[ea:] {
		if i >= ctx || l == "" {
			break
		}
		sb.WriteString("  " + visible(l) + "\n")
	}
	return sb.String()
}

// lineDiff is an edit script ('=', '-', '+') turning a into b, from a
// longest-common-subsequence table; very large inputs get a plain
// replacement instead.
func lineDiff(a, b []string) []byte {
	if len(a)*len(b) > 4_000_000 {
		ops := make([]byte, 0, len(a)+len(b))
		for range a {
			ops = append(ops, '-')
		}
		for range b {
			ops = append(ops, '+')
		}
		return ops
	}
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []byte
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, '=')
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, '-')
			i++
		default:
			ops = append(ops, '+')
			j++
		}
	}
	return ops
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// visible shows a missing final newline and trailing spaces.
func visible(l string) string {
	if l == "" {
		return "⏎(end of file)"
	}
	if !strings.HasSuffix(l, "\n") {
		return l + "⏎(no newline)"
	}
	l = strings.TrimSuffix(l, "\n")
	if t := strings.TrimRight(l, " "); t != l {
		return t + strings.Repeat("·", len(l)-len(t))
	}
	return l
}
