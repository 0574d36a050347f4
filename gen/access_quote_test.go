package gen

import (
	"regexp"
	"testing"
)

// quoteRegexp must agree with regexp.QuoteMeta (which gen avoids for size).
func TestQuoteRegexpMatchesStdlib(t *testing.T) {
	for _, s := range []string{"", "secrets/shared.yaml", `a.b+c*d?e(f)g|h[i]j{k}l^m$n\o`, "plain-name_1", "ünï.cøde"} {
		if got, want := quoteRegexp(s), regexp.QuoteMeta(s); got != want {
			t.Errorf("quoteRegexp(%q) = %q, want %q", s, got, want)
		}
	}
}
