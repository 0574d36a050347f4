package update

import (
	"fmt"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// A formatNote is a change of the generated files, in output format since,
// that rewriting the files does not make on machines already installed.
type formatNote struct {
	since int
	note  func(s *gen.Spec) string // "" when s has nothing it concerns
}

var formatNotes = []formatNote{
	{15, zfsSnapshotNote},
	{16, macAgeKeyNote},
}

// FormatNotes says, for a repository last written by output format from,
// what the newer formats changed that the machines of s, once installed,
// need by hand.
func FormatNotes(from int, s *gen.Spec) []string {
	var out []string
	for _, n := range formatNotes {
		if from < n.since {
			if text := n.note(s); text != "" {
				out = append(out, text)
			}
		}
	}
	return out
}

// zfsSnapshotNote: format 15 marks the zfs datasets / and /home for clan's
// auto-snapshots (com.sun:auto-snapshot), which disko sets only when it
// creates the pool.
func zfsSnapshotNote(s *gen.Spec) string {
	var zfs []string
	for _, m := range s.Machines {
		if m.Disk != nil && m.Disk.Layout == "zfs" {
			zfs = append(zfs, m.Name)
		}
	}
	if len(zfs) == 0 {
		return ""
	}
	return fmt.Sprintf("output format 15 marks the zfs datasets / and /home for the snapshots clan's zfs module takes (com.sun:auto-snapshot), which nothing took before. "+
		"disko sets the property only when it creates the pool, so on each of %s that is installed already, set it once:\n"+
		"    ssh root@<address> zfs set com.sun:auto-snapshot=true zroot/root zroot/home", strings.Join(zfs, ", "))
}

// macAgeKeyNote: format 16 has a Mac whose hostKey is an age recipient
// decrypt with that key's identity in /var/lib/sops-nix/key.txt
// (sops.age.keyFile) instead of its SSH host key, which could open
// nothing encrypted for the recipient unless it was ssh-to-age of that
// very key: nothing puts the identity there.
func macAgeKeyNote(s *gen.Spec) string {
	var macs []string
	for _, m := range s.Machines {
		if m.Class == "darwin" && strings.HasPrefix(strings.TrimSpace(m.HostKey), "age1") {
			macs = append(macs, m.Name)
		}
	}
	if len(macs) == 0 {
		return ""
	}
	return fmt.Sprintf("output format 16 has %s, whose hostKey is an age recipient, decrypt with that key's identity in /var/lib/sops-nix/key.txt rather than with its SSH host key. "+
		"Before the next switch, put the identity there on each, as the README's step on the Macs' keys shows: the switch stops without it.", strings.Join(macs, ", "))
}
