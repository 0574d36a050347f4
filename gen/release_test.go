package gen

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

func TestBranchRelease(t *testing.T) {
	for _, tc := range []struct{ branch, want string }{
		{"nixos-25.05", "25.05"},
		{"nixos-26.05-small", "26.05"},
		{"nixpkgs-26.05-darwin", "26.05"},
		{"release-24.11", "24.11"},
		{"nixpkgs-unstable", ""},
		{"master", ""},
		{"nixos-unstable-small", ""},
		{"my-fork-2025.05", ""}, // a four-digit year is not a NixOS release
		{"v1.25.051", ""},
		{"26.05", "26.05"},
	} {
		if got := branchRelease(tc.branch); got != tc.want {
			t.Errorf("branchRelease(%q) = %q, want %q", tc.branch, got, tc.want)
		}
	}
}

// TestStableReleaseMatchesPins: stableRelease is the release before the one
// the pinned home-manager and nix-darwin are developed for
// (home-manager/release.json, nix-darwin/version.json in
// shared/upstream), or that release itself once they are pinned on its
// release branch. Re-pinning to a newer development branch fails here until
// the stable defaults move with it.
func TestStableReleaseMatchesPins(t *testing.T) {
	up := filepath.Join(tooltest.Shared(t), "upstream")
	for _, src := range []struct{ tarball, file string }{
		{"home-manager.tar.gz", "home-manager/release.json"},
		{"nix-darwin.tar.gz", "nix-darwin/version.json"},
	} {
		var v struct {
			Release         string `json:"release"`
			IsReleaseBranch bool   `json:"isReleaseBranch"`
		}
		if err := json.Unmarshal(tooltest.TarballFile(t, filepath.Join(up, src.tarball), src.file), &v); err != nil {
			t.Fatalf("%s: %v", src.file, err)
		}
		want := v.Release
		if !v.IsReleaseBranch {
			want = previousRelease(t, v.Release)
			if develRelease != v.Release {
				t.Errorf("%s says %q on a development branch: develRelease should be that, is %q", src.file, v.Release, develRelease)
			}
		}
		if stableRelease != want {
			t.Errorf("%s says %q (release branch: %v): stableRelease should be %q, is %q", src.file, v.Release, v.IsReleaseBranch, want, stableRelease)
		}
	}
}

// previousRelease: NixOS releases come in May and November, "YY.05" and
// "YY.11".
func previousRelease(t *testing.T, r string) string {
	t.Helper()
	yy, err := strconv.Atoi(r[:2])
	if err != nil || len(r) != 5 {
		t.Fatalf("release %q is not YY.MM", r)
	}
	switch r[3:] {
	case "11":
		return r[:2] + ".05"
	case "05":
		return strconv.Itoa(yy-1) + ".11"
	}
	t.Fatalf("release %q is neither a May nor a November one", r)
	return ""
}

// TestClanReleaseMatchesPin: clanRelease is the release clan-core's
// modules/clan/checks.nix (minNixpkgsVersion) asserts nixpkgs is at least.
func TestClanReleaseMatchesPin(t *testing.T) {
	up := filepath.Join(tooltest.Shared(t), "upstream")
	src := string(tooltest.TarballFile(t, filepath.Join(up, "clan-core.tar.gz"), "clan-core/modules/clan/checks.nix"))
	m := regexp.MustCompile(`versionAtLeast nixpkgs\.lib\.version "([0-9.]+)"`).FindStringSubmatch(src)
	if m == nil {
		t.Fatalf("clan-core's modules/clan/checks.nix has no versionAtLeast nixpkgs.lib.version check any more:\n%s", src)
	}
	if m[1] != clanRelease {
		t.Errorf("clan-core asserts nixpkgs >= %q: clanRelease should be that, is %q", m[1], clanRelease)
	}
}
