package gen

// Tests of the zerotier pattern (emit_zerotier.go): the controller instance,
// darwin networking and the join script.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/nixtest"
)

// The controller admits exactly the Macs whose node id was committed
// (settings.allowedIds, clanServices/zerotier/default.nix: the controller
// runs `zerotier-members allow <id>` for each), and a file that does not
// hold a node id stops evaluation with the fix.
func TestWireZerotierInstance(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	repo := t.TempDir()
	expr := func() string {
		return `(` + nixExpr(files["modules/clan/inventory/services/zerotier.nix"]) + ` {
  inputs.self = "` + repo + `"; lib = ` + nixLib + `;
}).clan.inventory.instances.zerotier`
	}
	equalJSON(t, "before the Mac joined", evalNix(t, expr()), `{
  "module": {"name": "zerotier", "input": "clan-core"},
  "roles": {
    "controller": {"machines": {"cinnabar": {"settings": {"allowedIds": []}}}},
    "peer": {"machines": {"cinnabar": {}, "electrum": {}}}
  }
}`)
	writeFile(t, filepath.Join(repo, "zerotier", "blackphos.node-id"), "0ee971d9e0\n")
	v := evalNix(t, expr()+`.roles.controller.machines.cinnabar.settings.allowedIds`)
	equalJSON(t, "after", v, `["0ee971d9e0"]`)

	writeFile(t, filepath.Join(repo, "zerotier", "blackphos.node-id"), "fddb:4344:343b:14b9:0399:930e:e971:d9e0\n")
	_, stderr, err := nixtest.Run(t, "--eval", "--strict", "--json", "--expr", expr()+`.roles.controller.machines.cinnabar.settings.allowedIds`)
	if err == nil || !strings.Contains(string(stderr), "zerotier/blackphos.node-id must hold the 10 hex digits") {
		t.Errorf("an address instead of a node id: err %v, stderr:\n%s", err, stderr)
	}
}

// Large fleet: one controller, every other zerotier NixOS machine a peer,
// a join module per Mac exactly when its networking is homebrew or launchd.
func TestWireZerotierLarge(t *testing.T) {
	s := exampleSpec(t, "large")
	files := runEmitters(t, s, wiringEmitters)
	v := evalNix(t, `let z = (`+nixExpr(files["modules/clan/inventory/services/zerotier.nix"])+` {
  inputs.self = "/nonexistent"; lib = `+nixLib+`;
}).clan.inventory.instances.zerotier.roles; in {
  controllers = builtins.attrNames z.controller.machines;
  peers = builtins.length (builtins.attrNames z.peer.machines);
}`)
	ctl := controller(model(s))
	peers := 0
	for _, m := range s.Machines {
		if class(m.Class) == classNixOS && zerotierRole(m.Zerotier) != zerotierNone {
			peers++
		}
	}
	equalJSON(t, "roles", v, `{"controllers": ["`+ctl.Name+`"], "peers": `+strconv.Itoa(peers)+`}`)
	byNet := map[networking]int{}
	for _, m := range machinesOf(model(s), classDarwin) {
		p := "modules/machines/darwin/" + m.Name + "/zerotier.nix"
		src, has := files[p]
		want := m.Zerotier != zerotierNone && (m.Darwin.Networking == networkHomebrew || m.Darwin.Networking == networkLaunchd)
		if has != want {
			t.Errorf("%s (networking %s): zerotier.nix emitted=%v, want %v", m.Name, m.Darwin.Networking, has, want)
		}
		if has && !strings.Contains(src, "zerotier-"+string(m.Darwin.Networking)) {
			t.Errorf("%s does not import the %s module:\n%s", m.Name, m.Darwin.Networking, src)
		}
		byNet[m.Darwin.Networking]++
	}
	if byNet[networkHomebrew] == 0 || byNet[networkLaunchd] == 0 || byNet[networkNone] == 0 {
		t.Fatalf("large example should exercise every networking mode: %v", byNet)
	}
	v = evalNix(t, `let m = (`+nixExpr(files["modules/darwin/zerotier/launchd.nix"])+` {
  config.flake.modules.darwin.zerotier-join = "JOIN";
}).flake.modules.darwin.zerotier-launchd {
  lib = { getName = p: p.pname; }; pkgs.zerotierone = { pname = "zerotierone"; outPath = "/zt"; };
}; in {
  inherit (m) imports;
  daemon = m.launchd.daemons.zerotierone.serviceConfig.ProgramArguments;
  unfreeOk = m.nixpkgs.config.allowUnfreePredicate { pname = "zerotierone"; };
  unfreeOther = m.nixpkgs.config.allowUnfreePredicate { pname = "other"; };
}`)
	equalJSON(t, "launchd", v, `{"imports": ["JOIN"], "daemon": ["/zt/bin/zerotier-one"], "unfreeOk": true, "unfreeOther": false}`)
}

