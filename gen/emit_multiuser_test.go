package gen

// Tests of the darwin multi-user pattern (emit_multiuser.go): Mac accounts,
// their SSH keys, admins; NixOS accounts alongside for the large fleet.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// evalUserModules evaluates every darwin or NixOS account module of the
// spec and returns user -> module value.
func evalUserModules(t *testing.T, files map[string]string, class string) map[string]any {
	t.Helper()
	dir := map[string]string{string(classDarwin): "modules/darwin/users/", string(classNixOS): "modules/system/users/"}[class]
	var b strings.Builder
	b.WriteString("{\n")
	for _, p := range paths(files, "") {
		if !strings.HasPrefix(p, dir) {
			continue
		}
		u := strings.TrimSuffix(strings.TrimPrefix(p, dir), ".nix")
		fmt.Fprintf(&b, "%q = %s.flake.modules.%s.%q { inherit pkgs lib; config = keyConfig %q; };\n", u, nixExpr(files[p]), class, "users/"+u, u)
	}
	b.WriteString("}")
	v := evalNix(t, `let
  pkgs = { zsh = "ZSH"; fish = "FISH"; bashInteractive = "BASH"; openssh = "OPENSSH"; };
  lib.mkAfter = x: { after = x; };
  keyConfig = u: { clan.core.vars.generators."ssh-key-${u}".files.id_ed25519.path = "/run/secrets/KEY-${u}"; };
in `+b.String())
	return v.(map[string]any)
}

func TestWireDarwinUsers(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	got := evalUserModules(t, files, string(classDarwin))
	script := "ssh-keygen -t ed25519 -N \"\" -C \"\" -f \"$out\"/id_ed25519\n"
	// The key is a service-phase secret owned by the user (no neededFor:
	// sops-nix's darwin users phase installs root:root), linked into the
	// user's ~/.ssh under the clan's name.
	gen := func(u string) string {
		sc, _ := json.Marshal(script)
		link, _ := json.Marshal(darwinKeyLinkScript(u, "/run/secrets/KEY-"+u, "/Users/"+u, "test-clan"))
		return `"clan": {"core": {"vars": {"generators": {"ssh-key-` + u + `": {"files": {"id_ed25519": {"owner": "` + u + `"},
		  "id_ed25519.pub": {"secret": false}}, "runtimeInputs": ["OPENSSH"], "script": ` + string(sc) + `}}}}},
		  "system": {"activationScripts": {"postActivation": {"text": {"after": ` + string(link) + `}}}}`
	}
	// users.knownUsers is per machine (TestWireMachineModules): never the
	// primary user.
	equalJSON(t, "darwin users", got, `{
  "crs58": {
    "users": {"users": {"crs58": {"uid": 502, "home": "/Users/crs58", "createHome": true, "isHidden": false, "description": "Cameron Smith", "shell": "ZSH",
      "openssh": {"authorizedKeys": {"keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"]}}}}},
    "programs": {"zsh": {"enable": true}},
    "security": {"sudo": {"extraConfig": "crs58 ALL=(ALL) NOPASSWD: ALL\n"}},
    "nix": {"settings": {"trusted-users": ["crs58"]}},
    `+gen("crs58")+`
  },
  "raquel": {
    "users": {"users": {"raquel": {"uid": 506, "home": "/Users/raquel", "createHome": true, "isHidden": false, "description": "Raquel", "shell": "ZSH",
      "openssh": {"authorizedKeys": {"keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"]}}}}},
    "programs": {"zsh": {"enable": true}},
    `+gen("raquel")+`
  }
}`)
}

// darwinKeyLinkScript is the activation text that links user u's clan SSH
// key (at key) into home/.ssh, for clan clanName.
func darwinKeyLinkScript(u, key, home, clanName string) string {
	return "/usr/bin/sudo -u " + u + " -- /bin/sh -c 'umask 077 && mkdir -p " + home + "/.ssh && ln -sfn " + key + " " + home + "/.ssh/id_ed25519_" + clanName + "' \\\n" +
		"  || echo \"could not link the clan SSH key of " + u + " into " + home + "/.ssh\" >&2\n"
}

