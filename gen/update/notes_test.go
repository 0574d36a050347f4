package update

import (
	"slices"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// nix-darwin modules/users/default.nix deletes only the knownUsers that
// users.users no longer has; the generated Mac module drops a departing
// user from both, so the account stays and the note says how to remove it.
func TestMacAccountNotes(t *testing.T) {
	edit := func(f func(s *gen.Spec)) *gen.Spec {
		s := seedSpec(t)
		f(s)
		return s
	}
	raquel := func(s *gen.Spec) *gen.User {
		for i := range s.Users {
			if s.Users[i].Name == "raquel" {
				return &s.Users[i]
			}
		}
		t.Fatal("the seed has no raquel")
		return nil
	}
	for _, tt := range []struct {
		name string
		new  *gen.Spec
		want bool
	}{
		{"user removed", edit(func(s *gen.Spec) {
			s.Users = slices.DeleteFunc(s.Users, func(u gen.User) bool { return u.Name == "raquel" })
		}), true},
		{"user moved off the Mac", edit(func(s *gen.Spec) { raquel(s).Machines = []string{"cinnabar"} }), true},
		{"user stays", edit(func(s *gen.Spec) { raquel(s).FullName = "R" }), false},
		{"the Mac leaves the fleet", edit(func(s *gen.Spec) {
			s.Machines = slices.DeleteFunc(s.Machines, func(m gen.Machine) bool { return m.Name == "blackphos" })
			for i := range s.Users {
				s.Users[i].Machines = slices.DeleteFunc(s.Users[i].Machines, func(m string) bool { return m == "blackphos" })
			}
		}), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			notes := strings.Join(macAccountNotes(seedSpec(t), tt.new), "\n")
			got := strings.Contains(notes, "sudo sysadminctl -deleteUser raquel") && strings.Contains(notes, "user raquel leaves blackphos")
			if got != tt.want {
				t.Errorf("note for raquel's account: %v, want %v\n%s", got, tt.want, notes)
			}
			// crs58 is blackphos's primary user: not in knownUsers, never deleted by nix-darwin.
			if strings.Contains(notes, "crs58") {
				t.Errorf("a note about the primary user:\n%s", notes)
			}
		})
	}
}

// A removed user's clan vars stay behind: the users service's shared
// password generator (user-password-<u>) and each Mac's ssh-key-<u>.
func TestGoneUserNoteRetiresVars(t *testing.T) {
	next := seedSpec(t)
	next.Users = slices.DeleteFunc(next.Users, func(u gen.User) bool { return u.Name == "raquel" })
	notes := strings.Join(Notes(seedSpec(t), next, &Plan{CheckedSops: true}), "\n")
	for _, want := range []string{
		"user raquel is no longer in the spec",
		"Every secrets file still encrypted to raquel's key is listed",
		"git rm -r --ignore-unmatch vars/shared/user-password-raquel vars/per-machine/*/ssh-key-raquel",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}
