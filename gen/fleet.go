package gen

import "slices"

// Fleet queries shared by every emitter. They are the single place that
// decides what the fleet "has" (darwin hosts, cloud servers, user secrets…),
// so the patterns' input lists, their machine parts and their files agree.
// They read the resolved model (model.go) and return results in a
// deterministic order.

// Input names of the fixed flake inputs. Flake-overlay inputs are named by
// the spec (Overlays.FlakeOverlays[].Input).
const (
	inNixpkgs      = "nixpkgs"
	inLinuxStable  = "nixpkgs-linux-stable"
	inDarwinStable = "nixpkgs-darwin-stable"
	inFlakeParts   = "flake-parts"
	inImportTree   = "import-tree"
	inClanCore     = "clan-core"
	inNixDarwin    = "nix-darwin"
	inHomeManager  = "home-manager"
	inSopsNix      = "sops-nix"
	inTerranix     = "terranix"
	inDisko        = "disko"
	inSrvos        = "srvos"
	inTreefmtNix   = "treefmt-nix"
	inNixUnit      = "nix-unit"
	inPkgsByName   = "pkgs-by-name-for-flake-parts"
)

// A machine's class, as the model holds it (the wire form is a string).
type class string

const (
	classNixOS  class = "nixos"
	classDarwin class = "darwin"
)

// A machine's part in the zerotier network.
type zerotierRole string

const (
	zerotierCtl  zerotierRole = "controller"
	zerotierPeer zerotierRole = "peer"
	zerotierNone zerotierRole = "none"
)

// How a Mac runs zerotier.
type networking string

const (
	networkHomebrew networking = "homebrew"
	networkLaunchd  networking = "launchd"
	networkNone     networking = "none"
)

// fixedInputs is the order in which the fixed inputs appear in flake.nix;
// flake-overlay inputs follow them in spec order.
var fixedInputs = []string{
	inNixpkgs, inLinuxStable, inDarwinStable, inFlakeParts, inImportTree,
	inClanCore, inNixDarwin, inHomeManager, inSopsNix, inTerranix, inDisko,
	inSrvos, inTreefmtNix, inNixUnit, inPkgsByName,
}

// hasClass reports whether any machine is of class ("nixos" or "darwin").
func hasClass(s *fleet, cl class) bool {
	for _, m := range s.Machines {
		if m.Class == cl {
			return true
		}
	}
	return false
}

// machinesOf returns the machines of class, in spec order.
func machinesOf(s *fleet, cl class) []*machine {
	var out []*machine
	for _, m := range s.Machines {
		if m.Class == cl {
			out = append(out, m)
		}
	}
	return out
}

// hasHetzner reports whether any machine is a Hetzner Cloud server (enabled
// or not: a disabled server still has terranix configuration).
func hasHetzner(s *fleet) bool {
	for _, m := range s.Machines {
		if m.Hetzner != nil {
			return true
		}
	}
	return false
}

// hasSecrets reports whether any user declares home-manager secrets, which
// is what brings in sops-nix (tier 2) and the base-sops module.
func hasSecrets(s *fleet) bool {
	for _, u := range s.Users {
		if len(u.Secrets) > 0 {
			return true
		}
	}
	return false
}

// hasHome reports whether home-manager is used: every user gets a
// home-manager module, so any user at all needs it.
func hasHome(s *fleet) bool { return len(s.Users) > 0 }

// hasSystemSuffix reports whether any machine's system ends in suffix
// ("-linux" or "-darwin").
func hasSystemSuffix(s *fleet, suffix string) bool {
	for _, m := range s.Machines {
		if len(m.System) >= len(suffix) && m.System[len(m.System)-len(suffix):] == suffix {
			return true
		}
	}
	return false
}

// containsMachine reports whether ms holds m.
func containsMachine(ms []*machine, m *machine) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// userSystems returns the sorted, distinct systems of the machines user u
// is on: the systems of the user's standalone home configurations.
func userSystems(u *user) []string {
	sys := make([]string, 0, len(u.machines))
	for _, m := range u.machines {
		sys = append(sys, m.System)
	}
	return sortedUnique(sys)
}

// systems returns the sorted, distinct systems of all machines.
func systems(s *fleet) []string {
	var sys []string
	for _, m := range s.Machines {
		sys = append(sys, m.System)
	}
	return sortedUnique(sys)
}

// controller returns the zerotier controller machine, or nil when the fleet
// has none (validation allows at most one, and only on NixOS).
func controller(s *fleet) *machine {
	for _, m := range s.Machines {
		if m.Zerotier == zerotierCtl {
			return m
		}
	}
	return nil
}

// inputNeeded reports whether flake.nix declares the input called name:
// whether some pattern asked for it (pattern.inputs, gathered once by
// resolve). Emitters that reference inputs.<x> outside their own pattern's
// condition check it.
func inputNeeded(s *fleet, name string) bool { return s.inputs[name] }

// inputNames returns every input flake.nix declares, fixed ones first in a
// fixed order, then flake-overlay inputs in spec order (first occurrence).
func inputNames(s *fleet) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range fixedInputs {
		if inputNeeded(s, n) {
			out = append(out, n)
			seen[n] = true
		}
	}
	for _, f := range s.Overlays.FlakeOverlays {
		if !seen[f.Input] {
			out = append(out, f.Input)
			seen[f.Input] = true
		}
	}
	return out
}

// sortedUnique sorts ss and drops duplicates (in place).
func sortedUnique(ss []string) []string {
	slices.Sort(ss)
	out := ss[:0]
	for i, v := range ss {
		if i == 0 || v != ss[i-1] {
			out = append(out, v)
		}
	}
	return out
}
