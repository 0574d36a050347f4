// Package update plans how to bring a generated repository that its owner
// has edited up to date with a new generation, without losing an edit: the
// per-file decisions of `fleetyard update`. It is pure (no I/O); the
// command reads the files, calls [Make], prints the plan and writes it.
//
// Three versions of every file meet here: base (what Fleetyard generated
// last time, reproduced from the spec recorded in the repository), ours
// (what is in the repository now) and theirs (what Fleetyard generates from
// the new spec). The rules:
//
//   - not edited by the user (ours == base): take theirs;
//   - edited by the user, not changed by the generator: keep ours;
//   - changed on both sides: a line-level three-way merge (package diff3);
//     when the regions overlap, the file gets conflict markers;
//   - a file the generator no longer produces is removed only when the
//     user never edited it; an edited one stays, and the plan fails on it
//     (it may still grant access: import-tree loads every module file), so
//     the user decides;
//   - secrets/ and vars/ hold real secrets and clan state, so they are
//     never written over: only a stub that did not exist before (a new
//     user's secrets file) is created. Every sops file found under
//     secrets/ is checked against the new .sops.yaml: a file no rule covers
//     any more, or encrypted for other keys than its rule lists, fails the
//     plan with the sops commands that fix it (secrets.go);
//   - clan's keyring (sops/users, sops/machines) is written like any other
//     file, but once clan has encrypted state to it, a removed key is
//     left for clan's own removal command and a changed key comes with
//     clan's re-encryption commands (secrets.go).
package update

import (
	"bytes"
	"slices"
	"sort"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/diff3"
)

// Input is what [Make] needs, all of it already in memory.
type Input struct {
	// Recorded maps each path of the previous generation (outside
	// secrets/ and vars/) to the SHA-256 of its bytes, as written in the
	// repository's manifest. It is what tells the user's edits apart.
	Recorded map[string]string
	// Base is the previous generation, reproduced by the current
	// generator from the recorded spec (or its files recovered from the
	// repository's history). A file whose bytes hash to the recorded ones
	// is an exact base for a line merge; one from another output format
	// that differs only tells that the file existed, and a file changed on
	// both sides then gets two-way conflict markers.
	Base []gen.File
	// Theirs is the new generation.
	Theirs []gen.File
	// Ours holds the repository's current contents of every path that
	// appears in Recorded, Base or Theirs; a path that is missing is a file
	// that does not exist.
	Ours map[string][]byte
	// Keep names paths never to write, such as the fleet.json the new spec
	// was read from: it is the user's input, not an output.
	Keep map[string]bool
	// Overwrite says there is no record of a previous generation and the
	// new one replaces whatever is at its paths (fleetyard gen -o into a
	// directory without a manifest). Protected paths are still kept.
	Overwrite bool
	// Sops describes every *.yaml file found under secrets/ (nil: nothing
	// was looked at, and recipients are not checked).
	Sops map[string]SopsFile
	// Rules are the new generation's secret files (gen.Access of the new
	// spec); the sops-nix ones carry the .sops.yaml creation rules, first
	// match wins.
	Rules []gen.SecretFile
	// Names labels known recipients for messages ("user raquel"), from the
	// previous and the new spec.
	Names map[string]string
	// ClanState says clan has encrypted state in the repository (sops/
	// secrets, sops/groups, vars/per-machine or vars/shared), so a change
	// to its keyring needs clan's commands to reach that state.
	ClanState bool
	// Clan is what clan itself finds in the repository, for the notes on
	// removed and renamed machines (nil: nothing was looked at).
	Clan *ClanFacts
	// StubKeys are the names each new stub under secrets/ holds (the Keys
	// of the generated file): a user's module asks sops-nix for each of
	// them, and an existing file must have them all.
	StubKeys map[string][]string
	// Renamed maps the machines the new spec reads as renamed, old name to
	// new ([Renames]): a renamed Mac's files under secrets/hosts/ move, they
	// are not gone.
	Renamed map[string]string
}

