package update

import (
	"slices"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// Every existing sops file is checked against the rule the new .sops.yaml
// gives its path: the recipients decide between nothing to do, re-encrypt
// (updatekeys) and re-encrypt plus a new data key (rotate).
func TestCheckSops(t *testing.T) {
	spec := seedSpec(t)
	rules := accessOf(t, spec)
	const crs = "secrets/home-manager/users/crs58/secrets.yaml"
	var want []string
	for _, f := range rules {
		if f.Path == crs {
			want = f.Recipients()
		}
	}
	if len(want) < 2 {
		t.Fatalf("the seed's %s rule has %v", crs, want)
	}
	const revoked = "age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny"
	reversed := slices.Clone(want)
	slices.Reverse(reversed)
	tests := []struct {
		name     string
		path     string
		file     SopsFile
		kind     Kind
		commands []string
		why      string
	}{
		{"same recipients", crs, SopsFile{Encrypted: true, Recipients: want}, Same, nil, ""},
		{"same recipients, other order", crs, SopsFile{Encrypted: true, Recipients: reversed}, Same, nil, ""},
		{"a key was revoked", crs, SopsFile{Encrypted: true, Recipients: append(slices.Clone(want), revoked)}, Rekey,
			[]string{"sops updatekeys -y " + crs, "sops rotate -i " + crs}, "still encrypted for user raquel (age1df3u0c…)"},
		{"a key was replaced", crs, SopsFile{Encrypted: true, Recipients: append(slices.Clone(want[:len(want)-1]), revoked)}, Rekey,
			[]string{"sops updatekeys -y " + crs, "sops rotate -i " + crs}, "not yet encrypted for"},
		{"a key was added", crs, SopsFile{Encrypted: true, Recipients: want[:1]}, Rekey, []string{"sops updatekeys -y " + crs}, "not yet encrypted for"},
		{"no rule covers it", "secrets/home-manager/users/ghost/secrets.yaml", SopsFile{Encrypted: true, Recipients: want}, Stale,
			[]string{"git rm secrets/home-manager/users/ghost/secrets.yaml"}, "no creation rule"},
		{"not encrypted", crs, SopsFile{}, Rekey, []string{"sops encrypt -i " + crs}, "not encrypted"},
		{"odd file name is quoted", "secrets/home-manager/users/crs58/my file.yaml", SopsFile{Encrypted: true, Recipients: want[:1]}, Rekey,
			[]string{"sops updatekeys -y 'secrets/home-manager/users/crs58/my file.yaml'"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := Make(Input{
				Theirs: files(crs, "stub"), Base: files(crs, "stub"), Ours: contents(crs, "real", tt.path, "real"),
				Sops: map[string]SopsFile{tt.path: tt.file}, Rules: rules, Names: map[string]string{revoked: "user raquel"},
			})
			var a *Action
			for i := range plan.Actions {
				if plan.Actions[i].Path == tt.path {
					a = &plan.Actions[i]
				}
			}
			if a == nil {
				t.Fatalf("no action for %s: %+v", tt.path, plan.Actions)
			}
			if a.Kind != tt.kind || !slices.Equal(a.Commands, tt.commands) || !strings.Contains(a.Why, tt.why) {
				t.Errorf("got %s %q %q\nwant %s %q, why containing %q", a.Kind, a.Commands, a.Why, tt.kind, tt.commands, tt.why)
			}
			if a.NeedsYou() != (tt.kind != Same) {
				t.Errorf("NeedsYou() = %v", a.NeedsYou())
			}
			if a.Kind.Writes() {
				t.Errorf("a secrets file must never be written over")
			}
		})
	}
}

// The stub hint names what changed once the recipients are known to match.
func TestCheckSopsNamesChanged(t *testing.T) {
	spec := seedSpec(t)
	const crs = "secrets/home-manager/users/crs58/secrets.yaml"
	var want []string
	for _, f := range accessOf(t, spec) {
		if f.Path == crs {
			want = f.Recipients()
		}
	}
	plan := Make(Input{Theirs: files(crs, "stub2"), Base: files(crs, "stub1"), Ours: contents(crs, "real"),
		Sops: map[string]SopsFile{crs: {Encrypted: true, Recipients: want}}, Rules: accessOf(t, spec)})
	a := plan.Actions[0]
	if a.Kind != KeepEdited || !strings.Contains(a.Why, "secret names changed: add the new ones with sops edit "+crs) {
		t.Errorf("%s %q", a.Kind, a.Why)
	}
}

// Clan's keyring: with clan state in the repository, a key file is not
// deleted by hand (clan's removal needs it and re-encrypts), and a changed
// key comes with clan's re-encryption commands. Without clan state, the
// key file is an ordinary generated file.
func TestClanKeyring(t *testing.T) {
	const u, m = "sops/users/bob/key.json", "sops/machines/mac/key.json"
	tests := []struct {
		name     string
		path     string
		base     []gen.File
		theirs   []gen.File
		ours     map[string][]byte
		clan     bool
		kind     Kind
		commands []string
	}{
		{"removed user, clan state", u, files(u, "k1"), nil, contents(u, "k1"), true, Stale, []string{"clan secrets users remove bob", "clan vars fix"}},
		{"removed user, edited, clan state", u, files(u, "k1"), nil, contents(u, "edited"), true, Stale, []string{"clan secrets users remove bob", "clan vars fix"}},
		{"removed machine, clan state", m, files(m, "k1"), nil, contents(m, "k1"), true, Stale, []string{"clan secrets machines remove mac", "clan vars fix"}},
		{"removed user, no clan state", u, files(u, "k1"), nil, contents(u, "k1"), false, Remove, nil},
		{"changed key, clan state", m, files(m, "k1"), files(m, "k2"), contents(m, "k1"), true, Update, []string{"clan secrets key update", "clan vars fix"}},
		{"changed key, no clan state", m, files(m, "k1"), files(m, "k2"), contents(m, "k1"), false, Update, nil},
		// clan_cli/secrets/groups.py: a member of the admins group is a
		// link there, and adding it re-encrypts the group's secrets and vars.
		{"new admin, clan state", u, nil, files(u, "k1"), contents(), true, Add, []string{"clan secrets groups add-user admins bob"}},
		{"new admin, no clan state", u, nil, files(u, "k1"), contents(), false, Add, nil},
		{"new machine key", m, nil, files(m, "k1"), contents(), true, Add, nil},
		{"already gone", u, files(u, "k1"), nil, contents(), true, Same, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := Make(Input{Recorded: record(tt.base), Base: tt.base, Theirs: tt.theirs, Ours: tt.ours, ClanState: tt.clan})
			a := plan.Actions[0]
			if a.Kind != tt.kind || !slices.Equal(a.Commands, tt.commands) {
				t.Errorf("got %s %q (%s), want %s %q", a.Kind, a.Commands, a.Why, tt.kind, tt.commands)
			}
		})
	}
}

