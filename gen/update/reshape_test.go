package update

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

func on(b bool) *bool { return &b }

// fleetOf is a spec of the given machines, each a copy.
func fleetOf(ms ...gen.Machine) *gen.Spec {
	return &gen.Spec{Machines: append([]gen.Machine(nil), ms...)}
}

func server(m gen.Machine, enabled bool, typ, loc, image string) gen.Machine {
	m.Hetzner = &gen.Hetzner{Enabled: on(enabled), ServerType: typ, Location: loc, Image: image}
	return m
}

func TestMachineNotes(t *testing.T) {
	nixos := func(name string) gen.Machine {
		return gen.Machine{Name: name, Class: "nixos", StateVersion: "26.05", Zerotier: "peer", Disk: &gen.Disk{Layout: "ext4", Device: "/dev/sda"}}
	}
	mac := func(name, hostKey string) gen.Machine {
		return gen.Machine{Name: name, Class: "darwin", StateVersion: "6", Zerotier: "peer", HostKey: hostKey}
	}
	ctl := func(m gen.Machine) gen.Machine { m.Zerotier = "controller"; return m }
	with := func(m gen.Machine, f func(*gen.Machine)) gen.Machine { f(&m); return m }
	const hk = "ssh-ed25519 AAAA host"
	state := &Plan{ClanState: true, Clan: &ClanFacts{}}
	installed := func(names ...string) *Plan {
		return &Plan{ClanState: true, Clan: &ClanFacts{Machines: names, Secrets: []string{"hetzner-api-token", "a-age.key"}}}
	}
	tests := []noteTest{
		{"nothing changed", fleetOf(nixos("a")), fleetOf(nixos("a")), state, nil, []string{"machine", "server", "disk", "stateVersion", "zerotier"}},
		// Without clan state (no vars, no sops secrets) there is nothing to retire.
		{"removed, no clan state", fleetOf(nixos("a"), nixos("b")), fleetOf(nixos("a")), &Plan{Clan: &ClanFacts{}}, nil, []string{"machine b"}},
		{"removed, not installed", fleetOf(nixos("a"), nixos("b")), fleetOf(nixos("a")), state,
			[]string{"machine b is no longer in the spec", "git rm -r --ignore-unmatch machines/b vars/per-machine/b sops/secrets/b-age.key\n", "test ! -d sops/machines/b || clan secrets machines remove b\n"},
			[]string{"clan machines delete"}},
		// clan-core modules/clan/module.nix: machines/<name> and inventory.json keep it a clan machine.
		{"removed, installed", fleetOf(nixos("a"), nixos("b")), fleetOf(nixos("a")), installed("b"),
			[]string{"clan still finds it", "machines/b (its hardware report) or inventory.json", "`nix flake check` would evaluate it, and fail on it", "    clan machines delete b\n", "    git add -A machines vars sops && git commit -m 'retire b'\n"},
			[]string{"git rm"}},
		// clan's delete leaves the shared vars named after the machine.
		{"removed zerotier member, installed", fleetOf(ctl(nixos("a")), nixos("b")), fleetOf(ctl(nixos("a"))), installed("b"),
			[]string{"    clan machines delete b\n    git rm -r --ignore-unmatch vars/shared/zerotier-identity-b vars/shared/zerotier-ip-b-zerotier\n", "stays a member of the zerotier network until you revoke it"}, nil},
		{"removed zerotier Mac", fleetOf(ctl(nixos("a")), mac("m", hk)), fleetOf(ctl(nixos("a"))), state,
			[]string{"delete zerotier/m.node-id as well"}, []string{"zerotier-identity"}},
		// clan_lib/machines/delete.py deletes every clan secret named "<machine>-…".
		{"removed, installed, named like a secret", fleetOf(nixos("a"), nixos("hetzner")), fleetOf(nixos("a")), installed("hetzner"),
			[]string{"Not with `clan machines delete hetzner`", "sops/secrets/hetzner-api-token", "git rm -r --ignore-unmatch machines/hetzner vars/per-machine/hetzner sops/secrets/hetzner-age.key", "test ! -d sops/machines/hetzner || clan secrets machines remove hetzner\n", `# and delete "hetzner" from "machines" in inventory.json`},
			[]string{"    clan machines delete"}},
		{"removed Mac with a hostKey", fleetOf(nixos("a"), mac("m", hk)), fleetOf(nixos("a")), state,
			[]string{"git rm -r --ignore-unmatch vars/per-machine/m && git commit", "sops/machines/m, is Fleetyard's"},
			[]string{"clan secrets machines remove", "age.key"}},
		{"removed server", fleetOf(nixos("a"), server(nixos("b"), true, "cx23", "fsn1", "debian-12")), fleetOf(nixos("a")), state,
			[]string{"b's Hetzner Cloud server leaves modules/terranix/hetzner.nix: the next `nix run .#terraform` destroys it"}, nil},
		{"removed switched-off server", fleetOf(nixos("a"), server(nixos("b"), false, "cx23", "fsn1", "debian-12")), fleetOf(nixos("a")), state,
			nil, []string{"Hetzner"}},
		{"stray clan machine", fleetOf(nixos("a")), fleetOf(nixos("a")), installed("a", "gone"),
			[]string{"clan finds a machine gone that the spec does not have", "clan machines delete gone"}, []string{"machine a"}},
		{"stray clan machine, no previous spec", nil, fleetOf(nixos("a")), installed("gone"),
			[]string{"clan finds a machine gone"}, nil},

		{"renamed", fleetOf(ctl(nixos("a")), nixos("old")), fleetOf(ctl(nixos("a")), nixos("new")), state,
			[]string{"old looks renamed to new",
				"git mv -k vars/per-machine/old vars/per-machine/new\n",
				"git mv -k sops/machines/old sops/machines/new\n",
				"git mv -k sops/secrets/old-age.key sops/secrets/new-age.key\n",
				"git mv -k machines/old machines/new\n",
				"git mv -k vars/shared/zerotier-identity-old vars/shared/zerotier-identity-new\n",
				"git mv -k vars/shared/zerotier-ip-old-zerotier vars/shared/zerotier-ip-new-zerotier\n",
				"-path '*/machines/old'",
				`If inventory.json has "old" under "machines", rename that key to "new"`,
				"clan vars generate new"},
			[]string{"is no longer in the spec", "Hetzner"}},
		// Pairs are made class by class: a Mac added in the same edit
		// leaves the renamed server a rename, not a removal to delete.
		{"renamed next to an added Mac", fleetOf(ctl(nixos("a")), nixos("old")), fleetOf(ctl(nixos("a")), nixos("new"), mac("m", hk)), state,
			[]string{"old looks renamed to new", "git mv -k vars/per-machine/old vars/per-machine/new\n"},
			[]string{"is no longer in the spec", "clan machines delete"}},
		{"a server and a Mac renamed at once", fleetOf(ctl(nixos("a")), nixos("old"), mac("oldmac", hk)), fleetOf(ctl(nixos("a")), nixos("new"), mac("newmac", hk)), state,
			[]string{"old looks renamed to new", "oldmac looks renamed to newmac", "git mv -k zerotier/oldmac.node-id zerotier/newmac.node-id\n"},
			[]string{"is no longer in the spec"}},
		{"two servers out, one in: no rename", fleetOf(nixos("a"), nixos("b"), nixos("c")), fleetOf(nixos("a"), nixos("d")), state,
			[]string{"machine b is no longer in the spec", "machine c is no longer in the spec"},
			[]string{"looks renamed"}},
		{"renamed, no clan state", fleetOf(nixos("old")), fleetOf(nixos("new")), &Plan{Clan: &ClanFacts{}}, nil, []string{"git mv"}},
		{"renamed Mac with a hostKey", fleetOf(ctl(nixos("a")), mac("old", hk)), fleetOf(ctl(nixos("a")), mac("new", hk)), state,
			[]string{"git mv -k vars/per-machine/old vars/per-machine/new\n", "git mv -k zerotier/old.node-id zerotier/new.node-id\n", "writes sops/machines/new from the hostKey", "the commands listed for sops/machines/old"},
			[]string{"sops/secrets/old-age.key", "machines/old machines/new", "zerotier-identity", "inventory.json"}},
		// The update writes sops/machines/new, where git mv would nest clan's key.
		{"renamed Mac gaining a hostKey", fleetOf(mac("old", "")), fleetOf(mac("new", hk)), state,
			[]string{"its hostKey is added or removed too. Make those two changes in two updates"}, []string{"git mv"}},
		{"renamed outside zerotier", fleetOf(nixos("old")), fleetOf(nixos("new")), state,
			[]string{"git mv -k machines/old machines/new\n"}, []string{"zerotier"}},
		{"renamed server", fleetOf(server(nixos("old"), true, "cx23", "fsn1", "debian-12")), fleetOf(server(nixos("new"), true, "cx33", "nbg1", "debian-12")), state,
			[]string{"Terraform knows old's Hetzner Cloud server by the machine's name", "creates and installs a new server for new", "To keep the server and its data, keep the name."},
			[]string{"changes location", "server type changes"}},
		{"renamed, disk changed too", fleetOf(nixos("old")), fleetOf(with(nixos("new"), func(m *gen.Machine) { m.Disk = &gen.Disk{Layout: "zfs", Device: "/dev/sda"} })), state,
			[]string{"looks renamed", "new's disk layout changes from ext4 on /dev/sda to zfs on /dev/sda"}, nil},

		{"server switched off", fleetOf(server(nixos("a"), true, "cx23", "fsn1", "debian-12")), fleetOf(server(nixos("a"), false, "cx23", "fsn1", "debian-12")), state,
			[]string{"a's Hetzner Cloud server is switched off: the next `nix run .#terraform` destroys it"}, nil},
		// terraform-provider-hcloud internal/server/resource.go: location and image are ForceNew.
		{"server moved", fleetOf(server(nixos("a"), true, "cx23", "fsn1", "debian-12")), fleetOf(server(nixos("a"), true, "cx33", "nbg1", "debian-13")), state,
			[]string{"changes location fsn1 to nbg1 and image debian-12 to debian-13", "The provider replaces a server for either", "destroys it, with its disk, and creates and installs a new one"},
			[]string{"server type changes"}},
		// …and server_type is changed in place: power off, change type (upgrade_disk unless keep_disk), power on.
		{"server resized", fleetOf(server(nixos("a"), true, "cx23", "fsn1", "debian-12")), fleetOf(server(nixos("a"), true, "cx33", "fsn1", "debian-12")), state,
			[]string{"server type changes from cx23 to cx33", "cuts the server's power (shut it down first", "Hetzner starts it again", "refuses any type with a smaller disk"}, []string{"destroys"}},
		{"server switched on", fleetOf(server(nixos("a"), false, "cx23", "fsn1", "debian-12")), fleetOf(server(nixos("a"), true, "cx33", "nbg1", "debian-12")), state,
			nil, []string{"Hetzner"}},
		{"disk device changed", fleetOf(nixos("a")), fleetOf(with(nixos("a"), func(m *gen.Machine) { m.Disk = &gen.Disk{Layout: "ext4", Device: "/dev/vda"} })), state,
			[]string{"a's disk layout changes from ext4 on /dev/sda to ext4 on /dev/vda", "clan machines install a --target-host root@<address>"}, nil},
		{"stateVersion changed", fleetOf(nixos("a")), fleetOf(with(nixos("a"), func(m *gen.Machine) { m.StateVersion = "25.11" })), state,
			[]string{"a's stateVersion changes from 26.05 to 25.11"}, nil},

		// clanServices/zerotier: the network id comes from the controller's identity and is never regenerated by itself.
		{"controller moved", fleetOf(ctl(nixos("a")), nixos("b")), fleetOf(nixos("a"), ctl(nixos("b"))), state,
			[]string{"the zerotier controller moves from a to b", "Once this update is written", "cat vars/shared/zerotier-network-zerotier/network-id/value", "clan vars generate --regenerate --generator zerotier-network-zerotier\n", "zerotier-cli leave"}, nil},
		{"controller removed, another takes over", fleetOf(ctl(nixos("a")), nixos("b"), nixos("c")), fleetOf(ctl(nixos("b")), nixos("c")), state,
			[]string{"machine a is no longer", "the zerotier controller moves from a to b"}, nil},
		// Moving its state keeps the controller's identity, and so the network.
		{"controller renamed", fleetOf(ctl(nixos("old"))), fleetOf(ctl(nixos("new"))), state,
			[]string{"old looks renamed to new"}, []string{"controller moves"}},
		{"zerotier switched off", fleetOf(ctl(nixos("a"))), fleetOf(with(nixos("a"), func(m *gen.Machine) { m.Zerotier = "none" })), state,
			nil, []string{"controller moves"}},
	}
	runNoteTests(t, tests)
}

