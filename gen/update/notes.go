package update

import (
	"fmt"
	"slices"
	"sort"

	"github.com/fleetyard/fleetyard/gen"
)

// Notes tells the user what an update cannot do for them: clan state that
// lives outside the generated files (vars/, sops/, machines/) and must
// follow a renamed or removed machine by hand, what a change to a machine
// does to the server or the disks it runs on (reshape.go), secrets kept for
// removed users, and re-encrypting existing secrets when the recipients
// change. old may be nil (no previous spec known).
func Notes(old, new *gen.Spec, plan *Plan) []string {
	var notes []string
	if old != nil {
		notes = append(notes, machineNotes(old, new, plan)...)
		goneUsers, _ := diffNames(userNames(old), userNames(new))
		for _, u := range goneUsers {
			tail := "Secrets already encrypted to %[1]s's key stay readable by that key until re-encrypted (see the sops updatekeys note)."
			if plan.CheckedSops {
				tail = "Every secrets file still encrypted to %[1]s's key is listed with the commands that re-encrypt or remove it."
			}
			// clan keeps the vars of generators no machine declares any
			// more: the users service's shared password (user-password-<u>)
			// and each Mac's per-user SSH key (ssh-key-<u>).
			notes = append(notes, fmt.Sprintf(
				"user %[1]s is no longer in the spec. secrets/home-manager/users/%[1]s/ is kept (it may hold real secrets): delete it yourself when it is no longer needed. "+tail+
					" clan keeps the user's vars too (the password and the Macs' SSH keys); once nothing needs them:\n"+
					"    git rm -r --ignore-unmatch vars/shared/user-password-%[1]s vars/per-machine/*/ssh-key-%[1]s && git commit -m 'retire %[1]s'",
				u))
		}
	}
	if old != nil {
		notes = append(notes, macAccountNotes(old, new)...)
	}
	notes = append(notes, strayNotes(old, new, plan)...)
	for _, a := range plan.Actions {
		// Without the per-file check, say it once for every file.
		if a.Path == ".sops.yaml" && a.Kind.Writes() && !plan.CheckedSops {
			notes = append(notes, "the recipients in .sops.yaml changed: existing encrypted files keep their old recipients until you re-encrypt them, e.g. `find secrets -name '*.yaml' -exec sops updatekeys -y {} \\;`.")
		}
	}
	return notes
}

func machineNames(s *gen.Spec) []string {
	out := make([]string, len(s.Machines))
	for i, m := range s.Machines {
		out[i] = m.Name
	}
	return out
}

func userNames(s *gen.Spec) []string {
	out := make([]string, len(s.Users))
	for i, u := range s.Users {
		out[i] = u.Name
	}
	return out
}

func machineClass(s *gen.Spec, name string) string {
	for _, m := range s.Machines {
		if m.Name == name {
			return m.Class
		}
	}
	return ""
}

// diffNames returns the names only in old and only in new, sorted.
func diffNames(old, new []string) (gone, added []string) {
	in := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, o := range old {
		if !in(new, o) {
			gone = append(gone, o)
		}
	}
	for _, n := range new {
		if !in(old, n) {
			added = append(added, n)
		}
	}
	sort.Strings(gone)
	sort.Strings(added)
	return gone, added
}

// macAccountNotes: an account nix-darwin made on a Mac that stays in the
// fleet, for a user who is no longer on it. nix-darwin deletes an account
// only while users.knownUsers lists it and users.users does not
// (modules/users/default.nix, deletedUsers), and the generated Mac module
// drops the user from both at once: the account, its home and its password
// stay.
func macAccountNotes(old, new *gen.Spec) []string {
	var notes []string
	for _, m := range old.Machines {
		if m.Class != "darwin" || machineOf(new, m.Name) == nil {
			continue
		}
		primary := ""
		if m.Darwin != nil {
			primary = m.Darwin.PrimaryUser
		}
		for _, u := range old.Users {
			// knownUsers: the Mac's users with a uid, never its primary one.
			if u.UID == 0 || u.Name == primary || !slices.Contains(u.Machines, m.Name) {
				continue
			}
			if nu := userOf(new, u.Name); nu != nil && slices.Contains(nu.Machines, m.Name) {
				continue
			}
			notes = append(notes, fmt.Sprintf("user %[1]s leaves %[2]s, but the account nix-darwin made for them there stays, with its home and password: "+
				"nix-darwin deletes only accounts it still lists in users.knownUsers. Once the files in it are no longer needed, on %[2]s:\n"+
				"    sudo sysadminctl -deleteUser %[1]s", u.Name, m.Name))
		}
	}
	return notes
}

func userOf(s *gen.Spec, name string) *gen.User {
	for i := range s.Users {
		if s.Users[i].Name == name {
			return &s.Users[i]
		}
	}
	return nil
}
