package gen

// Tests of the README pattern (emit_readme.go): its sections, the order of
// the bootstrap steps, and text from the spec kept inert.

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// inOrder fails unless each of wants occurs in s after the previous one.
func inOrder(t *testing.T, s string, wants ...string) {
	t.Helper()
	at := 0
	for _, w := range wants {
		i := strings.Index(s[at:], w)
		if i < 0 {
			t.Errorf("README: %q missing or out of order", w)
			return
		}
		at += i + len(w)
	}
}

func TestReadmeSeed(t *testing.T) {
	md := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)["README.md"]
	for _, want := range []string{
		"# test-clan\n",
		"| `cinnabar` | nixos | `x86_64-linux` | controller | Hetzner Cloud cx43 in fsn1 (enabled) | `crs58` | zerotier controller on Hetzner |",
		"| `electrum` | nixos | `x86_64-linux` | peer | Hetzner Cloud cx23 in nbg1 (disabled: not created) |",
		"| `blackphos` | darwin | `aarch64-darwin` | peer (homebrew) | own hardware | `crs58`, `raquel` |",
		"| `raquel` | Raquel | no | zsh | `blackphos` | core, shell | `raquel@aarch64-darwin` | github-token |",
		"sudo darwin-rebuild switch --flake .#blackphos",
		"nix run --inputs-from . home-manager -- switch -b before-home-manager --flake .#crs58@x86_64-linux",
		// The network id lives in the shared generator of the zerotier
		// instance (clanServices/zerotier/default.nix).
		"clan vars get cinnabar zerotier-network-zerotier/network-id",
		"mkdir -p zerotier\necho <node id> > zerotier/blackphos.node-id",
		// Macs and servers without a deploy target are named as such, and
		// marked so that a bare update leaves them out.
		"A bare `clan machines update` deploys the machines with a `targetHost`: `cinnabar`.",
		"in `fleet.json`: `electrum`.",
		// cinnabar.zt is in the clan domain, which nothing resolves.
		"Target hosts in the clan domain (`cinnabar.zt`)",
		// clan commits only in a git checkout (clan_lib/git commit_file).
		"git init\ngit add -A\ngit commit -m 'fleet from Fleetyard'",
		// clan_lib/machines/install.py commits the facter report and
		// inventory.json.
		"Each install commits `machines/<machine>/facter.json`",
		// nix-darwin modules/system/checks.nix: homebrew must be installed.
		"Install Homebrew (https://brew.sh) first on `blackphos`",
		// nix-darwin cannot set passwords; raquel is created by it.
		"sudo passwd raquel",
		"check the uids in `fleet.json` (`crs58` and `raquel`)",
		// The host and shared sops-nix files have rules, but no module sets
		// a sopsFile for them (sops-nix reads only the files a secret names).
		"| `secrets/hosts/blackphos/*.yaml` (none yet) |",
		"A file marked (none yet) has its rule in `.sops.yaml`",
		// clan vars keep a secret = false file as plain text (value), so
		// the vars rows' wildcards cover the secret files only.
		"A file its generator marks `secret = false` (a public key, an id) is kept in plain text",
		"`sops.secrets.<name>.sopsFile = ./<relative path>;`",
		// home-manager nixos/default.nix: the system's home is activated
		// again at boot, so a standalone switch belongs on other machines.
		"above that is not one of\ntheir machines in `fleet.json`",
		"It decrypts its secrets with its SSH host key, the `hostKey` in `fleet.json`: nothing to upload.",
		"chsh -s /run/current-system/sw/bin/zsh",
		// The official installer leaves flakes off; /etc/nix/nix.conf must
		// stay as installed for nix-darwin (modules/system/etc.nix).
		"add `experimental-features = nix-command flakes` to `~/.config/nix/nix.conf`,\nnot to `/etc/nix/nix.conf`.",
		"Disabled (not created): `electrum`.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	inOrder(t, md,
		"## Machines", "## Users", "## Bootstrap, in order",
		"git init",
		"nix develop",
		// Appended under umask 077: keys.txt may hold other age keys, and
		// the file holds a private key from its first byte on.
		"(umask 077 && ssh-to-age -private-key -i ~/.ssh/id_ed25519 >> ~/.config/sops/age/keys.txt)",
		"clan secrets groups add-user admins admin",
		"clan secrets groups add-user admins crs58",
		"clan secrets set --group admins hetzner-api-token",
		"clan secrets set --group admins terraform-state-passphrase",
		// The Mac's hostKey is checked before anything is encrypted for it.
		"ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub",
		"clan vars generate",
		"nix run .#terraform",
		"sudo nix --extra-experimental-features 'nix-command flakes' run --inputs-from . nix-darwin -- switch --flake .#blackphos",
		"clan machines update",
		"nix flake check",
		"nix flake check --no-build",
		"## Layout")
	if files := fleetOf(exampleSpec(t, "seed")).Access(); len(files) > 0 {
		inOrder(t, md, "## Who can decrypt what", "`secrets/home-manager/users/crs58/secrets.yaml`", "crs58 (user)")
		for _, f := range files {
			if !strings.Contains(md, "| "+mdCode(f.Path)) {
				t.Errorf("README does not list %s", f.Path)
			}
			for _, r := range f.Readers {
				if f.Tier != TierSopsNix {
					continue // clan's recipients: the machine keys section
				}
				if !strings.Contains(md, mdCode(r.Recipient)) {
					t.Errorf("README does not show %s's key %s", r.Name, r.Recipient)
				}
			}
		}
	} else {
		t.Error("Access(seed) is empty: the README has no who-can-decrypt section")
	}
	checkTables(t, md)
}