// ClanFacts is the part of clan's own state in a repository that decides
// what to tell a user about a machine the spec no longer has.
type ClanFacts struct {
	// Machines are the names clan adds to its inventory whatever the spec
	// says: each directory under machines/ (where `clan machines install`
	// keeps the hardware report) and each key of "machines" in
	// inventory.json (where it records the install time). clan-core's
	// modules/clan/module.nix reads both, so a machine the spec drops stays
	// a clan machine while either is there.
	Machines []string
	// Secrets are the names under sops/secrets (clan secrets).
	Secrets []string
}

// has reports whether clan finds machine name in the repository.
func (c *ClanFacts) has(name string) bool {
	return c != nil && slices.Contains(c.Machines, name)
}

// Kind is what happens to one file.
type Kind int

// The kinds of [Action], from quiet to loud.
const (
	// Same: ours already equals theirs; nothing to do.
	Same Kind = iota
	// KeepEdited: the user edited it and the generator did not change it.
	KeepEdited
	// Add: a new file.
	Add
	// Update: the user never edited it; it takes the new bytes.
	Update
	// Merged: both sides changed it; the user's edits are merged in.
	Merged
	// Remove: no longer generated and never edited.
	Remove
	// KeepOrphan: no longer generated, but edited (or under secrets/),
	// so it stays; the user decides.
	KeepOrphan
	// Conflict: both sides changed the same lines; written with conflict
	// markers.
	Conflict
	// DeletedChanged: the user deleted it and the generator changed it;
	// nothing is written, the user decides (the dry run shows the new
	// version).
	DeletedChanged
	// Stale: no longer generated (or, under secrets/, no longer covered by
	// a .sops.yaml rule) but not removed, because the user edited it or
	// it may hold secrets; it can still grant access, so the user must
	// act. Nothing is written.
	Stale
	// Rekey: a sops file under secrets/ that is kept, but encrypted for
	// other keys than its .sops.yaml rule now lists; Commands re-encrypt
	// it. Nothing is written.
	Rekey
	// Unresolved: the file still has conflict markers, from an earlier
	// update or gen; nothing is written until the user resolves them.
	Unresolved
)

var kindNames = [...]string{"same", "keep", "add", "update", "merge", "remove", "kept", "CONFLICT", "CONFLICT", "STALE", "REKEY", "CONFLICT"}

// String is the word the plan prints.
func (k Kind) String() string { return kindNames[k] }

// Writes reports whether the action writes the file.
func (k Kind) Writes() bool { return k == Add || k == Update || k == Merged || k == Conflict }

// Failed reports whether the action needs the user before the update is
// complete: the command exits non-zero.
func (k Kind) Failed() bool {
	return k == Conflict || k == DeletedChanged || k == Stale || k == Rekey || k == Unresolved
}

// Action is the decision for one path.
type Action struct {
	// Path is slash-separated, relative to the repository root.
	Path string
	// Kind is what happens.
	Kind Kind
	// Data and Mode are the new contents, when Kind.Writes().
	Data []byte
	Mode uint32
	// Conflicts is the number of conflict regions written.
	Conflicts int
	// Why explains the decision in a few words.
	Why string
	// Commands are what the user must run, from the repository root, to
	// finish what the plan cannot do itself (re-encrypting, or clan's own
	// removal of a key). An action with commands needs the user.
	Commands []string
}

// NeedsYou reports whether the action needs the user: its kind failed, or
// it comes with commands to run.
func (a Action) NeedsYou() bool { return a.Kind.Failed() || len(a.Commands) > 0 }

// Plan is the decision for every path involved, sorted by path.
type Plan struct {
	// Actions has one entry per path that any of the three versions has,
	// quiet ones (Same) included, so a caller can print or count them.
	Actions []Action
	// CheckedSops says the existing sops files were checked against the
	// new rules (Input.Sops was given), so no general re-encryption note
	// is needed.
	CheckedSops bool
	// ClanState and Clan are the Input's, for [Notes].
	ClanState bool
	Clan      *ClanFacts
}

