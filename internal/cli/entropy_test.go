package cli

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/site"
)

// Entropy anyone can know gives stubs whose data keys anyone can derive:
// the value published with the docs examples and all zeros are refused,
// in every output mode.
func TestGenRefusesPublicEntropy(t *testing.T) {
	tests := []struct {
		name, entropy, want string
	}{
		{"docs entropy", hex.EncodeToString(site.DocsEntropy), "public entropy of Fleetyard's documentation examples"},
		{"docs entropy, upper case", strings.ToUpper(hex.EncodeToString(site.DocsEntropy)), "public entropy"},
		{"all zeros", strings.Repeat("0", 64), "--entropy is all zeros"},
	}
	for _, tt := range tests {
		for _, mode := range [][]string{{"--tar"}, {"--zip"}, {"-o", t.TempDir()}} {
			args := append(append([]string{"gen"}, mode...), "--entropy", tt.entropy, seedSpec)
			code, stdout, stderr := run(t, "", args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "Leave --entropy out") || stdout != "" {
				t.Errorf("%s %v: exit %d, stdout %d bytes, stderr %q", tt.name, mode, code, len(stdout), stderr)
			}
		}
	}
}

// --entropy with -o writes stubs into a real repository from a value that
// has been shown on screen: warn. Archives are how exports are reproduced,
// so they stay quiet.
func TestGenWarnsEntropyWithDir(t *testing.T) {
	const warning = "reusing entropy reuses sops data keys; only use --entropy to reproduce a playground export"
	tests := []struct {
		args []string
		warn bool
	}{
		{[]string{"gen", "-o", t.TempDir(), "--entropy", entropy, seedSpec}, true},
		{[]string{"gen", "-o", t.TempDir(), seedSpec}, false},
		{[]string{"gen", "--tar", "--entropy", entropy, seedSpec}, false},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", tt.args...)
		if code != exitOK || strings.Contains(stderr, warning) != tt.warn {
			t.Errorf("%q: exit %d, stderr %q; want warning: %v", tt.args, code, stderr, tt.warn)
		}
	}
}
