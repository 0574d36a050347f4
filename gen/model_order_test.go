package gen

import (
	"slices"
	"strconv"
	"testing"
)

// TestUserMachinesInSpecOrder: a user's machines are resolved in the
// spec's machine order, each once, whatever order and repeats the user
// lists them in; few machines take resolve's insertion sort, many its
// sort.Slice.
func TestUserMachinesInSpecOrder(t *testing.T) {
	for _, n := range []int{0, 1, 5, 16, 17, 40} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			s := &Spec{Version: 1, Name: "f"}
			var want, listed []string
			for i := range n {
				name := "m" + strconv.Itoa(i)
				s.Machines = append(s.Machines, Machine{Name: name, Class: "nixos"})
				want = append(want, name)
			}
			// Reversed, every third machine twice, and an unknown name.
			for i := n - 1; i >= 0; i-- {
				listed = append(listed, want[i])
				if i%3 == 0 {
					listed = append(listed, want[i])
				}
			}
			listed = append(listed, "nowhere")
			s.Users = []User{{Name: "u", Machines: listed}}
			f := model(s)
			var got []string
			for _, m := range f.Users[0].machines {
				got = append(got, m.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("user's machines = %v, want %v", got, want)
			}
		})
	}
}
