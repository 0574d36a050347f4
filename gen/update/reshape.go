package update

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// The notes on machines: what a change to a machine does to the servers
// that run it and to clan's state, neither of which an update touches.
// Every claim is upstream behaviour, cited where it is tested
// (reshape_test.go): clan-core for its state, the hcloud Terraform provider
// for servers, NixOS and nix-darwin for the rest.

// machineNotes returns the notes for the machines old and new differ in.
func machineNotes(old, new *gen.Spec, plan *Plan) []string {
	var notes []string
	gone, added := diffNames(machineNames(old), machineNames(new))
	var renamed []string
	// One machine out and one of the same class in reads as a rename, class
	// by class: a Mac added in the same edit leaves a renamed server renamed.
	for _, pair := range renames(old, new, gone, added) {
		o, n := machineOf(old, pair[0]), machineOf(new, pair[1])
		// Without clan state there is nothing to move.
		if plan.Clan == nil || plan.ClanState || plan.Clan.has(o.Name) {
			notes = append(notes, renameNote(o, n, ztMember(old, o)))
		}
		if serverOn(o) {
			notes = append(notes, serverRenamed(o, n))
			// The server is replaced: its own changes say nothing more.
			oc, nc := *o, *n
			oc.Hetzner, nc.Hetzner = nil, nil
			o, n = &oc, &nc
		}
		notes = append(notes, changedNotes(o, n)...)
		renamed = append(renamed, n.Name)
		gone = slices.DeleteFunc(gone, func(g string) bool { return g == pair[0] })
	}
	for _, name := range gone {
		m := machineOf(old, name)
		notes = appendNonEmpty(notes, removedNote(m, ztMember(old, m), plan))
		if serverOn(m) {
			notes = append(notes, fmt.Sprintf("%s's Hetzner Cloud server leaves modules/terranix/hetzner.nix: the next `nix run .#terraform` destroys it, and its disk with it (`nix run .#terraform.plan` shows what it will do).", name))
		}
	}
	for _, n := range new.Machines {
		if o := machineOf(old, n.Name); o != nil {
			notes = append(notes, changedNotes(o, &n)...)
		}
	}
	notes = appendNonEmpty(notes, controllerNote(old, new, renamed))
	return notes
}

// renames pairs the machines gone and added, [old, new], where a class
// has exactly one of each.
func renames(old, new *gen.Spec, gone, added []string) [][2]string {
	var pairs [][2]string
	for _, class := range []string{"nixos", "darwin"} {
		g := slices.DeleteFunc(slices.Clone(gone), func(m string) bool { return machineClass(old, m) != class })
		a := slices.DeleteFunc(slices.Clone(added), func(m string) bool { return machineClass(new, m) != class })
		if len(g) == 1 && len(a) == 1 {
			pairs = append(pairs, [2]string{g[0], a[0]})
		}
	}
	return pairs
}

func appendNonEmpty(notes []string, n string) []string {
	if n == "" {
		return notes
	}
	return append(notes, n)
}

// renameNote tells what to move so that n keeps o's clan state: every path
// clan keys by the machine's name, and the links inside secrets that name
// the machines allowed to read them.
func renameNote(o, n *gen.Machine, zt bool) string {
	if o.Class == "darwin" && (o.HostKey == "") != (n.HostKey == "") {
		// This update writes or drops sops/machines/<new>, where the
		// moves below would put clan's key: git mv would nest one in the
		// other.
		return fmt.Sprintf("machine %s looks renamed to %s, and its hostKey is added or removed too. Make those two changes in two updates: "+
			"rename it first (this note then says what to move), and change its hostKey in the next.", o.Name, n.Name)
	}
	hostKeyMac := o.Class == "darwin" && o.HostKey != ""
	var b strings.Builder
	fmt.Fprintf(&b, "machine %s looks renamed to %s. clan keeps a machine's state under its name, and Fleetyard never moves it. "+
		"To keep %s's keys, addresses and hardware facts, move them before anything runs clan for %s:\n", o.Name, n.Name, o.Name, n.Name)
	for _, p := range renamedPaths(o, hostKeyMac, zt) {
		fmt.Fprintf(&b, "    git mv -k %s %s\n", fmt.Sprintf(p, o.Name), fmt.Sprintf(p, n.Name))
	}
	fmt.Fprintf(&b, "    find vars sops -type l -path '*/machines/%[1]s' -exec sh -c 'ln -s \"$(dirname \"$(readlink \"$1\")\")/%[2]s\" \"${1%%/*}/%[2]s\" && git rm -qf \"$1\" && git add \"${1%%/*}/%[2]s\"' sh {} \\;\n", o.Name, n.Name)
	b.WriteString("  The last line renames the links through which clan finds the machines that may read each secret.")
	if o.Class == "nixos" {
		fmt.Fprintf(&b, " If inventory.json has %q under \"machines\", rename that key to %q too.", o.Name, n.Name)
	}
	if hostKeyMac {
		fmt.Fprintf(&b, " This update writes sops/machines/%s from the hostKey; run the commands listed for sops/machines/%s after the lines above.", n.Name, o.Name)
	}
	fmt.Fprintf(&b, " Then commit, and run `clan vars generate %s`: it renews what carries the name, such as the SSH host certificate.", n.Name)
	return b.String()
}