// Overwrite is fleetyard gen -o into a directory without a manifest: the
// generation fills it, but a file that was there and differs is nobody's
// but the user's, so it gets two-way conflict markers (nothing the user
// wrote is lost); secrets/ and vars/ are kept as they are.
func TestOverwrite(t *testing.T) {
	plan := Make(Input{
		Overwrite: true,
		Theirs:    files("a", "new\n", "b", "same\n", "c", "fresh\n", "secrets/s.yaml", "stub"),
		Ours:      contents("a", "old\n", "b", "same\n", "secrets/s.yaml", "real", "other", "not ours\n"),
	})
	want := map[string]Kind{"a": Conflict, "b": Same, "c": Add, "secrets/s.yaml": Same}
	if len(plan.Actions) != len(want) {
		t.Fatalf("%+v", plan.Actions)
	}
	for _, a := range plan.Actions {
		if a.Kind != want[a.Path] {
			t.Errorf("%s: %s, want %s", a.Path, a.Kind, want[a.Path])
		}
		if a.Path == "a" && !strings.Contains(string(a.Data), "old\n") {
			t.Errorf("a: the file that was there is lost:\n%s", a.Data)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"secrets/a.yaml": "secrets/a.yaml",
		"a b":            "'a b'",
		"it's":           `'it'\''s'`,
		"":               "''",
		"$(x)":           "'$(x)'",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// accessOf is the Access rows of a spec built or edited in Go.
func accessOf(t *testing.T, s *gen.Spec) []gen.SecretFile {
	t.Helper()
	f, ok := reparse(s)
	if !ok {
		t.Fatal("the spec does not parse")
	}
	return f.Access()
}

// A renamed Mac keeps its key (its hostKey), so its secrets/hosts/ files
// move to the path the new rule names; they are not gone.
func TestCheckSopsRenamedMac(t *testing.T) {
	old := seedSpec(t)
	new := seedSpec(t)
	for i := range new.Machines {
		if new.Machines[i].Name == "blackphos" {
			new.Machines[i].Name = "onyx"
		}
	}
	for i := range new.Users {
		for j, m := range new.Users[i].Machines {
			if m == "blackphos" {
				new.Users[i].Machines[j] = "onyx"
			}
		}
	}
	renamed := Renames(old, new)
	if renamed["blackphos"] != "onyx" || len(renamed) != 1 {
		t.Fatalf("Renames = %v", renamed)
	}
	const p = "secrets/hosts/blackphos/wifi.yaml"
	for _, tt := range []struct {
		name    string
		renamed map[string]string
		cmds    []string
	}{
		{"renamed", renamed, []string{"mkdir -p secrets/hosts/onyx", "git mv " + p + " secrets/hosts/onyx/wifi.yaml"}},
		{"removed", nil, []string{"git rm " + p}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := Make(Input{Ours: contents(p, "real"), Sops: map[string]SopsFile{p: {Encrypted: true}}, Rules: accessOf(t, new), Renamed: tt.renamed})
			a := plan.Actions[0]
			if a.Kind != Stale || !slices.Equal(a.Commands, tt.cmds) {
				t.Errorf("got %s %q (%s), want %q", a.Kind, a.Commands, a.Why, tt.cmds)
			}
		})
	}
}

// sops-install-secrets stops at the first name a file lacks, so a name the
// new stub has and the existing file does not needs the user, even when
// the recipients are right.
func TestMissingKeys(t *testing.T) {
	const p = "secrets/home-manager/users/crs58/secrets.yaml"
	for _, tt := range []struct {
		name string
		keys []string
		want []string
	}{
		{"all there", []string{"github-token", "ssh-signing-key", "extra"}, nil},
		{"one missing", []string{"github-token"}, []string{"sops " + p}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := missingKeys(p, SopsFile{Encrypted: true, Keys: tt.keys}, Action{Kind: KeepEdited}, []string{"github-token", "ssh-signing-key"})
			if !slices.Equal(a.Commands, tt.want) || (tt.want != nil) != strings.Contains(a.Why, "asks for ssh-signing-key, which the file lacks") {
				t.Errorf("got %q %q, want %q", a.Commands, a.Why, tt.want)
			}
		})
	}
}