// Failed returns the actions that need the user.
func (p *Plan) Failed() []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.NeedsYou() {
			out = append(out, a)
		}
	}
	return out
}

// Changes returns the actions that write or remove a file.
func (p *Plan) Changes() []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.Kind.Writes() || a.Kind == Remove {
			out = append(out, a)
		}
	}
	return out
}

// Labels of the conflict markers: the user reads them in their editor.
var (
	labels = diff3.Labels{Ours: "your edit", Base: "previous generation", Theirs: "new generation"}
	// Two-way: the previous generation's bytes were found nowhere (not
	// reproducible, not in git history), so the owner's side also holds the
	// old generated lines. The label only names the kind, as it is repeated
	// on every region: the plan line of the file (its Why) and the docs
	// (reshaping-a-fleet.md, Conflicts) say what to take.
	labels2 = diff3.Labels{Ours: "your edit", Theirs: "new generation (two-way)"}
	// Two-way: the previous generation had no file at this path.
	labelsNewPath = diff3.Labels{Ours: "your file", Theirs: "new generation (a file the previous generation did not have)"}
	// gen -o into a directory with files of its own.
	labelsFound = diff3.Labels{Ours: "the file that was here", Theirs: "generated by Fleetyard"}
	isAbsent    = func(m map[string][]byte, p string) bool { _, ok := m[p]; return !ok }
)

// Make decides what to do with every file.
func Make(in Input) *Plan {
	base := byPath(in.Base)
	theirs := byPath(in.Theirs)
	paths := map[string]bool{}
	for p := range in.Recorded {
		paths[p] = true
	}
	for p := range base {
		paths[p] = true
	}
	for p := range theirs {
		paths[p] = true
	}
	for p := range in.Sops {
		paths[p] = true
	}
	plan := &Plan{CheckedSops: in.Sops != nil, ClanState: in.ClanState, Clan: in.Clan}
	rules := compileRules(in.Rules)
	carryFrom, carryTo := carried(in, base, theirs)
	for p := range paths {
		if in.Keep[p] || p == gen.ManifestPath {
			continue
		}
		var a Action
		if op, ok := carryFrom[p]; ok {
			a = carry(op, p, in, base, theirs)
		} else if np, ok := carryTo[p]; ok {
			a = Action{Kind: Remove, Why: "its machine was renamed: your edits are carried into " + np}
		} else if gen.Protected(p) {
			a = protected(p, in, base, theirs)
			if sf, ok := in.Sops[p]; ok {
				a = checkSops(p, sf, a, rules, in.Names, in.Renamed)
				a = missingKeys(p, sf, a, in.StubKeys[p])
			}
		} else {
			a = decide(p, in, base, theirs)
			a = clanKeyring(p, a, in, theirs)
		}
		a.Path = p
		plan.Actions = append(plan.Actions, a)
	}
	// The manifest always takes the new generation's record: it is the
	// base of the next update, whatever the user does with conflicts.
	if m, ok := theirs[gen.ManifestPath]; ok {
		kind := Update
		if isAbsent(in.Ours, m.Path) {
			kind = Add
		} else if string(in.Ours[m.Path]) == string(m.Data) {
			kind = Same
		}
		plan.Actions = append(plan.Actions, Action{Path: m.Path, Kind: kind, Data: m.Data, Mode: m.Mode, Why: "record of this generation"})
	}
	sort.Slice(plan.Actions, func(i, j int) bool { return plan.Actions[i].Path < plan.Actions[j].Path })
	return plan
}

func byPath(files []gen.File) map[string]gen.File {
	m := make(map[string]gen.File, len(files))
	for _, f := range files {
		m[f.Path] = f
	}
	return m
}