// renamedPaths are the paths clan keys by machine name, as format strings
// taking the name.
func renamedPaths(o *gen.Machine, hostKeyMac, zt bool) []string {
	paths := []string{"vars/per-machine/%s"}
	if !hostKeyMac {
		// The machine's age key, which clan makes itself.
		paths = append(paths, "sops/machines/%s", "sops/secrets/%s-age.key")
	}
	switch {
	case o.Class == "nixos":
		// The install's hardware report.
		paths = append(paths, "machines/%s")
		if zt {
			// Its zerotier identity and address: shared generators
			// named after it.
			paths = append(paths, "vars/shared/zerotier-identity-%s", "vars/shared/zerotier-ip-%s-"+gen.ZerotierInstance)
		}
	case zt:
		// The node id the controller admits the Mac by.
		paths = append(paths, "zerotier/%s.node-id")
	}
	return paths
}

// removedNote tells how to retire a removed machine's clan state, or ""
// when clan has none. zt: it was a member of the zerotier network.
func removedNote(m *gen.Machine, zt bool, plan *Plan) string {
	name := m.Name
	if plan.Clan != nil && !plan.ClanState && !plan.Clan.has(name) {
		return ""
	}
	lead := fmt.Sprintf("machine %s is no longer in the spec. ", name)
	if plan.Clan.has(name) {
		lead = fmt.Sprintf("machine %s is no longer in the spec, but clan still finds it", name)
	}
	return retireNote(m, lead, zt, plan.Clan)
}