func TestReadmeMinimal(t *testing.T) {
	md := runEmitters(t, exampleSpec(t, "minimal"), featureEmitters)["README.md"]
	if !strings.Contains(md, "clan machines install server --update-hardware-config nixos-facter --target-host root@<address>") {
		t.Errorf("minimal README lacks the install command:\n%s", md)
	}
	for _, bad := range []string{"terraform", "darwin-rebuild", "## Users", "home-manager --", "zerotier-cli"} {
		if strings.Contains(md, bad) {
			t.Errorf("minimal README mentions %q", bad)
		}
	}
	checkTables(t, md)
}

// TestReadmeStepsFitTheFleet: the bootstrap says what this fleet has, not
// what some fleet might. A bare `clan machines update` leaves out the
// machines marked requireExplicitUpdate, which are those without a target
// host (clan_cli/machines/update.py), so it is not offered when none has
// one; "the other NixOS machines" only follows the
// Terraform step; the first `clan vars generate` is described by the clan
// services the fleet has (sshd's openssh and emergency-access for every
// NixOS machine, zerotier with a controller, users with NixOS accounts);
// without a controller no machine is on zerotier.
func TestReadmeStepsFitTheFleet(t *testing.T) {
	for _, tc := range []struct {
		example   string
		want, not []string
	}{
		{"minimal",
			[]string{
				"### 6. Install the NixOS machines\n",
				"No machine has a `targetHost` yet, so each is marked `clan.core.deployment.requireExplicitUpdate`",
				"```sh\nclan machines update <machine> --target-host root@<address>\n```",
				"| `server` | nixos | `x86_64-linux` | off (no controller) |",
				"- each NixOS machine's age key, SSH host key and emergency-shell password\n- the SSH certificate authority and each NixOS machine's host certificate\n\n```sh\nclan vars generate",
			},
			[]string{"Install the other", "clan machines update\n", "The others", "zerotier network", "users' passwords", "own generators"},
		},
		{"seed",
			[]string{
				"```sh\nclan machines update\nclan machines update <machine> --target-host root@<address>\n```",
				"- each NixOS machine's age key, SSH host key and emergency-shell password\n- the SSH certificate authority and each NixOS machine's host certificate\n- the zerotier network and identities\n- the users' passwords\n- an SSH key for each user on each of their Macs, linked into their `~/.ssh` (the public\n  half: `clan vars get <mac> ssh-key-<user>/id_ed25519.pub`)\n- the fleet's own generators (`vars` in `fleet.json`)\n",
			},
			[]string{"Install the", "No machine has a `targetHost`", "off (no controller)", "the age key of each Mac without a `hostKey`"},
		},
	} {
		md := runEmitters(t, exampleSpec(t, tc.example), featureEmitters)["README.md"]
		for _, w := range tc.want {
			if !strings.Contains(md, w) {
				t.Errorf("%s README lacks %q", tc.example, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(md, n) {
				t.Errorf("%s README has %q", tc.example, n)
			}
		}
	}
}

// TestReadmeHostileText: free text cannot add table cells, headings, HTML
// or end a code block.
func TestReadmeHostileText(t *testing.T) {
	s := exampleSpec(t, "seed")
	s.Description = "fleet | with pipes\n# Owned heading\n<script>alert(1)</script>\n```"
	s.Machines[0].Description = "a | b\n| c | d |"
	s.Machines[2].TargetHost = "root@host```; rm -rf /"
	s.Machines[2].Class = string(classNixOS) // so it gets an install command with its target host
	s.Machines[2].Darwin = nil
	s.Users[0].FullName = "Eve | `x` *bold* [link](http://e)"
	s.Users[0].Home.Aggregates = append(s.Users[0].Home.Aggregates, "ag|g\nx")
	md := runEmitters(t, s, featureEmitters)["README.md"]
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "# Owned") || strings.Contains(line, "<script>") {
			t.Errorf("hostile text became markup: %q", line)
		}
	}
	if !strings.Contains(md, "````sh\nclan machines install blackphos --update-hardware-config nixos-facter --target-host 'root@host```; rm -rf /'\n````") {
		t.Errorf("target host not quoted inside a longer fence:\n%s", md)
	}
	checkTables(t, md)
}

