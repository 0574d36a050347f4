package gen

// stableRelease is the NixOS release the generated repository's stable
// channels and new machines start from: the newest stable release while the
// inputs Fleetyard pins were checked. home-manager and nix-darwin are pinned
// on their 26.11 development branch (release.json and version.json say
// "26.11", "isReleaseBranch": false), so 26.05 is the release they are
// maintained alongside, and the oldest one nixpkgs still patches.
// TestStableReleaseMatchesPins ties it to the pinned snapshots: re-pin, then
// move it.
const stableRelease = "26.05"

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