// TestRenameNoteCommandsRun runs the rename note's commands with the real
// git and sh in a repository laid out as clan lays out its state
// (clan_cli/secrets/secrets.py allow_member: a secret's machines/<name> is
// a relative link to sops/machines/<name>), and checks that every link
// then names the new machine and still reaches its key, and that git has
// every change staged.
func TestRenameNoteCommandsRun(t *testing.T) {
	git := tooltest.Require(t, "git", "apt-get install -y git")
	tooltest.Require(t, "sh", "apt-get install -y dash")
	dir := t.TempDir()
	write := func(p, data string) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(secret, kind, name string) {
		from := filepath.Join(dir, secret, kind)
		rel, err := filepath.Rel(from, filepath.Join(dir, "sops", kind, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(from, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(rel, filepath.Join(from, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []string{"old", "other"} {
		write("sops/machines/"+m+"/key.json", `[{"publickey": "age1`+m+`", "type": "age"}]`)
	}
	write("sops/users/admin/key.json", `[{"publickey": "age1admin", "type": "age"}]`)
	secrets := map[string][]string{
		"sops/secrets/old-age.key":                            nil,
		"vars/per-machine/old/openssh/ssh.id_ed25519":         {"old"},
		"vars/shared/user-password-bob/user-password-hash":    {"old", "other"},
		"vars/shared/zerotier-identity-old/identity-secret":   {"old"},
		"vars/per-machine/other/openssh/ssh.id_ed25519":       {"other"},
		"sops/secrets/hetzner-api-token":                      nil,
		"vars/per-machine/old/emergency-access/password-hash": {"old"},
		"vars/shared/zerotier-ip-old-zerotier/ip":             nil,
	}
	for s, machines := range secrets {
		write(s+"/secret", "ENC")
		link(s, "users", "admin")
		for _, m := range machines {
			link(s, "machines", m)
		}
	}
	write("machines/old/facter.json", "{}")
	// A group with a machine in it (clan secrets groups add-machine).
	if err := os.MkdirAll(filepath.Join(dir, "sops/groups/servers/machines"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../machines/old", filepath.Join(dir, "sops/groups/servers/machines/old")); err != nil {
		t.Fatal(err)
	}
	write("vars/per-machine/old/openssh/ssh.id_ed25519.pub/value", "ssh-ed25519 AAAA")
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %q: %v\n%s", name, args, err, out)
		}
	}
	run(git, "init", "-q")
	run(git, "add", "-A")
	run(git, "commit", "-qm", "clan state")

	ctl := gen.Machine{Name: "other", Class: "nixos", Zerotier: "controller"}
	old, new := fleetOf(ctl, gen.Machine{Name: "old", Class: "nixos"}), fleetOf(ctl, gen.Machine{Name: "new", Class: "nixos"})
	notes := Notes(old, new, &Plan{ClanState: true, Clan: &ClanFacts{Machines: []string{"old"}}})
	if len(notes) == 0 {
		t.Fatal("no rename note")
	}
	var ran int
	for _, line := range strings.Split(notes[0], "\n") {
		if cmd, ok := strings.CutPrefix(line, "    "); ok {
			run("sh", "-c", cmd)
			ran++
		}
	}
	if ran < 7 {
		t.Fatalf("ran %d commands from the note:\n%s", ran, notes[0])
	}

	for s, machines := range secrets {
		s = strings.ReplaceAll(s, "old", "new")
		for _, m := range machines {
			if m == "old" {
				m = "new"
			}
			l := filepath.Join(dir, s, "machines", m)
			target, err := os.Readlink(l)
			if err != nil {
				t.Errorf("%s: %v", l, err)
				continue
			}
			if filepath.IsAbs(target) {
				t.Errorf("%s -> %s: clan's links are relative", l, target)
			}
			if _, err := os.Stat(filepath.Join(l, "key.json")); err != nil {
				t.Errorf("%s -> %s does not reach the machine's key: %v", l, target, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "sops/groups/servers/machines/new/key.json")); err != nil {
		t.Errorf("the group's link does not reach the machine's key: %v", err)
	}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.Contains(p[len(dir):], "old") {
			t.Errorf("%s still names the old machine", p[len(dir):])
		}
		return nil
	})
	cmd := exec.Command(git, "status", "--porcelain")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// Staged (first column set), nothing left in the work tree (second column blank).
		if len(l) < 3 || l[0] == ' ' || l[0] == '?' || l[1] != ' ' {
			t.Errorf("git status: %q is not staged", l)
		}
	}
}

// TestReshapeNotesMatchClan pins what the machine notes say about clan to
// the pinned clan-core; a newer pin that changes any of it fails here, and
// the note must be read again.
func TestReshapeNotesMatchClan(t *testing.T) {
	has := func(project, path string, want ...string) []byte {
		t.Helper()
		src := tooltest.UpstreamFile(t, project, path)
		for _, w := range want {
			if !bytes.Contains(src, []byte(w)) {
				t.Errorf("%s: %s no longer has %q", project, path, w)
			}
		}
		return src
	}
	// A machines/<name> directory and an inventory.json entry each make a
	// clan machine: the removed-machine note.
	has("clan-core", "modules/clan/module.nix", `"${directory}/inventory.json"`, `readDir "${directory}/machines"`)
	// clan machines delete: what it removes, and that it takes every
	// secret named "<machine>-…"; it needs the machine in the flake.
	has("clan-core", "pkgs/clan-cli/clan_lib/machines/delete.py",
		"inventory_store.delete(", "shutil.rmtree(folder)", `secret_name.startswith(f"{machine.name}-")`, "secrets_machine_remove(")
	has("clan-core", "pkgs/clan-cli/clan_cli/machines/delete.py", "validate_machine_names([args.name]")
	// clan secrets machines remove re-encrypts what the machine could read.
	has("clan-core", "pkgs/clan-cli/clan_cli/secrets/machines.py", "removed_paths.extend(update_secrets(")
	// A broken machines/<name> link is skipped, so a renamed machine
	// whose links still name it would be re-encrypted out: the note's find.
	has("clan-core", "pkgs/clan-cli/clan_cli/secrets/secrets.py", `log.warning(f"Ignoring broken symlink {p}")`)
	// The shared generators named after a member, and the network id's,
	// which depends on the controller's identity and has no validation: a
	// new controller keeps the old id until regenerated.
	zt := has("clan-core", "clanServices/zerotier/default.nix",
		`"zerotier-identity-${machine.name}" = {`, `"zerotier-ip-${machine.name}-${instanceName}"`,
		`lib.nameValuePair "zerotier-network-${instanceName}" {`, "dependencies = [ controllerGenerator ];")
	if i := bytes.Index(zt, []byte(`lib.nameValuePair "zerotier-network-${instanceName}" {`)); i >= 0 {
		if end := bytes.Index(zt[i:], []byte("\n                }\n")); end < 0 || bytes.Contains(zt[i:i+end], []byte("validation")) {
			t.Error("the zerotier network-id generator may now regenerate by itself: read the controller note again")
		}
	}
	// --regenerate with --generator runs the generator's dependents too.
	has("clan-core", "pkgs/clan-cli/clan_lib/vars/graph.py", "closure = add_dependents(closure, generators)")
	// The SSH host certificate's validation carries the machine's name:
	// `clan vars generate <new>` renews it.
	if !regexp.MustCompile(`validation = \{\s*name = config\.clan\.core\.settings\.machine\.name;`).Match(tooltest.UpstreamFile(t, "clan-core", "clanServices/sshd/default.nix")) {
		t.Error("sshd's certificate generator no longer validates on the machine's name")
	}
}
