package update

import (
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

func TestFormatNotes(t *testing.T) {
	zfs := &gen.Spec{Machines: []gen.Machine{
		{Name: "a", Class: "nixos", Disk: &gen.Disk{Layout: "zfs", Device: "/dev/sda"}},
		{Name: "b", Class: "nixos", Disk: &gen.Disk{Layout: "ext4", Device: "/dev/sda"}},
		{Name: "c", Class: "nixos", Disk: &gen.Disk{Layout: "zfs", Device: "/dev/sda"}},
	}}
	ageMac := &gen.Spec{Machines: []gen.Machine{
		{Name: "m1", Class: "darwin", HostKey: "age1jj3rweeacn45mx8wldcy9evwvdqvcmq29hlz0rqjyc5vp2znvfuq3axh49"},
		{Name: "m2", Class: "darwin", HostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"},
	}}
	ext4 := &gen.Spec{Machines: []gen.Machine{{Name: "b", Class: "nixos", Disk: &gen.Disk{Layout: "ext4", Device: "/dev/sda"}}}}
	for _, tt := range []struct {
		name string
		from int
		s    *gen.Spec
		want []string
	}{
		{"from format 14, zfs machines", 14, zfs, []string{"on each of a, c that is installed already", "zfs set com.sun:auto-snapshot=true zroot/root zroot/home"}},
		{"from format 15", 15, zfs, nil},
		{"no zfs machine", 14, ext4, nil},
		{"from format 15, an age-keyed Mac", 15, ageMac, []string{"output format 16 has m1, whose hostKey is an age recipient", "/var/lib/sops-nix/key.txt"}},
		{"from format 16, an age-keyed Mac", 16, ageMac, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(FormatNotes(tt.from, tt.s), "\n")
			if (got == "") != (tt.want == nil) {
				t.Fatalf("notes %q, want %q", got, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("notes lack %q:\n%s", w, got)
				}
			}
		})
	}
	// The format that made the change must exist.
	for _, n := range formatNotes {
		if n.since > gen.FormatVersion {
			t.Errorf("a note for format %d, after the current %d", n.since, gen.FormatVersion)
		}
	}
}
