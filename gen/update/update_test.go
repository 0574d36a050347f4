package update

import (
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

func files(kv ...string) []gen.File {
	var out []gen.File
	for i := 0; i < len(kv); i += 2 {
		out = append(out, gen.File{Path: kv[i], Data: []byte(kv[i+1]), Mode: 0o644})
	}
	return out
}

func contents(kv ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = []byte(kv[i+1])
	}
	return m
}

func record(fs []gen.File) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		if !gen.Protected(f.Path) {
			m[f.Path] = gen.HashHex(f.Data)
		}
	}
	return m
}

func TestMake(t *testing.T) {
	const (
		b3 = "a\nb\nc\nd\ne\n"
		o3 = "A\nb\nc\nd\ne\n" // user edit at the top
		t3 = "a\nb\nc\nd\nE\n" // generator change at the bottom
	)
	tests := []struct {
		name      string
		base      []gen.File
		theirs    []gen.File
		ours      map[string][]byte
		exact     bool
		noRecord  bool
		keep      string
		want      Kind
		wantData  string // when the action writes
		wantInOut string // substring of the written data
	}{
		{"unchanged everywhere", files("f", "x\n"), files("f", "x\n"), contents("f", "x\n"), true, false, "", Same, "", ""},
		{"untouched takes new bytes", files("f", "x\n"), files("f", "y\n"), contents("f", "x\n"), true, false, "", Update, "y\n", ""},
		{"edited, generator same", files("f", "x\n"), files("f", "x\n"), contents("f", "mine\n"), true, false, "", KeepEdited, "", ""},
		{"both changed, apart", files("f", b3), files("f", t3), contents("f", o3), true, false, "", Merged, "A\nb\nc\nd\nE\n", ""},
		{"both changed, same lines", files("f", b3), files("f", "Z\nb\nc\nd\ne\n"), contents("f", o3), true, false, "", Conflict, "", "<<<<<<< your edit\nA\n||||||| previous generation\na\n=======\nZ\n>>>>>>> new generation\n"},
		{"both changed, no exact base", files("f", b3), files("f", t3), contents("f", o3), false, false, "", Conflict, "", "\n>>>>>>> new generation (two-way)\n"},
		{"both made the same change", files("f", "x\n"), files("f", "y\n"), contents("f", "y\n"), true, false, "", Same, "", ""},
		{"new file", nil, files("f", "x\n"), contents(), true, false, "", Add, "x\n", ""},
		{"new path the user already has", nil, files("f", "x\n"), contents("f", "mine\n"), true, false, "", Conflict, "", "<<<<<<< your file\nmine\n=======\nx\n>>>>>>> new generation (a file the previous generation did not have)"},
		{"dropped, untouched", files("f", "x\n"), nil, contents("f", "x\n"), true, false, "", Remove, "", ""},
		{"dropped, edited: kept but needs the user", files("f", "x\n"), nil, contents("f", "mine\n"), true, false, "", Stale, "", ""},
		{"dropped, already gone", files("f", "x\n"), nil, contents(), true, false, "", Same, "", ""},
		{"deleted by user, generator same", files("f", "x\n"), files("f", "x\n"), contents(), true, false, "", Same, "", ""},
		{"deleted by user, generator changed", files("f", "x\n"), files("f", "y\n"), contents(), true, false, "", DeletedChanged, "", ""},
		{"no manifest: equal to regenerated base counts as untouched", files("f", "x\n"), files("f", "y\n"), contents("f", "x\n"), false, true, "", Update, "y\n", ""},
		{"no manifest: differing counts as edited", files("f", "x\n"), files("f", "y\n"), contents("f", "old generator\n"), false, true, "", Conflict, "", ""},
		{"kept spec source", files("fleet.json", "{}\n"), files("fleet.json", "{\"a\":1}\n"), contents("fleet.json", "{ }\n"), true, false, "fleet.json", -1, "", ""},
		{"secret exists: never written", files("secrets/u.yaml", "s1"), files("secrets/u.yaml", "s1"), contents("secrets/u.yaml", "real"), true, false, "", Same, "", ""},
		{"secret whose stub changed: kept, with a hint", files("secrets/u.yaml", "s1"), files("secrets/u.yaml", "s2"), contents("secrets/u.yaml", "real"), true, false, "", KeepEdited, "", ""},
		{"new secret stub", nil, files("secrets/n.yaml", "stub"), contents(), true, false, "", Add, "stub", ""},
		{"secret deleted by user not recreated", files("secrets/u.yaml", "s1"), files("secrets/u.yaml", "s2"), contents(), true, false, "", Same, "", ""},
		{"secret no longer generated is kept", files("secrets/u.yaml", "s1"), nil, contents("secrets/u.yaml", "real"), true, false, "", KeepOrphan, "", ""},
		// Markers left from an earlier run are not the user's edit: the
		// update says so and fails until they are resolved (cli.md).
		{"conflict markers left from an earlier run", files("f", "x\n"), files("f", "x\n"), contents("f", "<<<<<<< your edit\nA\n=======\nB\n>>>>>>> new generation\n"), true, false, "", Unresolved, "", ""},
		{"conflict markers left, generator changed too", files("f", "x\n"), files("f", "y\n"), contents("f", "a\n<<<<<<< your edit\nA\n=======\nB\n>>>>>>> new generation\n"), false, false, "", Unresolved, "", ""},
		{"vars never written", files("vars/.keep", ""), files("vars/.keep", ""), contents(), true, false, "", Same, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Base: tt.base, Theirs: tt.theirs, Ours: tt.ours}
			if !tt.noRecord {
				in.Recorded = record(tt.base)
				if !tt.exact {
					// Recorded by another output format: the base
					// reproduced now has other bytes.
					for p := range in.Recorded {
						in.Recorded[p] = gen.HashHex([]byte("an older format's bytes\n"))
					}
				}
			}
			if tt.keep != "" {
				in.Keep = map[string]bool{tt.keep: true}
			}
			plan := Make(in)
			if tt.want < 0 {
				if len(plan.Actions) != 0 {
					t.Fatalf("want no action, got %+v", plan.Actions)
				}
				return
			}
			if len(plan.Actions) != 1 {
				t.Fatalf("want one action, got %+v", plan.Actions)
			}
			a := plan.Actions[0]
			if a.Kind != tt.want {
				t.Fatalf("kind %v (%s), want %v", a.Kind, a.Why, tt.want)
			}
			if a.Kind.Writes() != (a.Data != nil) {
				t.Errorf("Writes() = %v but data %q", a.Kind.Writes(), a.Data)
			}
			if tt.wantData != "" && string(a.Data) != tt.wantData {
				t.Errorf("data %q, want %q", a.Data, tt.wantData)
			}
			if tt.wantInOut != "" && !strings.Contains(string(a.Data), tt.wantInOut) {
				t.Errorf("data %q, want it to contain %q", a.Data, tt.wantInOut)
			}
			if a.Kind.Failed() != (len(plan.Failed()) == 1) {
				t.Errorf("Failed() disagrees with the kind")
			}
			if a.Kind == Conflict {
				// The next update must see the markers, and each
				// region's labels must fit an editor's line: the plan
				// explains the file once, not every marker.
				if !hasMarkers(a.Data) {
					t.Errorf("the next update would not find the markers in %q", a.Data)
				}
				for _, l := range strings.Split(string(a.Data), "\n") {
					if isMarkerLine(l) && len(l) > maxMarkerLine {
						t.Errorf("marker line of %d characters, want at most %d: %q", len(l), maxMarkerLine, l)
					}
				}
			}
		})
	}
}