// TestDarwinKeyLinkRunsAsTheUser runs the generated activation text that
// links a Mac user's clan SSH key. nix-darwin runs postActivation as root
// (modules/system/activation-scripts.nix), in a home the user owns: a root
// mkdir, chown or install -d there follows a link the user made (GNU
// install -d, the activation's coreutils, chowns a linked directory's
// target), which would hand any root directory to the user. Here sudo -u
// is setpriv to the nobody account, and the home is a temporary directory
// nobody owns.
func TestDarwinKeyLinkRunsAsTheUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the script as another user")
	}
	setpriv := tooltest.Require(t, "setpriv", "apt-get install util-linux")
	sh := tooltest.Require(t, "sh", "apt-get install dash")
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	mods := evalUserModules(t, files, string(classDarwin))
	text := mods["raquel"].(map[string]any)["system"].(map[string]any)["activationScripts"].(map[string]any)["postActivation"].(map[string]any)["text"].(map[string]any)["after"].(string)
	const nobody = 65534
	run := func(t *testing.T, prepare func(home string)) (home, stderr string) {
		root := t.TempDir()
		for _, d := range []string{root, filepath.Dir(root)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		home = filepath.Join(root, "raquel")
		key := filepath.Join(root, "key")
		for _, err := range []error{os.Mkdir(home, 0o755), os.Chown(home, nobody, nobody), os.WriteFile(key, []byte("KEY"), 0o400)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		prepare(home)
		script := strings.NewReplacer(
			"/usr/bin/sudo -u raquel --", setpriv+" --reuid="+fmt.Sprint(nobody)+" --regid="+fmt.Sprint(nobody)+" --clear-groups --",
			"/run/secrets/KEY-raquel", key,
			"/Users/raquel", home,
		).Replace(text)
		cmd := exec.Command(sh, "-ec", script) // -e, as nix-darwin's activation runs
		var errb strings.Builder
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("the activation step failed (%v): a switch would stop here\n%s\n%s", err, script, errb.String())
		}
		return home, errb.String()
	}
	t.Run("links into a new ~/.ssh", func(t *testing.T) {
		home, _ := run(t, func(string) {})
		fi, err := os.Stat(filepath.Join(home, ".ssh"))
		if err != nil || fi.Mode().Perm() != 0o700 || fi.Sys().(*syscall.Stat_t).Uid != nobody {
			t.Fatalf("~/.ssh: %v %v, want the user's, mode 0700", fi, err)
		}
		if target, err := os.Readlink(filepath.Join(home, ".ssh", "id_ed25519_test-clan")); err != nil || filepath.Base(target) != "key" {
			t.Fatalf("link: %q %v", target, err)
		}
	})
	t.Run("does not follow a ~/.ssh the user linked elsewhere", func(t *testing.T) {
		victim := ""
		_, stderr := run(t, func(home string) {
			victim = filepath.Join(filepath.Dir(home), "root-only")
			if err := os.Mkdir(victim, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(victim, filepath.Join(home, ".ssh")); err != nil {
				t.Fatal(err)
			}
		})
		fi, err := os.Stat(victim)
		if err != nil || fi.Mode().Perm() != 0o755 || fi.Sys().(*syscall.Stat_t).Uid != 0 {
			t.Fatalf("the linked directory changed hands: %v %v", fi, err)
		}
		if entries, _ := os.ReadDir(victim); len(entries) != 0 {
			t.Fatalf("the step wrote into the linked directory: %v", entries)
		}
		if !strings.Contains(stderr, "could not link the clan SSH key of raquel") {
			t.Fatalf("no warning on stderr: %q", stderr)
		}
	})
}

// Across the large fleet: exactly the admins get NOPASSWD sudo and
// trusted-users, every darwin user has their uid, every Mac's primary user
// is an admin on it, and shells map to the right packages on both classes.
func TestWireLargeUsers(t *testing.T) {
	s := exampleSpec(t, "large")
	files := runEmitters(t, s, wiringEmitters)
	shellPkg := map[string]string{"zsh": "ZSH", "fish": "FISH", "bash": "BASH"}
	ms := model(s)
	for _, cl := range []class{classDarwin, classNixOS} {
		class := string(cl)
		got := evalUserModules(t, files, class)
		var want []string
		for _, u := range ms.Users {
			if userOnClass(ms, u, cl) {
				want = append(want, u.Name)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d user modules, want %d", class, len(got), len(want))
		}
		for _, name := range want {
			u := ms.user[name]
			mod := got[name].(map[string]any)
			acct := mod["users"].(map[string]any)["users"].(map[string]any)[name].(map[string]any)
			if acct["shell"] != shellPkg[u.Shell] {
				t.Errorf("%s %s: shell %v, want %s", class, name, acct["shell"], shellPkg[u.Shell])
			}
			// A uid below 1000 (a Mac's 5xx/6xx) is a system account on NixOS
			// (nixos users-groups.nix: normal users start at 1000): there it is
			// left to NixOS.
			wantUID := any(float64(u.UID))
			if u.UID == 0 || cl == classNixOS && u.UID < 1000 {
				wantUID = nil
			}
			if acct["uid"] != wantUID {
				t.Errorf("%s %s: uid %v, want %v", class, name, acct["uid"], wantUID)
			}
			if cl != classDarwin {
				continue
			}
			_, sudo := mod["security"]
			_, nixTrusted := mod["nix"]
			if sudo != u.Admin || nixTrusted != u.Admin {
				t.Errorf("darwin %s: admin=%v but sudo=%v trusted=%v", name, u.Admin, sudo, nixTrusted)
			}
		}
	}
	for _, m := range machinesOf(ms, classDarwin) {
		p := m.Darwin.PrimaryUser
		found := false
		for _, a := range m.admins() {
			found = found || a.Name == p
		}
		if !found {
			t.Errorf("%s: primary user %q is not an admin on it", m.Name, p)
		}
	}
}

// TestChshRunsAsRoot: the login shell a Mac's user is told to set is
// /run/current-system/sw/bin/<shell>, which nix-darwin adds to /etc/shells
// only through environment.shells (nix-darwin modules/system/shells.nix:
// empty by default, /etc/shells then stays the stock macOS list). chsh
// refuses a shell missing from /etc/shells unless root runs it ("non-standard
// shell"), so while no generated module sets environment.shells, every chsh
// line the README or a module header gives runs under sudo and names the
// account.
func TestChshRunsAsRoot(t *testing.T) {
	for _, c := range []struct {
		name, ex string
		edit     func(*Spec)
	}{
		{"seed", "seed", func(*Spec) {}},
		{"large", "large", func(*Spec) {}},
		// A Mac user without a uid: the module header says how to set the shell.
		{"no uid", "seed", func(s *Spec) { s.Users[1].UID = 0 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := exampleSpec(t, c.ex)
			c.edit(s)
			files := runEmitters(t, s, plainEmitters)
			for p, src := range files {
				if strings.Contains(src, "environment.shells") {
					t.Skipf("%s sets environment.shells: the premise of this test is gone", p)
				}
			}
			n := 0
			for p, src := range files {
				for _, line := range strings.Split(src, "\n") {
					i := strings.Index(line, "chsh ")
					if i < 0 {
						continue
					}
					n++
					cmd, _, _ := strings.Cut(line[i:], "`") // in running text, up to the code span's end
					f := strings.Fields(cmd)
					if i < 5 || line[i-5:i] != "sudo " || len(f) != 4 || f[1] != "-s" ||
						!strings.HasPrefix(f[2], "/run/current-system/sw/bin/") {
						t.Errorf("%s: %q: want sudo chsh -s /run/current-system/sw/bin/<shell> <user>", p, strings.TrimSpace(line))
					}
				}
			}
			if n == 0 {
				t.Fatal("no chsh line at all: the test no longer looks at anything")
			}
		})
	}
}

// TestReadmeNamesEachMacsPrimaryUser: nix-darwin's activation stops when
// system.primaryUser names no account (nix-darwin modules/system/checks.nix,
// the primaryUser check: "primary user `...` does not exist, aborting
// activation"), and its users module never creates the primary user, which
// darwinKnownUsers leaves out of users.knownUsers. So the README's Mac step
// names every Mac's primary user as an account that must already be there,
// and every Mac module that sets system.primaryUser leaves it out of
// knownUsers.
func TestReadmeNamesEachMacsPrimaryUser(t *testing.T) {
	for _, ex := range []string{"seed", "large"} {
		t.Run(ex, func(t *testing.T) {
			s := exampleSpec(t, ex)
			files := runEmitters(t, s, plainEmitters)
			readme := files["README.md"]
			_, para, _ := strings.Cut(readme, "Each Mac's primary user (")
			para, _, _ = strings.Cut(para, ") must already have an\naccount there")
			groups := map[string]string{} // primary user -> the Macs named for them
			for _, g := range strings.Split(para, "; ") {
				u, macs, _ := strings.Cut(g, " on ")
				groups[u] = macs
			}
			n := 0
			for _, m := range s.Machines {
				if m.Darwin == nil || m.Darwin.PrimaryUser == "" {
					continue
				}
				n++
				if !strings.Contains(groups["`"+m.Darwin.PrimaryUser+"`"], "`"+m.Name+"`") {
					t.Errorf("README does not name %s as the primary user of %s that must exist (%q)", m.Darwin.PrimaryUser, m.Name, para)
				}
				src := files["modules/machines/darwin/"+m.Name+"/default.nix"]
				_, known, _ := strings.Cut(src, "users.knownUsers = [")
				known, _, _ = strings.Cut(known, "]")
				if strings.Contains(known, `"`+m.Darwin.PrimaryUser+`"`) {
					t.Errorf("%s: the primary user %s is in users.knownUsers (%s)", m.Name, m.Darwin.PrimaryUser, known)
				}
			}
			if n == 0 {
				t.Fatal("no Mac with a primary user: the test looks at nothing")
			}
			if !strings.Contains(readme, "must already have an\naccount there") {
				t.Error("README does not say the primary user's account must already exist")
			}
		})
	}
}

// TestDarwinRebuildAlwaysNamesTheFlake: without --flake, darwin-rebuild
// builds <darwin> from NIX_PATH unless /etc/nix-darwin/flake.nix exists
// (nix-darwin pkgs/nix-tools/darwin-rebuild.sh), and a flake-based
// system's NIX_PATH has no darwin entry (modules/nix/nixpkgs-flake.nix),
// so every darwin-rebuild the README or a module comment tells the user
// to run names the flake. After the first switch, darwin-rebuild is on the
// PATH of a new shell only (/etc/zshenv, modules/programs/zsh), and sudo
// keeps the caller's PATH: the later switch says to open one.
func TestDarwinRebuildAlwaysNamesTheFlake(t *testing.T) {
	for _, ex := range []string{"seed", "large"} {
		t.Run(ex, func(t *testing.T) {
			files := runEmitters(t, exampleSpec(t, ex), plainEmitters)
			n := 0
			for path, text := range files {
				for i, l := range strings.Split(text, "\n") {
					for rest := l; ; {
						_, after, ok := strings.Cut(rest, "darwin-rebuild switch")
						if !ok {
							break
						}
						n++
						if !strings.HasPrefix(after, " --flake .#") {
							t.Errorf("%s:%d: darwin-rebuild switch without --flake .#<machine>: %q", path, i+1, l)
						}
						rest = after
					}
				}
			}
			if n == 0 {
				t.Fatal("no darwin-rebuild switch anywhere: the test looks at nothing")
			}
			code, ok := readmeStepCode(files["README.md"], "Activate the Macs (nix-darwin)")
			if !ok {
				t.Fatal("no Macs step with a code block")
			}
			for i, l := range code {
				if strings.HasPrefix(l, "sudo darwin-rebuild switch") && (i == 0 || !strings.Contains(code[i-1], "new terminal")) {
					t.Errorf("the later switch %q does not say to run it from a new terminal (line before: %q)", l, code[max(i-1, 0)])
				}
			}
		})
	}
}

// TestReadmeSaysWhoClanLogsInToAMacAs: clan logs in as the targetHost's
// user (clan_lib/network/network.py, clan_lib/ssh/remote.py), and on a Mac
// nix-darwin authorizes only that user's own keys
// (modules/programs/ssh.nix, nix_authorized_keys.d), so the deploy step
// says whose key that account must accept, for fleets with a Mac that has
// a targetHost and only those; before the first switch (no keys installed
// yet) each age key upload says what the login needs.
func TestReadmeSaysWhoClanLogsInToAMacAs(t *testing.T) {
	for _, ex := range []string{"seed", "large", "minimal"} {
		t.Run(ex, func(t *testing.T) {
			s := exampleSpec(t, ex)
			readme := runEmitters(t, s, plainEmitters)["README.md"]
			first := ""
			for _, m := range s.Machines {
				if m.Class == "darwin" && m.TargetHost != "" {
					first = m.TargetHost
					break
				}
			}
			says := strings.Contains(readme, "clan logs in to a Mac as the user its `targetHost` names (`"+first+"`)")
			if first != "" && !says {
				t.Errorf("the README does not say that clan logs in to %s as its user", first)
			}
			if first == "" && strings.Contains(readme, "clan logs in to a Mac") {
				t.Error("the README explains Mac logins, but no Mac has a targetHost")
			}
			// .local names are multicast DNS: the README says what a
			// workstation needs to resolve them, where a Mac has one.
			local := false
			for _, m := range s.Machines {
				if m.Class == "darwin" && strings.HasSuffix(strings.ToLower(targetHostName(m.TargetHost)), ".local") {
					local = true
				}
			}
			if got := strings.Contains(readme, "a Linux workstation needs Avahi with nss-mdns"); got != local {
				t.Errorf("the README explains .local names: %v, a Mac targets one: %v", got, local)
			}
			// Before its first switch a Mac has no nix-darwin authorized
			// keys: each upload says what the login needs then.
			uploads := strings.Count(readme, "` (it has a `targetHost`). That needs Remote Login on the Mac\n")
			if want := strings.Count(readme, "Before its first switch, upload its age key"); uploads != want {
				t.Errorf("%d of %d first-switch uploads say what the SSH login needs", uploads, want)
			}
		})
	}
}

// TestReadmeChecksTheMacHostKey: a Mac whose hostKey is in fleet.json
// decrypts with /etc/ssh/ssh_host_ed25519_key, and nix-darwin's activation
// makes a new key where that file is missing (services/openssh.nix,
// keygenScript), which sops-nix's postActivation then cannot decrypt with
// (modules/nix-darwin). clan encrypts the Mac's vars for the key it finds
// in sops/machines/<mac>/key.json without asking the Mac (clan_lib/vars/
// secret_modules/sops.py), so the check comes before `clan vars generate`,
// and its fix after the fact is `clan vars fix`, which re-encrypts vars
// whose recipients are not the wanted ones (the same file's fix; the
// command is clan_cli/vars/cli.py's "fix", read from the pinned snapshot).
// The fingerprint the README says to expect is the one the real ssh-keygen
// prints for the key in fleet.json.
func TestReadmeChecksTheMacHostKey(t *testing.T) {
	sshKeygen := tooltest.Require(t, "ssh-keygen", tooltest.InstallSSHKeygen)
	for _, ex := range []string{"seed"} { // the only example whose Macs have a hostKey
		t.Run(ex, func(t *testing.T) {
			s := exampleSpec(t, ex)
			readme := runEmitters(t, s, plainEmitters)["README.md"]
			checked := 0
			for _, m := range s.Machines {
				if m.Class != "darwin" || !strings.HasPrefix(m.HostKey, "ssh-ed25519 ") {
					continue
				}
				pub := filepath.Join(t.TempDir(), "host.pub")
				if err := os.WriteFile(pub, []byte(m.HostKey+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				out, err := exec.Command(sshKeygen, "-lf", pub).Output()
				if err != nil {
					t.Fatal(err)
				}
				fields := strings.Fields(string(out))
				if len(fields) < 2 {
					t.Fatalf("ssh-keygen printed %q", out)
				}
				want := "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub   # on " + m.Name + ", must print " + fields[1] + "\n"
				if !strings.Contains(readme, want) {
					t.Errorf("%s: the README lacks %q", m.Name, want)
				}
				checked++
			}
			if checked == 0 {
				t.Fatal("no Mac with an ed25519 hostKey in the example")
			}
			// sops updatekeys keeps a file's data key, which whoever holds
			// the wrong key has read: rotate replaces it (security.md).
			inOrder(t, readme, "### 7. Check the Macs' SSH host keys", "ssh-keygen -lf", "clan vars fix <mac>", "sops updatekeys <file>", "sops rotate -i <file>", "### 8. Generate the machines' secrets (clan vars)", "clan vars generate\n")
		})
	}
	cli := string(tooltest.UpstreamFile(t, "clan-core", "pkgs/clan-cli/clan_cli/vars/cli.py"))
	if !strings.Contains(cli, `"fix",`) {
		t.Error("the pinned clan-cli has no `clan vars fix`: the README's recovery step names a missing command")
	}
}

// TestReadmeReloadsMacHomeSecretsAfterReboot: sops-nix keeps a Mac's home
// secrets on a RAM disk (sops-install-secrets, darwin.go), and
// base-sops.nix puts its agent in launchd's user domain, which
// home-manager reports is not loaded again after a reboot (#9656). The
// README gives the users with secrets on a Mac the command that loads it:
// home-manager's own bootstrap of a user-domain agent (launchd module,
// resolveDomain), with the plist label base-sops.nix restarts.
func TestReadmeReloadsMacHomeSecretsAfterReboot(t *testing.T) {
	const cmd = "launchctl bootstrap user/$(id -u) ~/Library/LaunchAgents/org.nix-community.home.sops-nix.plist"
	seed := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)
	if !strings.Contains(seed["README.md"], cmd) || !strings.Contains(seed["README.md"], "Home secrets on a Mac (`crs58` and `raquel`)") {
		t.Errorf("the seed's README does not tell crs58 and raquel how to get their secrets back after a reboot")
	}
	secrets, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(secrets["modules/home/base-sops.nix"].Data), `"user/$(id -u)/org.nix-community.home.sops-nix"`) {
		t.Error("base-sops.nix no longer restarts org.nix-community.home.sops-nix in the user domain: the README's command is stale")
	}
	if readme := runEmitters(t, exampleSpec(t, "minimal"), plainEmitters)["README.md"]; strings.Contains(readme, cmd) {
		t.Error("minimal has no Mac, but its README has the Mac home secrets reload")
	}
}

// TestReadmeUploadsAMacKeyBeforeItsFirstSwitch: a Mac without a hostKey
// cannot decrypt its vars at its first switch until its age key is
// uploaded (sops-nix stops the activation without a key file), so the
// README says so before that switch's commands, not after them; and where
// the target host is <machine>.local, which the Mac answers to only once
// nix-darwin has set its LocalHostName at that switch, it sets the name
// first, since clan vars upload has no --target-host.
func TestReadmeUploadsAMacKeyBeforeItsFirstSwitch(t *testing.T) {
	checked := 0
	for _, ex := range exampleNames {
		s := exampleSpec(t, ex)
		readme := runEmitters(t, s, plainEmitters)["README.md"]
		m := model(s)
		for _, mc := range m.Machines {
			if mc.Class != classDarwin || mc.HostKey != "" || !machineHasVars(m, mc) {
				continue
			}
			head := strings.Index(readme, "`"+mc.Name+"`:\n")
			upload := strings.Index(readme, "`clan vars upload "+mc.Name+"` (it has a `targetHost`)")
			sw := strings.Index(readme, "switch --flake .#"+mc.Name+"\n")
			if head < 0 || upload < head || sw < upload {
				t.Errorf("%s: %s: heading at %d, upload at %d, first switch at %d: the upload must come between them", ex, mc.Name, head, upload, sw)
				continue
			}
			name := "(`sudo scutil --set LocalHostName " + mc.Name + "`)"
			local := strings.EqualFold(targetHostName(mc.TargetHost), mc.Name+".local")
			if got := strings.Contains(readme[upload:sw], name); got != local {
				t.Errorf("%s: %s (target %s): sets the local host name before the upload: %v, want %v", ex, mc.Name, mc.TargetHost, got, local)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no example has a Mac that uploads its key: the test checks nothing")
	}
}

// TestReadmeCreatesMacAccountsWithoutUID: nix-darwin creates only the
// accounts in users.knownUsers, which need a uid (nix-darwin modules/users),
// and home-manager activates each user's home as that user (home-manager
// nix-darwin/default.nix: launchctl asuser "$(id -u <user>)"), under the
// activate script's set -e: a Mac user who is not its primary user and has
// no uid must have an account before the first switch, or the switch stops.
// The README's step for that Mac says so, and sets the shell as it does
// for the primary user.
func TestReadmeCreatesMacAccountsWithoutUID(t *testing.T) {
	s := exampleSpec(t, "seed")
	// Every seed Mac user has a uid or is the primary user.
	if strings.Contains(runEmitters(t, s, plainEmitters)["README.md"], "create the account") {
		t.Error("README asks to create accounts for users nix-darwin creates")
	}
	var who string
	for i, u := range s.Users {
		if u.UID != 0 && !slices.ContainsFunc(s.Machines, func(m Machine) bool { return m.Darwin != nil && m.Darwin.PrimaryUser == u.Name }) {
			s.Users[i].UID = 0
			who = u.Name
			break
		}
	}
	if who == "" {
		t.Fatal("the seed has no Mac user with a uid besides the primary users")
	}
	readme := runEmitters(t, s, plainEmitters)["README.md"]
	_, step, _ := strings.Cut(readme, "Activate the Macs (nix-darwin)")
	want := []string{
		"Before its first switch, create the account of `" + who + "` on it",
		"so nix-darwin does not create it, and the switch\nstops while it is missing",
		"sudo chsh -s /run/current-system/sw/bin/zsh " + who + "\n",
	}
	for _, w := range want {
		if !strings.Contains(step, w) {
			t.Errorf("the Macs' step lacks %q:\n%s", w, step)
		}
	}
	if strings.Contains(step, "sudo passwd "+who) {
		t.Errorf("the README sets a password for %s, whose account nix-darwin did not create", who)
	}
}