// protected decides for secrets/ and vars/: create what is new, never
// write over or remove anything.
func protected(p string, in Input, base, theirs map[string]gen.File) Action {
	_, exists := in.Ours[p]
	t, generated := theirs[p]
	b, before := base[p]
	switch {
	case exists && !generated:
		return Action{Kind: KeepOrphan, Why: "no longer generated; kept because it may hold real secrets or clan state: delete it yourself when it is no longer needed"}
	case exists && before && string(b.Data) != string(t.Data):
		// Base and new stubs come from the same entropy and time, so they
		// differ only when the file's secret names or recipients changed
		// (checkSops replaces this when it can tell which).
		return Action{Kind: KeepEdited, Why: "not written over (it holds your secrets), but its secret names or recipients changed: add new entries with sops edit, re-encrypt with sops updatekeys"}
	case exists || !generated:
		return Action{Kind: Same, Why: "secrets/ and vars/ are never written over"}
	case before:
		return Action{Kind: Same, Why: "you deleted it; secrets/ and vars/ files are not recreated"}
	case strings.HasSuffix(p, ".yaml"):
		return Action{Kind: Add, Data: t.Data, Mode: t.Mode, Why: "new stub: put the real values in with sops"}
	default:
		// secrets/.keep, vars/.keep: the directories clan and sops fill.
		return Action{Kind: Add, Data: t.Data, Mode: t.Mode}
	}
}

// unresolved is the action for a file that still has conflict markers: a
// later update must not take them for the user's edit and go quiet.
var unresolved = Action{Kind: Unresolved, Why: "still has the conflict markers of an earlier run: keep what you need between the <<<<<<< and >>>>>>> lines, delete the markers, commit, and run it again"}

// hasMarkers reports whether data has a conflict region as diff3 writes
// them: a line starting "<<<<<<< " and, after it, one starting ">>>>>>> ".
func hasMarkers(data []byte) bool {
	start := bytes.Index(data, []byte("<<<<<<< "))
	for start > 0 && data[start-1] != '\n' {
		next := bytes.Index(data[start+1:], []byte("<<<<<<< "))
		if next < 0 {
			return false
		}
		start += 1 + next
	}
	if start < 0 {
		return false
	}
	return bytes.Contains(data[start:], []byte("\n>>>>>>> "))
}

func decide(p string, in Input, base, theirs map[string]gen.File) Action {
	ours, exists := in.Ours[p]
	t, generated := theirs[p]
	rec, recorded := in.Recorded[p]
	if !recorded {
		// Not in the manifest: a repository without one (the caller then
		// records the reproduced base), or a file the previous generation
		// did not produce.
		if b, ok := base[p]; ok && in.Recorded == nil {
			rec, recorded = gen.HashHex(b.Data), true
		}
	}
	edited := exists && (!recorded || gen.HashHex(ours) != rec)
	deleted := !exists && recorded
	changed := !recorded || !generated || gen.HashHex(t.Data) != rec

	if in.Overwrite {
		switch {
		case !generated:
			return Action{Kind: Same}
		case exists && string(ours) == string(t.Data):
			return Action{Kind: Same}
		case exists && hasMarkers(ours):
			return unresolved
		case exists:
			// Not Fleetyard's, as far as anything records: keep it.
			r := diff3.TwoWay(ours, t.Data, labelsFound)
			return Action{Kind: Conflict, Data: r.Text, Mode: t.Mode, Conflicts: max(r.Conflicts, 1),
				Why: "a file was here already, and there is no " + gen.ManifestPath + " to say Fleetyard wrote it: keep what you need of yours between the <<<<<<< markers"}
		default:
			return Action{Kind: Add, Data: t.Data, Mode: t.Mode}
		}
	}

	switch {
	case !generated && !exists:
		return Action{Kind: Same, Why: "no longer generated; already gone"}
	case !generated && edited:
		return Action{Kind: Stale, Why: "no longer generated, but you edited it, so it was not removed; it may still grant access (import-tree loads every file under modules/): move out what you still need, then delete it",
			Commands: []string{"git rm " + ShellQuote(p)}}
	case !generated:
		return Action{Kind: Remove, Why: "no longer generated"}
	case exists && string(ours) == string(t.Data):
		return Action{Kind: Same}
	case edited && hasMarkers(ours):
		return unresolved
	case deleted && !changed:
		return Action{Kind: Same, Why: "you deleted it; the generator did not change it"}
	case deleted:
		return Action{Kind: DeletedChanged, Why: "you deleted it and the new generation changed it: leave it deleted, or restore it from the dry run's diff (fleetyard update -n) or, once updated, from a fresh generation (fleetyard gen -o <empty dir> fleet.json)"}
	case !exists:
		return Action{Kind: Add, Data: t.Data, Mode: t.Mode, Why: "new file"}
	case !edited:
		return Action{Kind: Update, Data: t.Data, Mode: t.Mode}
	case !changed:
		return Action{Kind: KeepEdited, Why: "your edit; the generator did not change it"}
	}
	// Edited on both sides.
	b, ok := base[p]
	var r diff3.Result
	// A two-way comparison marks every difference, the generator's own
	// changes too, so the owner's side can hold old generated lines.
	why := "the previous generation could not be found, so every difference between your version and the new one is marked, the generator's changes too: resolve the <<<<<<< markers, taking the new generation's side except where you made the change"
	switch {
	case !recorded:
		// The previous generation did not have this path, yet the user
		// has a file there: two independent versions of one file.
		r = diff3.TwoWay(ours, t.Data, labelsNewPath)
		why = "a file of yours is where the new generation adds one: resolve the <<<<<<< markers"
	case in.Recorded != nil && ok && gen.HashHex(b.Data) == rec:
		why = "your edits and the new generation touch the same lines: resolve the <<<<<<< markers"
		// The reproduced base has the recorded bytes, whatever format
		// made them: a line merge is exact. (Without a manifest, rec was
		// taken from the base itself and proves nothing.)
		r = diff3.Merge(b.Data, ours, t.Data, labels)
	default:
		r = diff3.TwoWay(ours, t.Data, labels2)
	}
	if r.Conflicts == 0 {
		return Action{Kind: Merged, Data: r.Text, Mode: t.Mode, Why: "your edits merged into the new generation"}
	}
	return Action{Kind: Conflict, Data: r.Text, Mode: t.Mode, Conflicts: r.Conflicts, Why: why}
}