// checkTables checks that every table row has as many cells as its header.
func checkTables(t *testing.T, md string) {
	t.Helper()
	want := -1
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = -1
			continue
		}
		n := tableCells(line)
		if want < 0 {
			want = n
		} else if n != want {
			t.Errorf("table row has %d cells, header %d: %q", n, want, line)
		}
	}
}

// tableCells counts the cells of a GFM table row: unescaped pipes minus one.
func tableCells(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func FuzzMDCell(f *testing.F) {
	for _, s := range []string{"", "plain", "a|b", "a\\|b", "# h\n- x", "<b>&amp;</b>", "`code`", "x\u2028y", "\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mdCell(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("mdCell(%q) = %q has a line break", s, out)
		}
		if tableCells("|"+out+"|") != 1 {
			t.Fatalf("mdCell(%q) = %q splits a table cell", s, out)
		}
		if strings.HasPrefix(out, "#") || strings.Contains(out, "<") && !strings.Contains(out, `\<`) {
			t.Fatalf("mdCell(%q) = %q can start markup", s, out)
		}
		// Undoing the backslash escapes gives the text back (spaces collapsed).
		var un strings.Builder
		for i := 0; i < len(out); i++ {
			if out[i] == '\\' && i+1 < len(out) {
				i++
			}
			un.WriteByte(out[i])
		}
		want := strings.Join(strings.Fields(s), " ")
		if want == "" {
			want = "–"
		}
		if utf8.ValidString(s) && un.String() != want {
			t.Fatalf("mdCell(%q) = %q unescapes to %q, want %q", s, out, un.String(), want)
		}
	})
}