// maxMarkerLine is the longest conflict marker line, label included.
const maxMarkerLine = 72

func isMarkerLine(l string) bool {
	for _, m := range []string{"<<<<<<<", "|||||||", "=======", ">>>>>>>"} {
		if l == m || strings.HasPrefix(l, m+" ") {
			return true
		}
	}
	return false
}

func TestManifestAlwaysTakesTheNewRecord(t *testing.T) {
	theirs := files(gen.ManifestPath, "new", "f", "x\n")
	plan := Make(Input{Base: files("f", "x\n"), Recorded: map[string]string{"f": gen.HashHex([]byte("x\n"))},
		Theirs: theirs, Ours: contents(gen.ManifestPath, "edited by hand", "f", "x\n")})
	for _, a := range plan.Actions {
		if a.Path == gen.ManifestPath && (a.Kind != Update || string(a.Data) != "new") {
			t.Errorf("manifest action %+v", a)
		}
	}
}

func TestNotes(t *testing.T) {
	spec := func(machines []string, users []string) *gen.Spec {
		s := &gen.Spec{}
		for _, m := range machines {
			s.Machines = append(s.Machines, gen.Machine{Name: m, Class: "nixos"})
		}
		for _, u := range users {
			s.Users = append(s.Users, gen.User{Name: u})
		}
		return s
	}
	sopsChanged := &Plan{Actions: []Action{{Path: ".sops.yaml", Kind: Update}}}
	tests := []noteTest{
		{"nothing", spec([]string{"a"}, nil), spec([]string{"a"}, nil), &Plan{}, nil, []string{"machine", "user", "sops"}},
		{"rename", spec([]string{"a", "old"}, nil), spec([]string{"a", "new"}, nil), &Plan{},
			[]string{"old looks renamed to new", "git mv -k vars/per-machine/old vars/per-machine/new", "sops/machines/old sops/machines/new", "sops/secrets/old-age.key sops/secrets/new-age.key"}, nil},
		{"removed machine", spec([]string{"a", "b", "c"}, nil), spec([]string{"a"}, nil), &Plan{},
			[]string{"machine b is no longer", "machine c is no longer", "vars/per-machine/c"}, []string{"renamed"}},
		{"removed user", spec([]string{"a"}, []string{"bob", "eve"}), spec([]string{"a"}, []string{"bob"}), sopsChanged,
			[]string{"user eve is no longer", "secrets/home-manager/users/eve/", "sops updatekeys"}, []string{"user bob"}},
		{"no old spec", nil, spec([]string{"a"}, nil), &Plan{}, nil, []string{"machine"}},
	}
	runNoteTests(t, tests)
}