// No controller, no zerotier files at all.
func TestWireZerotierNoController(t *testing.T) {
	s := parseSpec(t, []byte(`{"version":1,"name":"t","machines":[{"name":"a","class":"nixos"}]}`))
	for p := range runEmitters(t, s, wiringEmitters) {
		if strings.Contains(p, "zerotier") {
			t.Errorf("unexpected %s without a controller", p)
		}
	}
}

// The join script, extracted by evaluating the module, run by bash against
// a fake zerotier-cli: it joins the controller's network and prints the
// rfc4193 address zerotier assigns (network db4344343b14b903 and node
// 0ee971d9e0 give fddb:4344:343b:14b9:0399:930e:e971:d9e0).
func TestWireZerotierJoinScript(t *testing.T) {
	s := exampleSpec(t, "seed")
	files := runEmitters(t, s, wiringEmitters)
	repo := t.TempDir()
	join := t.TempDir() // the writeShellApplication's output
	eval := func() (text, activation string) {
		v := evalNix(t, `let m = (`+nixExpr(files["modules/darwin/zerotier/join.nix"])+` {
  inputs.self = "`+repo+`";
}).flake.modules.darwin.zerotier-join {
  config.networking.hostName = "blackphos";
  lib = `+nixLib+`;
  pkgs = { writeShellApplication = a: { inherit (a) text; outPath = "`+join+`"; }; coreutils = "c"; gnugrep = "g"; };
}; in { inherit (builtins.head m.environment.systemPackages) text; activation = m.system.activationScripts.postActivation.text; }`)
		mv := v.(map[string]any)
		return mv["text"].(string), mv["activation"].(string)
	}
	script := func() string { text, _ := eval(); return text }
	bin := t.TempDir()
	log := filepath.Join(bin, "log")
	fakeCLI := `echo "$*" >> ` + log + `
case "$1" in
  info) echo "200 info 0ee971d9e0 1.14.2 ONLINE" ;;
  listnetworks) echo "200 listnetworks <nwid> <name> <mac> <status> <type> <dev> <ZT assigned ips>" ;;
esac
`
	writeExe(t, filepath.Join(bin, "zerotier-cli"), fakeCLI)
	// The activation runs as root; `id` says so whoever runs the test.
	writeExe(t, filepath.Join(bin, "id"), `echo 0`)
	run := func(text string) string {
		out, err := runBash(t, bin, text)
		if err != nil {
			t.Fatalf("script failed: %v\n%s\n--- script ---\n%s", err, out, text)
		}
		return string(out)
	}

	// Before the controller's vars are committed: explain, do nothing.
	out := run(script())
	if !strings.Contains(out, "no network id yet: run clan vars generate cinnabar") {
		t.Errorf("no-network output: %s", out)
	}
	if _, err := os.Stat(log); err == nil {
		t.Error("zerotier-cli was called without a network id")
	}

	// Where clan's zerotier service stores the network id: the public file
	// of the shared generator zerotier-network-<instance>.
	writeFile(t, filepath.Join(repo, "vars/shared/zerotier-network-zerotier/network-id/value"), "db4344343b14b903\n")
	out = run(script())
	if !strings.Contains(out, "blackphos has node id 0ee971d9e0 on network db4344343b14b903") {
		t.Errorf("join output: %s", out)
	}
	if !strings.Contains(out, "mkdir -p zerotier; echo 0ee971d9e0 > zerotier/blackphos.node-id") || !strings.Contains(out, "clan machines update cinnabar") {
		t.Errorf("join output lacks the admission instructions: %s", out)
	}
	calls, _ := os.ReadFile(log)
	if !strings.Contains(string(calls), "join db4344343b14b903\n") {
		t.Errorf("zerotier-cli calls:\n%s", calls)
	}

	// The activation step, as nix-darwin's activate script runs it on the
	// launchd variant's first switch: zerotier-cli is only in the system
	// being activated, $systemConfig (activation-scripts.nix sets it;
	// /run/current-system moves to it after postActivation).
	text, activation := eval()
	system := t.TempDir()
	for _, d := range []string{filepath.Join(join, "bin"), filepath.Join(system, "sw", "bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeExe(t, filepath.Join(join, "bin", "zerotier-join"), text)
	writeExe(t, filepath.Join(system, "sw", "bin", "zerotier-cli"), fakeCLI)
	if err := os.Remove(filepath.Join(bin, "zerotier-cli")); err != nil {
		t.Fatal(err)
	}
	os.Remove(log)
	out = run("systemConfig=" + system + "\n" + activation)
	if !strings.Contains(out, "blackphos has node id 0ee971d9e0") {
		t.Errorf("the activation step did not find zerotier-cli in $systemConfig/sw/bin: %s\n--- step ---\n%s", out, activation)
	}

	// Run by hand without sudo: zerotier-cli could not read the auth
	// token, so it says to run it as root instead of "not running".
	writeExe(t, filepath.Join(bin, "id"), `echo 501`)
	out, err := runBash(t, bin, text)
	if err == nil || !strings.Contains(out, "run it as root (sudo zerotier-join)") {
		t.Errorf("as a user: err %v, output %s", err, out)
	}
}

// TestReadmeRevokesZerotierMembers runs the README's revoke command with
// stand-ins for ssh (runs the remote command here), sed (reading the
// controller's authtoken.secret) and curl (prints its arguments, and the
// headers it reads from stdin): the controller gets
// the request clan's zerotier-members makes to admit a member
// (clanServices/zerotier/pkgs/zerotier-tools/zerotier_tools/members.py:
// POST /controller/network/<nwid>/member/<id> on localhost:9993 with the
// X-ZT1-AUTH token), with {"authorized": false}. A fleet without a
// controller has no such step.
func TestReadmeRevokesZerotierMembers(t *testing.T) {
	if _, ok := readmeStepCode(runEmitters(t, exampleSpec(t, "minimal"), plainEmitters)["README.md"], "Add and remove zerotier members"); ok {
		t.Error("minimal has no zerotier controller, yet its README has a zerotier members step")
	}
	code, ok := readmeStepCode(runEmitters(t, exampleSpec(t, "seed"), plainEmitters)["README.md"], "Add and remove zerotier members")
	if !ok {
		t.Fatal("seed's README has no zerotier members step")
	}
	revoke := ""
	for _, l := range code {
		if strings.HasPrefix(l, "ssh ") {
			revoke = l
		}
	}
	if revoke == "" {
		t.Fatalf("no ssh command in the step: %q", code)
	}
	revoke = strings.NewReplacer("<address>", "203.0.113.7", "<network id>", "8056c2e21c000001", "<node id>", "a1b2c3d4e5").Replace(revoke)
	dir := t.TempDir()
	writeExe(t, filepath.Join(dir, "ssh"), `[ "$1" = root@203.0.113.7 ] || { echo "ssh to $1" >&2; exit 9; }; exec sh -c "$2"`)
	realSed, err := exec.LookPath("sed")
	if err != nil {
		t.Skip("no sed")
	}
	writeExe(t, filepath.Join(dir, "sed"), `if [ "$2" = /var/lib/zerotier-one/authtoken.secret ]; then printf TOKEN | `+realSed+` "$1"; else exec `+realSed+` "$@"; fi`)
	// curl -H @- reads the headers from stdin: print them in place of
	// the @-. The token must not be on curl's command line.
	writeExe(t, filepath.Join(dir, "curl"), `for a in "$@"; do case "$a" in *TOKEN*) echo "token on the command line" >&2; exit 7;; @-) IFS= read -r h || [ -n "$h" ]; printf '%s\n' "$h";; *) printf '%s\n' "$a";; esac; done`)
	out, err := runBash(t, dir, revoke)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, revoke, out)
	}
	args := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{"-fsS", "-X", "POST", "-H", "X-ZT1-AUTH: TOKEN", "-d", `{"authorized": false}`, "http://localhost:9993/controller/network/8056c2e21c000001/member/a1b2c3d4e5"}
	if strings.Join(args, "\n") != strings.Join(want, "\n") {
		t.Fatalf("curl got\n%q\nwant\n%q", args, want)
	}
	var body struct{ Authorized *bool }
	if err := json.Unmarshal([]byte(args[6]), &body); err != nil || body.Authorized == nil || *body.Authorized {
		t.Errorf("the request body %q does not set authorized to false (%v)", args[6], err)
	}
}