// TestReadmeZerotierAdmissionRuns runs the README's admission commands, as a
// user pastes them, in a fresh checkout: the repository has no zerotier/
// directory until the first Mac is admitted, so the echo alone would fail
// ("No such file or directory"). The id is checked against the pattern the
// controller's zerotier.nix enforces.
func TestReadmeZerotierAdmissionRuns(t *testing.T) {
	md := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)["README.md"]
	var script []string
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "mkdir -p zerotier") || strings.HasPrefix(line, "echo <node id> > zerotier/") {
			script = append(script, strings.Replace(line, "<node id>", "0ee971d9e0", 1))
		}
	}
	if len(script) != 2 {
		t.Fatalf("README admission commands: got %q, want mkdir then echo", script)
	}
	sh := tooltest.Require(t, "sh", tooltest.InstallSh)
	dir := t.TempDir()
	cmd := exec.Command(sh, "-e", "-c", strings.Join(script, "\n"))
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README commands fail in a fresh checkout: %v\n%s", err, out)
	}
	id, err := os.ReadFile(filepath.Join(dir, "zerotier", "blackphos.node-id"))
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{10}\n$`).Match(id) {
		t.Errorf("zerotier/blackphos.node-id = %q, %v", id, err)
	}
}

// mdText and mdCode skip their escaping when nothing needs it; the fast
// path must give exactly what the general one gives, for edge cases and
// for random strings over the characters that matter.
func TestMarkdownFastPaths(t *testing.T) {
	textSlow := func(s string) string { return mdEscaper.Replace(strings.Join(strings.Fields(s), " ")) }
	codeSlow := func(s string) string {
		s = strings.Map(func(r rune) rune {
			if r == '`' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
		return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
	}
	cases := []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "é", "a_b", "x|y", "`", "\\", "&amp;", "1.2.3", "web-01", "\x7f", "\u00a0"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab \t\n\r_*`|\\#!&<>[]é\u00a0\x7f.-")
	for range 20000 {
		r := make([]rune, rng.IntN(8))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(r))
	}
	for _, s := range cases {
		if got, want := mdText(s), textSlow(s); got != want {
			t.Fatalf("mdText(%q) = %q, want %q", s, got, want)
		}
		if got, want := mdCode(s), codeSlow(s); got != want {
			t.Fatalf("mdCode(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestReadmeClanDomainTargetHost: a targetHost named <machine>.<domain>
// resolves nowhere (clan's zerotier service publishes no names, clan-core
// modules/inventoryClass/meta.nix), least of all before the install, so
// the install step asks for the address and the deploy step says why.
func TestReadmeClanDomainTargetHost(t *testing.T) {
	s := exampleSpec(t, "minimal")
	s.Machines[0].TargetHost = "root@server.clan"
	md := runEmitters(t, s, featureEmitters)["README.md"]
	for _, want := range []string{
		"clan machines install server --update-hardware-config nixos-facter --target-host root@<address>",
		"Target hosts in the clan domain (`server.clan`) resolve only once your DNS or",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	if strings.Contains(md, "--target-host root@server.clan") {
		t.Error("the install step uses the clan-domain name")
	}
}

// TestReadmeHasNoDoubleBlankLines: paragraphs that may or may not be
// there (a fleet without Macs, without secrets) leave no run of empty
// lines behind, which markdown shows as nothing and diffs as noise.
func TestReadmeHasNoDoubleBlankLines(t *testing.T) {
	specs := map[string]*Spec{}
	for _, ex := range exampleNames {
		specs[ex] = exampleSpec(t, ex)
	}
	// No Macs, and a target in the clan domain: the deploy step's optional
	// paragraphs minus the Macs' ones.
	mesh := exampleSpec(t, "minimal")
	mesh.Machines[0].TargetHost = "root@server.clan"
	specs["minimal with a clan-domain target"] = mesh
	// No Terraform, and no home secrets.
	plain := exampleSpec(t, "seed")
	for i := range plain.Machines {
		plain.Machines[i].Hetzner = nil
	}
	for i := range plain.Users {
		plain.Users[i].Secrets = nil
	}
	specs["seed without Hetzner or home secrets"] = plain
	for name, s := range specs {
		readme := runEmitters(t, s, plainEmitters)["README.md"]
		if i := strings.Index(readme, "\n\n\n"); i >= 0 {
			t.Errorf("%s: two empty lines after %q", name, readme[max(0, i-80):i])
		}
	}
}
