package cli

import (
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// historyCommits is how many commits that touched a file historyBase looks
// through for its recorded bytes, newest first.
const historyCommits = 50

// historyBase completes the previous generation from git history: each
// file the manifest records whose bytes this Fleetyard reproduces
// differently (the output format changed since) is replaced by the
// committed version whose bytes hash to the record, when the repository
// has one. README step 1 commits the generation as it was written, so the
// exact previous bytes are usually there, and with them a file changed on
// both sides merges line by line instead of getting two-way conflicts.
// Without git, or without a match, the reproduced file stays.
//
// found counts the files taken from history; missing lists, sorted, those
// whose recorded bytes were found nowhere; shallow reports that some were
// missing in a shallow clone, whose absent history may hold them.
func historyBase(dir string, recorded map[string]string, base []gen.File) (_ []gen.File, found int, missing []string, shallow bool) {
	git, inside := gitWorkTree(dir)
	if !inside || len(recorded) == 0 {
		return base, 0, nil, false
	}
	at := map[string]int{}
	for i, f := range base {
		at[f.Path] = i
	}
	paths := make([]string, 0, len(recorded))
	for p := range recorded {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		want := recorded[p]
		i, ok := at[p]
		if ok && gen.HashHex(base[i].Data) == want {
			continue
		}
		data, in := committedWithHash(git, dir, p, want)
		if !in {
			missing = append(missing, p)
			continue
		}
		found++
		if ok {
			base[i].Data = data
			continue
		}
		base = append(base, gen.File{Path: p, Data: data, Mode: 0o644})
	}
	if len(missing) > 0 {
		res, err := exec.Command(git, "-C", dir, "rev-parse", "--is-shallow-repository").Output()
		shallow = err == nil && strings.TrimSpace(string(res)) == "true"
	}
	return base, found, missing, shallow
}

// committedWithHash finds, among the last commits that touched path, a
// version whose bytes hash to want. It looks beyond the current branch (every
// ref and the reflog): an owner who squashed or rebased after generating
// still has the generation's commit there for a while, and a match is
// checked by its hash, so another branch's file cannot be taken by mistake.
func committedWithHash(git, dir, path, want string) ([]byte, bool) {
	log, err := exec.Command(git, "-C", dir, "log", "-n", strconv.Itoa(historyCommits), "--format=%H", "--all", "--reflog", "--", path).Output()
	if err != nil {
		return nil, false
	}
	for _, c := range strings.Fields(string(log)) {
		data, err := exec.Command(git, "-C", dir, "show", c+":./"+path).Output()
		if err == nil && gen.HashHex(data) == want {
			return data, true
		}
	}
	return nil, false
}
