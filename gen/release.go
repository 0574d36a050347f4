package gen

import "strings"

// stableRelease is the NixOS release the generated repository's stable
// channels and new machines start from: the newest stable release while the
// inputs Fleetyard pins were checked. home-manager and nix-darwin are pinned
// on their 26.11 development branch (release.json and version.json say
// "26.11", "isReleaseBranch": false), so 26.05 is the release they are
// maintained alongside, and the oldest one nixpkgs still patches.
// TestStableReleaseMatchesPins ties it to the pinned snapshots: re-pin, then
// move it.
const stableRelease = "26.05"

// develRelease is the release the pinned nix-darwin and home-manager are
// developed for, their version.json and release.json "release" on a
// development branch. nix-darwin's eval-config.nix then asserts that nixpkgs
// is at least this release ("The nix-darwin and Nixpkgs branches in use must
// match"), and home-manager warns at each activation when nixpkgs is another
// one (home.enableNixpkgsReleaseCheck, modules/home-environment.nix).
// TestStableReleaseMatchesPins ties it to the snapshots.
const develRelease = "26.11"

// clanRelease is the oldest nixpkgs the pinned clan-core evaluates with:
// its modules/clan/checks.nix asserts versionAtLeast nixpkgs.lib.version
// on it (minNixpkgsVersion) and aborts the evaluation otherwise. clan-core
// follows the main nixpkgs input, channels.unstable.
// TestClanReleaseMatchesPin ties it to the snapshot.
const clanRelease = "25.11"

// branchRelease finds the release a nixpkgs branch name is for ("nixos-25.05",
// "nixos-25.05-small", "nixpkgs-25.05-darwin", "release-25.05" give "25.05"):
// the first YY.MM in it, with a two-digit year and month. Branches without one
// (nixpkgs-unstable, master, a fork's name) give "".
func branchRelease(branch string) string {
	digit := func(i int) bool { return i >= 0 && i < len(branch) && branch[i] >= '0' && branch[i] <= '9' }
	for i := 0; i+5 <= len(branch); i++ {
		if branch[i+2] == '.' && digit(i) && digit(i+1) && digit(i+3) && digit(i+4) && !digit(i-1) && !digit(i+5) {
			return branch[i : i+5]
		}
	}
	return ""
}

// pastReleases are the NixOS releases before the May and November cadence
// of 21.05 onwards.
const pastReleases = "13.10 14.04 14.12 15.09 16.03 16.09 17.03 17.09 18.03 18.09 19.03 19.09 20.03 20.09"

// isRelease reports whether r ("YY.MM", as branchRelease gives it) names a
// NixOS release that exists or can: YY.05 and YY.11 from 21.05, the
// listed ones before.
func isRelease(r string) bool {
	if r < "21.05" {
		return strings.Contains(pastReleases, r)
	}
	return strings.HasSuffix(r, ".05") || strings.HasSuffix(r, ".11")
}