// carried finds the files of renamed machines (in.Renamed) that the owner
// edited: for each new path the new generation adds, the old machine's
// path, where the owner's edited file is and the previous generation
// exactly reproduced (its recorded hash), so the edits can move with the
// rename. from maps new paths to old, to old to new.
func carried(in Input, base, theirs map[string]gen.File) (from, to map[string]string) {
	from, to = map[string]string{}, map[string]string{}
	for o, n := range in.Renamed {
		for p := range theirs {
			op := renamedPath(p, n, o)
			if op == p || gen.Protected(p) {
				continue
			}
			_, exists := in.Ours[p]
			_, still := theirs[op]
			ours, edited := in.Ours[op]
			rec, recorded := in.Recorded[op]
			b, hasBase := base[op]
			if exists || still || !edited || !recorded || gen.HashHex(ours) == rec || !hasBase || gen.HashHex(b.Data) != rec {
				continue
			}
			from[p], to[op] = op, p
		}
	}
	return from, to
}

// renamedPath replaces the path segments of p named n by o.
func renamedPath(p, n, o string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s == n {
			segs[i] = o
		}
	}
	return strings.Join(segs, "/")
}

// carry merges the owner's edits of op, the renamed machine's old file,
// into p, its new generation: the previous generation of op is the base,
// so the rename's own changes and the owner's merge line by line.
func carry(op, p string, in Input, base, theirs map[string]gen.File) Action {
	t := theirs[p]
	r := diff3.Merge(base[op].Data, in.Ours[op], t.Data, labels)
	if r.Conflicts == 0 {
		return Action{Kind: Merged, Data: r.Text, Mode: t.Mode, Why: "new file of a renamed machine, with your edits of " + op + " merged in"}
	}
	return Action{Kind: Conflict, Data: r.Text, Mode: t.Mode, Conflicts: r.Conflicts,
		Why: "new file of a renamed machine: your edits of " + op + " and the rename touch the same lines: resolve the <<<<<<< markers"}
}
