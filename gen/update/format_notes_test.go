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
