package gen

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
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

// TestVarsMachineListedTwice: a generator listing a machine twice (a
// warning) binds clan.machines.<m>.… once; twice would be an attribute
// defined twice, which Nix refuses to parse.
func TestVarsMachineListedTwice(t *testing.T) {
	for _, runtime := range []string{``, `,"runtimeInputs":["jq"]`} {
		data := []byte(`{"version":1,"name":"x","admins":[{"name":"admin","sshKeys":["` + adminKey + `"]}],` +
			`"machines":[{"name":"a","class":"nixos"},{"name":"b","class":"nixos"}],` +
			`"vars":[{"name":"g","machines":["a","b","a"],"files":[{"name":"f"}],"script":"touch $out/f"` + runtime + `}]}`)
		all, err := Generate(fleetOf(parseSpec(t, data)), secretsOptions())
		if err != nil {
			t.Fatal(err)
		}
		var src string
		for _, f := range all {
			if f.Path == "modules/clan/vars/g.nix" {
				src = string(f.Data)
			}
		}
		if n := strings.Count(src, "clan.machines.a."); n != 1 {
			t.Errorf("clan.machines.a bound %d times, want once:\n%s", n, src)
		}
		if !strings.Contains(src, "clan.machines.b.") {
			t.Errorf("machine b lost:\n%s", src)
		}
		p := filepath.Join(t.TempDir(), "g.nix")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, errOut, err := nixtest.Run(t, "--parse", p); err != nil {
			t.Errorf("nix-instantiate --parse: %v\n%s", err, errOut)
		}
	}
}
