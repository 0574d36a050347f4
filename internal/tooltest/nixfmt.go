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

// DiffExcerpt is a small unified-style excerpt of the first lines where want
// and got differ (- want, + got), with a few lines of context around it.
func DiffExcerpt(want, got []byte, max int) string {
	a := strings.SplitAfter(string(want), "\n")
	b := strings.SplitAfter(string(got), "\n")
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	ea, eb := len(a), len(b)
	for ea > start && eb > start && a[ea-1] == b[eb-1] {
		ea--
		eb--
	}
	var sb strings.Builder
	from := max0(start - 3)
	fmt.Fprintf(&sb, "@@ -%d +%d @@\n", from+1, from+1)
	for _, l := range a[from:start] {
		sb.WriteString("  " + strings.TrimSuffix(l, "\n") + "\n")
	}
	n := 0
	for _, l := range a[start:ea] {
		if n++; n > max {
			sb.WriteString("  …\n")
			break
		}
		sb.WriteString("- " + visible(l) + "\n")
	}
	n = 0
	for _, l := range b[start:eb] {
		if n++; n > max {
			sb.WriteString("  …\n")
			break
		}
		sb.WriteString("+ " + visible(l) + "\n")
	}
	for i, l := range a[ea:] {
		if i >= 3 {
			break
		}
		sb.WriteString("  " + strings.TrimSuffix(l, "\n") + "\n")
	}
	return sb.String()
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// visible shows a missing final newline and trailing spaces.
func visible(l string) string {
	if !strings.HasSuffix(l, "\n") {
		return l + "⏎(no newline)"
	}
	l = strings.TrimSuffix(l, "\n")
	if t := strings.TrimRight(l, " "); t != l {
		return t + strings.Repeat("·", len(l)-len(t))
	}
	return l
}
