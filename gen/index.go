package gen

import "sort"

// index holds the lookups emitters need per machine and per user. Without it
// "users on machine m" and "machines of user u" cost O(machines × users)
// over a whole generation, which dominated the 1000-machine benchmark.
type index struct {
	machine      map[string]*Machine
	user         map[string]*User
	usersOn      map[string][]User // machine name -> users, in spec user order
	userMachines map[string][]int  // user name -> indexes into Machines, in spec machine order
	keyring      *keyring          // resolved once; nil when keys failed to resolve
	keyringErr   error
}

func newIndex(s *Spec, cache *Cache) *index {
	ix := &index{
		machine:      make(map[string]*Machine, len(s.Machines)),
		user:         make(map[string]*User, len(s.Users)),
		usersOn:      map[string][]User{},
		userMachines: make(map[string][]int, len(s.Users)),
	}
	pos := make(map[string]int, len(s.Machines))
	for i := range s.Machines {
		ix.machine[s.Machines[i].Name] = &s.Machines[i]
		pos[s.Machines[i].Name] = i
	}
	for i := range s.Users {
		u := &s.Users[i]
		ix.user[u.Name] = u
		seen := map[int]bool{}
		var ms []int
		for _, n := range u.Machines {
			if j, ok := pos[n]; ok && !seen[j] {
				seen[j] = true
				ms = append(ms, j)
			}
		}
		sort.Ints(ms)
		ix.userMachines[u.Name] = ms
		for _, j := range ms {
			name := s.Machines[j].Name
			ix.usersOn[name] = append(ix.usersOn[name], *u)
		}
	}
	kr, err := resolveKeyring(s, cache)
	if err == nil {
		ix.keyring = &kr
	}
	ix.keyringErr = err
	return ix
}