// retireNote tells how to retire machine m's clan state; lead says why.
// zt: m was a member of the zerotier network. clan-core's
// clan_lib/machines/delete.py removes machines/<name>, the inventory.json
// entry, the machine's vars, every clan secret named "<name>-…" and its key
// (re-encrypting what it could read), leaves the shared vars named after
// it, and commits only part of that; it needs the machine in the flake,
// where machines/<name> and inventory.json keep it.
func retireNote(m *gen.Machine, lead string, zt bool, c *ClanFacts) string {
	name := m.Name
	var b strings.Builder
	shared := ""
	if zt && m.Class == "nixos" {
		shared = fmt.Sprintf(" vars/shared/zerotier-identity-%[1]s vars/shared/zerotier-ip-%[1]s-%[2]s", name, gen.ZerotierInstance)
	}
	installed := c.has(name)
	if installed {
		fmt.Fprintf(&b, "%s: machines/%s (its hardware report) or inventory.json names it, and clan adds both to its inventory, "+
			"so `clan vars generate` would make its vars again and `nix flake check` would evaluate it, and fail on it. ", lead, name)
	} else {
		b.WriteString(lead)
	}
	taken := secretsTakenWith(name, c)
	switch {
	case installed && len(taken) == 0:
		fmt.Fprintf(&b, "Once the machine is retired, delete it with clan, then remove what clan leaves and commit:\n"+
			"    clan machines delete %s\n", name)
		if shared != "" {
			fmt.Fprintf(&b, "    git rm -r --ignore-unmatch%s\n", shared)
		}
		fmt.Fprintf(&b, "    git add -A machines vars sops && git commit -m 'retire %[1]s'\n"+
			"  clan's delete removes machines/%[1]s, its entry in inventory.json, its vars and age key, and re-encrypts the secrets %[1]s could read without it.", name)
	case m.Class == "darwin" && m.HostKey != "":
		fmt.Fprintf(&b, "Once it is retired, remove its vars:\n"+
			"    git rm -r --ignore-unmatch vars/per-machine/%[1]s && git commit -m 'retire %[1]s'\n"+
			"  Its key, sops/machines/%[1]s, is Fleetyard's: see what this update does with it.", name)
	default:
		if len(taken) > 0 {
			fmt.Fprintf(&b, "Not with `clan machines delete %[1]s`: it also deletes every clan secret whose name starts with %[1]s- (%[2]s). ",
				name, "sops/secrets/"+strings.Join(taken, ", sops/secrets/"))
		}
		fmt.Fprintf(&b, "Once the machine is retired, remove its clan state:\n"+
			"    git rm -r --ignore-unmatch machines/%[1]s vars/per-machine/%[1]s sops/secrets/%[1]s-age.key%[2]s\n"+
			"    test ! -d sops/machines/%[1]s || clan secrets machines remove %[1]s\n", name, shared)
		if installed {
			fmt.Fprintf(&b, "    # and delete %q from \"machines\" in inventory.json, then: git add inventory.json\n", name)
		}
		fmt.Fprintf(&b, "    git commit -m 'retire %[1]s'\n"+
			"  The second line removes its key and re-encrypts the secrets %[1]s could read without it.", name)
	}
	if zt {
		b.WriteString(" It stays a member of the zerotier network until you revoke it on the controller (README, \"Add and remove zerotier members\")")
		if m.Class == "darwin" {
			fmt.Fprintf(&b, "; delete zerotier/%s.node-id as well", name)
		}
		b.WriteString(".")
	}
	return b.String()
}

// strayNotes are the notes on machines clan finds that neither spec has:
// left behind by an earlier removal or rename.
func strayNotes(old, new *gen.Spec, plan *Plan) []string {
	if plan.Clan == nil {
		return nil
	}
	var notes []string
	for _, name := range plan.Clan.Machines {
		if machineOf(new, name) != nil || (old != nil && machineOf(old, name) != nil) {
			continue
		}
		m := &gen.Machine{Name: name, Class: "nixos"} // clan's default class
		notes = append(notes, retireNote(m, fmt.Sprintf("clan finds a machine %s that the spec does not have", name), false, plan.Clan))
	}
	return notes
}

// secretsTakenWith returns the clan secrets `clan machines delete name`
// would delete besides the machine's own age key: it deletes every secret
// whose name starts with "<name>-".
func secretsTakenWith(name string, c *ClanFacts) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range c.Secrets {
		if strings.HasPrefix(s, name+"-") && s != name+"-age.key" {
			out = append(out, s)
		}
	}
	return out
}

// serverOn reports whether m is a Hetzner Cloud server Terraform keeps.
func serverOn(m *gen.Machine) bool {
	return m.Hetzner != nil && m.Hetzner.Enabled != nil && *m.Hetzner.Enabled
}

// serverRenamed is the note on a renamed machine's server (o has one):
// Terraform keys it by the machine's name.
func serverRenamed(o, n *gen.Machine) string {
	then := "."
	if serverOn(n) {
		then = fmt.Sprintf(", and creates and installs a new server for %s.", n.Name)
	}
	return fmt.Sprintf("Terraform knows %s's Hetzner Cloud server by the machine's name: the next `nix run .#terraform` destroys it, and its disk with it%s "+
		"`nix run .#terraform.plan` shows what it will do. To keep the server and its data, keep the name.", o.Name, then)
}