// noteTest is a row of the notes tables: what Notes(old, new, plan) must
// say and must not.
type noteTest struct {
	name     string
	old, new *gen.Spec
	plan     *Plan
	want     []string
	dontWant []string
}

func runNoteTests(t *testing.T, tests []noteTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(Notes(tt.old, tt.new, tt.plan), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("notes lack %q:\n%s", w, got)
				}
			}
			for _, w := range tt.dontWant {
				if strings.Contains(got, w) {
					t.Errorf("notes have %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestChanges(t *testing.T) {
	base := files("fleet.json", "{}", "same", "x", "changed", "a", "gone", "g", "secrets/s.yaml", "1", gen.ManifestPath, "m1")
	theirs := files("fleet.json", "{}", "same", "x", "changed", "b", "new", "n", "secrets/s.yaml", "2", "secrets/new.yaml", "3", gen.ManifestPath, "m2")
	changed, removed := Changes(base, theirs)
	var paths []string
	for _, f := range changed {
		paths = append(paths, f.Path)
	}
	if strings.Join(paths, ",") != "fleet.json,changed,new" || strings.Join(removed, ",") != "gone" {
		t.Errorf("changed %v, removed %v", paths, removed)
	}
	readme := string(ChangesReadme("fleet-changes", changed, removed))
	for _, w := range []string{"fleetyard update -n --spec fleet-changes/fleet.json path/to/your/repo", "fleetyard update --spec fleet-changes/fleet.json path/to/your/repo", "    new\n", "    gone\n"} {
		if !strings.Contains(readme, w) {
			t.Errorf("UPDATE.txt lacks %q:\n%s", w, readme)
		}
	}
}

func TestHasMarkers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"<<<<<<< your edit\na\n=======\nb\n>>>>>>> new generation\n", true},
		{"x\n<<<<<<< the file that was here\na\n=======\nb\n>>>>>>> generated by Fleetyard\n", true},
		{"<<<<<<< your edit\na\n=======\nb\n>>>>>>> new generation (two-way)\n", true},
		{"x = \"<<<<<<< not a marker\";\n>>>>>>> y\n", false},
		{"x = \"<<<<<<< \";\n<<<<<<< your edit\na\n>>>>>>> new\n", true},
		{"<<<<<<< your edit, never closed\n", false},
		{">>>>>>> a close without an open\n", false},
		{"", false},
	} {
		if got := hasMarkers([]byte(tt.in)); got != tt.want {
			t.Errorf("hasMarkers(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A renamed machine's file the owner edited: the edits move to the new
// machine's file (a line merge against the old file's previous
// generation), and the old file goes, its edits carried.
func TestRenameCarriesEdits(t *testing.T) {
	const op, np = "modules/machines/nixos/zinc/default.nix", "modules/machines/nixos/iron/default.nix"
	base := files(op, "a\nhost zinc\nc\n")
	in := Input{Recorded: record(base), Base: base, Theirs: files(np, "a\nhost iron\nc\n"),
		Ours: contents(op, "a\nhost zinc\nc\nmine\n"), Renamed: map[string]string{"zinc": "iron"}}
	got := map[string]Action{}
	for _, a := range Make(in).Actions {
		got[a.Path] = a
	}
	if a := got[np]; a.Kind != Merged || string(a.Data) != "a\nhost iron\nc\nmine\n" {
		t.Errorf("%s: %s %q, want the edit merged into the new file", np, a.Kind, a.Data)
	}
	if a := got[op]; a.Kind != Remove || !strings.Contains(a.Why, np) {
		t.Errorf("%s: %s %q, want removed, its edits carried", op, a.Kind, a.Why)
	}
	// Not renamed: the edited file stays for the owner to empty.
	in.Renamed = nil
	got = map[string]Action{}
	for _, a := range Make(in).Actions {
		got[a.Path] = a
	}
	if got[op].Kind != Stale || got[np].Kind != Add {
		t.Errorf("without a rename: %s %s, %s %s", op, got[op].Kind, np, got[np].Kind)
	}
}
