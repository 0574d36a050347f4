package gen

// Defaults documented on the Spec fields. normalize fills them in place, once,
// in the wire form: fleet.json is printed from the result (so the file says
// what was assumed), and resolve (model.go) reads it without knowing what
// "empty" means.
const (
	defaultDomain       = "clan"
	defaultUnstable     = "nixpkgs-unstable"
	defaultNixOSBranch  = "nixos-" + stableRelease
	defaultDarwinBranch = "nixpkgs-" + stableRelease + "-darwin"
	defaultShell        = "zsh"
	defaultStateVersion = stableRelease
	// defaultDarwinStateVersion is the state version nix-darwin's own
	// templates start a new Mac with (modules/examples/flake/flake.nix), one
	// below its system.maxStateVersion (7), which only changes tmux's
	// defaults (modules/programs/tmux.nix).
	defaultDarwinStateVersion = "6"
	// maxDarwinStateVersion is nix-darwin's system.maxStateVersion
	// (modules/system/version.nix): its stateVersion option is an integer
	// from 1 to this.
	maxDarwinStateVersion = "7"
	defaultServerType     = "cx43"
	defaultLocation       = "fsn1"
	defaultImage          = "debian-12"
	defaultDiskLayout     = "ext4"
	defaultDiskDevice     = "/dev/sda"
	defaultNetworking     = "homebrew"
	defaultOverlayAttr    = "default"
	defaultPromptType     = "line"
	defaultNeededFor      = "services"
)

func setDefault(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

func boolDefault(p **bool, v bool) {
	if *p == nil {
		*p = &v
	}
}

// normalize fills every documented default. It does not validate.
func normalize(s *Spec) {
	applyDefaults(s)
	defaultPrimaryUsers(s)
}

// applyDefaults fills the defaults that depend only on the field's own
// object.
func applyDefaults(s *Spec) {
	setDefault(&s.Domain, defaultDomain)
	setDefault(&s.Channels.Unstable, defaultUnstable)
	setDefault(&s.Channels.NixOS, defaultNixOSBranch)
	setDefault(&s.Channels.Darwin, defaultDarwinBranch)
	for i := range s.Machines {
		m := &s.Machines[i]
		if m.System == "" {
			switch m.Class {
			case "darwin":
				m.System = "aarch64-darwin"
			default:
				m.System = "x86_64-linux"
			}
		}
		if m.StateVersion == "" {
			if m.Class == "darwin" {
				m.StateVersion = defaultDarwinStateVersion
			} else {
				m.StateVersion = defaultStateVersion
			}
		}
		setDefault(&m.Zerotier, "peer")
		if m.Hetzner != nil {
			// A hetzner block means "I want this server"; enabled:false is
			// the explicit way to switch it off.
			boolDefault(&m.Hetzner.Enabled, true)
			setDefault(&m.Hetzner.ServerType, defaultServerType)
			setDefault(&m.Hetzner.Location, defaultLocation)
			setDefault(&m.Hetzner.Image, defaultImage)
		}
		if m.Class == "nixos" && m.Disk == nil {
			m.Disk = &Disk{}
		}
		if m.Disk != nil {
			setDefault(&m.Disk.Layout, defaultDiskLayout)
			setDefault(&m.Disk.Device, defaultDiskDevice)
		}
		if m.Class == "darwin" {
			if m.Darwin == nil {
				m.Darwin = &Darwin{}
			}
			setDefault(&m.Darwin.Networking, defaultNetworking)
		}
	}
	for i := range s.Users {
		u := &s.Users[i]
		setDefault(&u.Shell, defaultShell)
		if len(u.Home.Aggregates) == 0 {
			u.Home.Aggregates = []string{"core", "shell"}
			if u.Admin {
				u.Home.Aggregates = append(u.Home.Aggregates, "development")
			}
		}
		boolDefault(&u.Home.Standalone, true)
	}
	for i := range s.Overlays.Hotfixes {
		h := &s.Overlays.Hotfixes[i]
		if len(h.Platforms) == 0 {
			h.Platforms = []string{"darwin", "linux"}
		}
	}
	for i := range s.Overlays.FlakeOverlays {
		setDefault(&s.Overlays.FlakeOverlays[i].Overlay, defaultOverlayAttr)
	}
	for i := range s.Vars {
		v := &s.Vars[i]
		for j := range v.Prompts {
			setDefault(&v.Prompts[j].Type, defaultPromptType)
		}
		for j := range v.Files {
			boolDefault(&v.Files[j].Secret, true)
			setDefault(&v.Files[j].NeededFor, defaultNeededFor)
		}
	}
	boolDefault(&s.Checks.NixUnit, true)
	boolDefault(&s.Checks.Integration, true)
	boolDefault(&s.Checks.Validation, true)
	boolDefault(&s.Checks.Performance, false)
}

// defaultPrimaryUsers sets darwin.primaryUser, when unset, to the first
// admin user on that machine. It runs after applyDefaults (which creates the
// darwin block) and before validation, which reports machines where no
// admin user exists.
func defaultPrimaryUsers(s *Spec) {
	// One pass over the accounts rather than one per Mac: a spec of 1,000
	// Macs and as many users would otherwise compare a billion names.
	firstAdmin := map[string]string{}
	for _, u := range s.Users {
		if !u.Admin {
			continue
		}
		for _, m := range u.Machines {
			if _, ok := firstAdmin[m]; !ok {
				firstAdmin[m] = u.Name
			}
		}
	}
	for i := range s.Machines {
		m := &s.Machines[i]
		if class(m.Class) != classDarwin || m.Darwin == nil || m.Darwin.PrimaryUser != "" {
			continue
		}
		if u, ok := firstAdmin[m.Name]; ok {
			m.Darwin.PrimaryUser = u
		}
	}
}

// darwinStateVersionOK reports whether v, digits only (ruleStateVersion),
// is a nix-darwin state version: 1 to maxDarwinStateVersion, leading
// zeros allowed (Nix reads the integer literal the same way).
func darwinStateVersionOK(v string) bool {
	for len(v) > 1 && v[0] == '0' {
		v = v[1:]
	}
	return len(v) == 1 && v >= "1" && v <= maxDarwinStateVersion
}