// changedNotes are the notes on a machine both specs have.
func changedNotes(o, n *gen.Machine) []string {
	var notes []string
	name := n.Name
	switch {
	case serverOn(o) && !serverOn(n):
		notes = append(notes, fmt.Sprintf("%s's Hetzner Cloud server is switched off: the next `nix run .#terraform` destroys it, and its disk with it.", name))
	case serverOn(o) && serverOn(n):
		oh, nh := o.Hetzner, n.Hetzner
		var moved []string
		if oh.Location != nh.Location {
			moved = append(moved, fmt.Sprintf("location %s to %s", oh.Location, nh.Location))
		}
		if oh.Image != nh.Image {
			moved = append(moved, fmt.Sprintf("image %s to %s", oh.Image, nh.Image))
		}
		if len(moved) > 0 {
			notes = append(notes, fmt.Sprintf("%s's Hetzner Cloud server changes %s. The provider replaces a server for either, so the next `nix run .#terraform` destroys it, with its disk, and creates and installs a new one "+
				"(the image only matters until NixOS is installed over it).", name, strings.Join(moved, " and ")))
		} else if oh.ServerType != nh.ServerType {
			notes = append(notes, fmt.Sprintf("%[1]s's Hetzner Cloud server type changes from %[2]s to %[3]s: the next `nix run .#terraform` cuts the server's power (shut it down first: ssh root@<address> poweroff), "+
				"changes its type, and Hetzner starts it again. Its disk grows when the new type's is larger, and from then on Hetzner refuses any type with a smaller disk; "+
				"a type with a smaller disk than the server has, or of another architecture, is refused, and the apply stops with the server off.", name, oh.ServerType, nh.ServerType))
		}
	}
	if o.Class == "nixos" && n.Class == "nixos" && o.Disk != nil && n.Disk != nil && *o.Disk != *n.Disk {
		notes = append(notes, fmt.Sprintf("%[1]s's disk layout changes from %[2]s on %[3]s to %[4]s on %[5]s. disko formats a disk only when `clan machines install` runs: "+
			"an installed %[1]s keeps its disks while its configuration describes the new ones, so updating it can fail or leave it unable to boot. "+
			"Reinstall it (`clan machines install %[1]s --target-host root@<address>` erases the disk), or keep the old layout.",
			name, o.Disk.Layout, o.Disk.Device, n.Disk.Layout, n.Disk.Device))
	}
	if o.Class == n.Class && o.StateVersion != n.StateVersion {
		notes = append(notes, fmt.Sprintf("%s's stateVersion changes from %s to %s. It is the release the machine's state was created with, not the one it runs: "+
			"NixOS and nix-darwin choose stateful defaults by it (database formats, data locations), so on an installed machine change it only after the migrations the release notes describe.",
			name, o.StateVersion, n.StateVersion))
	}
	return notes
}

// controllerNote is the note on a zerotier network whose controller
// changes, unless the controller was only renamed (renamed is the new
// name, when a rename was seen): a rename that moves its state keeps the
// controller's identity, and so the network.
func controllerNote(old, new *gen.Spec, renamed []string) string {
	o, n := controllerOf(old), controllerOf(new)
	if o == "" || n == "" || o == n || slices.Contains(renamed, n) {
		return ""
	}
	network := "zerotier-network-" + gen.ZerotierInstance
	return fmt.Sprintf("the zerotier controller moves from %[1]s to %[2]s. A network's id starts with its controller's node id, and clan keeps the stored id "+
		"(vars/shared/%[3]s), so every member would go on asking %[1]s. Once this update is written, make the network anew, with %[2]s as its controller:\n"+
		"    cat vars/shared/%[3]s/network-id/value   # the old network id, for the Macs below\n"+
		"    clan vars generate --regenerate --generator %[3]s\n"+
		"  This also renews every member's zerotier address (update names and hosts entries that use them). Then update the NixOS machines (`clan machines update`, and those without a targetHost by name) "+
		"and switch each Mac: its join step joins the new network, and `sudo zerotier-cli leave <old network id>` leaves the old one.", o, n, network)
}

// ztMember reports whether m is a member of s's zerotier network (the
// controller is one too).
func ztMember(s *gen.Spec, m *gen.Machine) bool {
	return controllerOf(s) != "" && m.Zerotier != "none"
}

func controllerOf(s *gen.Spec) string {
	for _, m := range s.Machines {
		if m.Zerotier == "controller" {
			return m.Name
		}
	}
	return ""
}

func machineOf(s *gen.Spec, name string) *gen.Machine {
	for i := range s.Machines {
		if s.Machines[i].Name == name {
			return &s.Machines[i]
		}
	}
	return nil
}
