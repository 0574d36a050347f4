package gen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Test keys (the throwaway fixtures of the project, public halves only).
const (
	aliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture"
	bobKey   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture"
	adminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture"
	aliceAge = "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3"
	rsaKey   = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0VPCe5Byuns1oLEGzQ4Is9J5vIb3wi2CSHOTvCs0CFUBtVwOYQDSnYerhddNVZAyzZtUjNwfY7Ccg9Fw1urug5GebJFiwlhQGfWGadYI88jJ+f3J/wP+lWb1s+dWoAGuUGKxah9y3qvjDJhNcBEMioYsh5qElsQsyUJqhoXi6b9ykBUUwI56ub51SqfjmoCHKWoUePnQ753r7CEjmhDrVRxIQEle9d/38tDo2wGJP/IWtUc6WPNCjQaaf+7dpmjMC/R66K8jOXoLXhqK1dlL5jMF/DqoSAvi83BdtDdrTu9/axzTlhsc6oBeFZ/e7jQYjpkV5TbgOmsDGOM6KtGT7 rsa@fixture"
	// privBody is the start of an OpenSSH private key body: no message may
	// ever contain it.
	privBody  = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
	privKey   = `-----BEGIN OPENSSH PRIVATE KEY-----\n` + privBody + `\n-----END OPENSSH PRIVATE KEY-----\n`
	ageSecret = "AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W"
)

// Spec fragments for the table.
const (
	// h starts a spec that has an admin (every valid fleet needs one); h0
	// starts one without.
	h0 = `{"version":1,"name":"f",`
	h  = h0 + adm
	nm = `"machines":[{"name":"a","class":"nixos"}]`
	// dm: a darwin machine "mac" with its admin user al.
	du = `{"name":"al","admin":true,"uid":501,"sshKeys":["` + aliceKey + `"],"machines":["mac"]}`
	dm = `{"name":"mac","class":"darwin"}`
	// dmt: the same Mac with a deploy target, for specs whose only admin
	// user has no age key (a Mac with secrets needs a hostKey or targetHost).
	dmt = `{"name":"mac","class":"darwin","targetHost":"al@mac.local"}`
	adm = `"admins":[{"name":"admin","sshKeys":["` + adminKey + `"]}],`
)

// noAdminMsg is the diagnostic of a fleet without an admin (issue: a fleet
// nobody can deploy or run `clan vars generate` for is refused).
const noAdminMsg = "the fleet has no admin with a usable key: nobody could deploy it, log in as root, or run `clan vars generate`"

// marker shows in a test input where a diagnostic is expected; the test
// removes it before parsing. The n-th marker belongs to the n-th diagnostic.
const marker = "‸"

func TestParseInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string // "path|severity|message"
	}{
		// Syntax.
		{"missing comma", `{"version":1‸"name":"x"}`, []string{`|error|expected ',' or '}' after object member, found '"'`}},
		{"trailing garbage", h + nm + `}‸x`, []string{`|error|unexpected 'x' after the end of the JSON value`}},
		{"empty", `‸`, []string{`|error|the document is empty`}},
		{"not an object", `‸[1]`, []string{`|error|a fleet spec is a JSON object, found an array`}},
		{"duplicate key", `{` + adm + `"version":1,"name":"x",‸"name":"y",` + nm + `}`, []string{`|error|duplicate member "name" (first at line 1 col 151)`}},

		// Decoding.
		// "version": 0 was written, so it is not missing.
		{"version zero", `{` + adm + `"version":‸0,"name":"f",` + nm + `}`, []string{`version|error|only version 1 exists, found 0`}},
		{"UTF-16", "‸\xff\xfe{\x00", []string{`|error|the file is UTF-16 text; a fleet spec is UTF-8`}},
		// Pasted with its line breaks, a private key ends the string at the
		// first one: refused, not "write a line break as \n".
		{"private key with its line breaks", h + `"description":"-----BEGIN OPENSSH PRIVATE KEY-----‸` + "\n" + privBody + `"` + nm + `}`,
			[]string{`|error|private key refused: this is an SSH private key; it was dropped and not stored`}},
		// The rules read the first of two users of one name, the admin
		// the duplicate error points back to: no "is not an admin".
		{"duplicate user", h + `"users":[` + du + `,{"name":‸"al","uid":502,"machines":["mac"]}],"machines":[` + dmt + `]}`,
			[]string{`users[1].name|error|duplicate user name "al" (first at users[0].name)`}},
		// An RSA key next to an ed25519 key logs in; nothing to say.
		{"RSA next to ed25519", h + `"users":[{"machines":["a"],"name":"u","sshKeys":["` + rsaKey + `","` + aliceKey + `"],"secrets":["t"]}],` + nm + `}`, nil},
		{"RSA alone", h + `"users":[{"machines":["a"],"name":"u","sshKeys":[‸"` + rsaKey + `"]}],` + nm + `}`,
			[]string{`users[0].sshKeys[0]|warning|RSA keys have no age equivalent: this key can log in but cannot decrypt secrets`}},
		{"no such release", `{` + adm + `"version":1,"name":"f","channels":{"nixos":‸"nixos-25.13"},"machines":[{"name":"a","class":"nixos","stateVersion":‸"24.13"}]}`,
			[]string{`channels.nixos|warning|"nixos-25.13" names no NixOS release: they are YY.05 and YY.11 (May and November)`,
				`machines[0].stateVersion|warning|"24.13" is no NixOS release: they are YY.05 and YY.11 (May and November)`}},
		{"releases before 21.05", `{` + adm + `"version":1,"name":"f","machines":[{"name":"a","class":"nixos","stateVersion":"20.09"}]}`, nil},
		// Not also "clan name is missing": the misspelt field stands for it.
		{"unknown field", `{` + adm + `"version":1,‸"nmae":"x",` + nm + `}`, []string{`nmae|error|unknown field (did you mean "name"?)`}},
		{"misspelt field hides its rules", `{` + adm + `‸"Version":1,"name":"f",` + nm + `}`, []string{`Version|error|unknown field (did you mean "version"?)`}},
		{"refused key hides the admin's rules", `{"admins":[{"name":"a","sshKeys":[‸"` + ageSecret + `"]}],"version":1,"name":"f",` + nm + `}`,
			[]string{`admins[0].sshKeys[0]|error|private key refused: this is an age identity (secret key); it was dropped and not stored`}},
		{"unknown nested field", h + `"machines":[{"name":"a","class":"nixos","hetzner":{‸"servertype":"cx23"}}]}`, []string{`machines[0].hetzner.servertype|error|unknown field (did you mean "serverType"?)`}},
		{"unknown field no suggestion", h + `"machines":[{"name":"a","class":"nixos",‸"color":"red"}]}`, []string{`machines[0].color|error|unknown field`}},
		{"number as string", h + nm + `,"users":[{"machines":["a"],"name":"u","uid":‸"502"}]}`, []string{`users[0].uid|error|expected a number, found a string`}},
		{"fraction", h + nm + `,"users":[{"machines":["a"],"name":"u","uid":‸1.5}]}`, []string{`users[0].uid|error|expected a whole number, found 1.5`}},
		{"string for list", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":‸"` + aliceKey + `"}]}`, []string{`users[0].sshKeys|error|expected a list, found a string`}},
		{"null element", h + `"machines":[{"name":"a","class":"nixos","tags":[‸null]}]}`, []string{`machines[0].tags[0]|error|expected a string, found null`}},
		{"object for string", `{` + adm + `"version":1,"name":‸{},` + nm + `}`, []string{`name|error|expected a string, found an object`}},
		{"quoted bool", h + nm + `,"users":[{"machines":["a"],"name":"u","admin":‸"true"}]}`, []string{`users[0].admin|error|expected true or false, found a string`}},
		{"null machines", h + `"machines":‸null}`, []string{`machines|error|a fleet needs at least one machine`}},

		// Top level.
		{"version missing", `‸{` + adm + `"name":"x",` + nm + `}`, []string{`version|error|version is missing`}},
		{"version 2", `{` + adm + `"version":‸2,"name":"x",` + nm + `}`, []string{`version|error|only version 1 exists, found 2`}},
		{"clan name", `{` + adm + `"version":1,"name":‸"My Fleet",` + nm + `}`, []string{`name|error|"My Fleet" is not a valid clan name`}},
		{"domain", h + `"domain":‸"-bad",` + nm + `}`, []string{`domain|error|"-bad" is not a valid domain`}},
		// clan-core's domainName type: at most 63 characters per label.
		{"domain label too long", h + `"domain":‸"` + strings.Repeat("a", 64) + `.lan",` + nm + `}`, []string{`domain|error|"` + strings.Repeat("a", 64) + `.lan" is not a valid domain`}},
		{"channel", h + `"channels":{"nixos":‸"nixos 25.05"},` + nm + `}`, []string{`channels.nixos|error|"nixos 25.05" is not a valid branch name`}},

		// Machines.
		{"machine name", h + `"machines":[{"name":‸"Web_1","class":"nixos"}]}`, []string{`machines[0].name|error|"Web_1" is not a valid machine name`}},
		{"machine name length", h + `"machines":[{"name":‸"` + strings.Repeat("a", 64) + `","class":"nixos"}]}`, []string{`machines[0].name|error|machine name is longer than 63 characters`}},
		{"duplicate machine", h + `"machines":[{"name":"a","class":"nixos"},{"name":‸"a","class":"nixos"}]}`, []string{`machines[1].name|error|duplicate machine name "a" (first at machines[0].name)`}},
		{"class missing", h + `"machines":[‸{"name":"a"}]}`, []string{`machines[0].class|error|class is missing`}},
		{"class enum", h + `"machines":[{"name":"a","class":‸"nixOS"}]}`, []string{`machines[0].class|error|"nixOS" is not a valid class`}},
		{"system enum", h + `"machines":[{"name":"a","class":"nixos","system":‸"x86_64-windows"}]}`, []string{`machines[0].system|error|"x86_64-windows" is not a valid system`}},
		{"system class", h + `"machines":[{"name":"a","class":"nixos","system":‸"aarch64-darwin"}]}`, []string{`machines[0].system|error|a nixos machine needs a Linux system, found aarch64-darwin`}},
		{"darwin system class", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","system":‸"x86_64-linux"}]}`, []string{`machines[0].system|error|a darwin machine needs a darwin system, found x86_64-linux`}},
		{"two controllers", h + `"machines":[{"name":"a","class":"nixos","zerotier":"controller"},{"name":"b","class":"nixos","zerotier":‸"controller"}]}`, []string{`machines[1].zerotier|error|a second zerotier controller (the first is machines[0])`}},
		{"darwin controller", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","zerotier":‸"controller"}]}`, []string{`machines[0].zerotier|error|the zerotier controller must be a nixos machine`}},
		// nixpkgs' zerotierone on macOS lacks the MacEthernetTapAgent
		// (make-linux.mk's install target); without a controller nothing of
		// zerotier is generated, so there is nothing to warn about.
		{"launchd mac", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","darwin":{"networking":‸"launchd"}},{"name":"ctl","class":"nixos","zerotier":"controller"}]}`, []string{`machines[0].darwin.networking|warning|nixpkgs' zerotier-one for macOS comes without its MacEthernetTapAgent, so it joins the network but creates no network interface: the Mac gets no ZeroTier address`}},
		{"launchd mac without a controller", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","darwin":{"networking":"launchd"}},{"name":"ctl","class":"nixos"}]}`, nil},
		{"zerotier enum", h + `"machines":[{"name":"a","class":"nixos","zerotier":‸"member"}]}`, []string{`machines[0].zerotier|error|"member" is not a valid zerotier role`}},
		{"darwin block on nixos", h + `"machines":[{"name":"a","class":"nixos","darwin":‸{}}]}`, []string{`machines[0].darwin|error|darwin settings are for darwin machines; this one is nixos`}},
		{"disk on darwin", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","disk":‸{"layout":"zfs"}}]}`, []string{`machines[0].disk|error|disk layouts are for nixos machines; this one is darwin`}},
		{"hetzner on darwin", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","hetzner":‸{}}]}`, []string{`machines[0].hetzner|error|hetzner servers are nixos machines; this one is darwin`}},
		{"hetzner arch", h + `"machines":[{"name":"a","class":"nixos","system":"aarch64-linux","hetzner":{"serverType":‸"cx23"}}]}`, []string{`machines[0].hetzner.serverType|warning|server type cx23 is an x86 machine, but the system is aarch64-linux`}},
		{"hetzner location", h + `"machines":[{"name":"a","class":"nixos","hetzner":{"location":‸"Falkenstein 1"}}]}`, []string{`machines[0].hetzner.location|error|"Falkenstein 1" is not a valid location`}},
		// srvos nixos/hardware/hetzner-cloud/default.nix: grub.devices
		// [ "/dev/sda" ]; Hetzner Cloud's one disk is /dev/sda.
		{"hetzner disk device", h + `"machines":[{"name":"a","class":"nixos","hetzner":{},"disk":{"device":‸"/dev/nvme0n1"}}]}`, []string{`machines[0].disk.device|warning|a Hetzner Cloud server's disk is /dev/sda: the install would find no "/dev/nvme0n1"`}},
		{"hetzner disk by id", h + `"machines":[{"name":"a","class":"nixos","hetzner":{},"disk":{"device":"/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_1"}}]}`, nil},
		{"own hardware on nvme", h + `"machines":[{"name":"a","class":"nixos","disk":{"device":"/dev/nvme0n1"}}]}`, nil},
		{"disk layout", h + `"machines":[{"name":"a","class":"nixos","disk":{"layout":‸"btrfs"}}]}`, []string{`machines[0].disk.layout|error|"btrfs" is not a valid disk layout`}},
		{"disk device", h + `"machines":[{"name":"a","class":"nixos","disk":{"device":‸"/dev/sda; rm -rf /"}}]}`, []string{`machines[0].disk.device|error|"/dev/sda; rm -rf /" is not a valid disk device`}},
		{"target host shell", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"root@a $(id)"}]}`, []string{`machines[0].targetHost|error|"root@a $(id)" is not a valid target host`}},
		{"target host option", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"-oProxyCommand=x"}]}`, []string{`machines[0].targetHost|error|"-oProxyCommand=x" is not a valid target host`}},
		// clan uses an inventory targetHost as it is, and nothing publishes
		// the clan domain's names (clan-core modules/inventoryClass/meta.nix).
		{"target host in clan domain", h + `"domain":"zt","machines":[{"name":"a","class":"nixos","targetHost":‸"root@a.zt:22"}]}`, []string{`machines[0].targetHost|warning|target host "a.zt" is a name in the clan domain "zt", and nothing makes clan domain names resolve for your workstation: clan's zerotier service publishes none`}},
		{"target host in a public domain", h + `"domain":"example.org","machines":[{"name":"a","class":"nixos","targetHost":"root@a.example.org"}]}`, nil},
		{"target host in default domain", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"a.clan"}]}`, []string{`machines[0].targetHost|warning|target host "a.clan" is a name in the clan domain "clan", and nothing makes clan domain names resolve for your workstation: clan's zerotier service publishes none`}},
		// nix-darwin sets a Mac's LocalHostName to networking.hostName, the
		// machine's name, at every switch (modules/networking/default.nix):
		// another .local name stops answering after the first one.
		{"mac target in another .local name", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":‸"al@Als-MacBook.local"}]}`, []string{`machines[0].targetHost|warning|after its first switch this Mac answers to "mac.local", not "Als-MacBook.local": nix-darwin names its local host after the machine`}},
		{"mac target in another .local name, with a port", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":‸"al@old.local:2222"}]}`, []string{`machines[0].targetHost|warning|after its first switch this Mac answers to "mac.local", not "old.local": nix-darwin names its local host after the machine`}},
		{"mac target in its own .local name", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@MAC.local:22"}]}`, nil},
		{"state version nixos", h + `"machines":[{"name":"a","class":"nixos","stateVersion":‸"6"}]}`, []string{`machines[0].stateVersion|error|a nixos stateVersion looks like "26.05", found "6"`}},
		{"state version format", h + `"machines":[{"name":"a","class":"nixos","stateVersion":‸"25.5.1"}]}`, []string{`machines[0].stateVersion|error|"25.5.1" is not a valid state version`}},
		// nix-darwin modules/system/version.nix: system.stateVersion is
		// types.ints.between 1 config.system.maxStateVersion (7).
		{"darwin state version 0", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","stateVersion":‸"0"}]}`, []string{`machines[0].stateVersion|error|"0" is not a valid state version`}},
		{"darwin state version 8", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","stateVersion":‸"00000008"}]}`, []string{`machines[0].stateVersion|error|"00000008" is not a valid state version`}},
		{"darwin state version 07", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","stateVersion":"07"}]}`, nil},
		{"reserved tag", h + `"machines":[{"name":"a","class":"nixos","tags":["web",‸"all"]}]}`, []string{`machines[0].tags[1]|warning|tag "all" is reserved: clan adds it to every matching machine`}},
		{"duplicate tag", h + `"machines":[{"name":"a","class":"nixos","tags":["web",‸"web"]}]}`, []string{`machines[0].tags[1]|warning|duplicate tag "web" (first at machines[0].tags[0])`}},
		// clan only makes a machine's own age key when sops/machines/<m> is
		// absent (clan_lib/vars/secret_modules/sops.py ensure_machine_key):
		// a NixOS host key is not used.
		{"nixos host key unused", h + `"machines":[{"name":"a","class":"nixos","hostKey":‸"` + adminKey + `"}]}`, []string{`machines[0].hostKey|warning|the hostKey of a nixos machine is not used`}},
		// A Mac with secret vars decrypts with its host key, or gets a key
		// uploaded by `clan machines update`, which skips machines without a
		// target host (clan_cli/machines/update.py).
		{"mac with secrets and no key", h + `"users":[` + du + `],"machines":[‸` + dm + `]}`, []string{`machines[0].hostKey|error|darwin machine "mac" has secret clan vars but no way to decrypt them`}},
		{"mac with a host key", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","hostKey":"` + bobKey + `"}]}`, nil},
		{"intel mac on unstable", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","system":‸"x86_64-darwin"}]}`, []string{`machines[0].system|warning|x86_64-darwin (Intel Mac) on nixpkgs-unstable: nixpkgs stops supporting it after 26.05`}},
		// nix-darwin eval-config.nix (a1fa429e, version.json "26.11",
		// isReleaseBranch false) asserts versionAtLeast lib.trivial.release
		// "26.11": with an older main nixpkgs no Mac evaluates.
		{"intel mac on 26.05", h + `"channels":{"unstable":‸"nixpkgs-26.05-darwin"},"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","system":"x86_64-darwin"}]}`, []string{`channels.unstable|error|"nixpkgs-26.05-darwin" is nixpkgs 26.05, and the nix-darwin this repository pins (its 26.11 development branch) refuses a nixpkgs before 26.11: the Macs would not evaluate`}},
		{"mac on a 26.11 branch", h + `"channels":{"unstable":"nixpkgs-26.11-darwin"},"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local"}]}`, nil},
		{"no mac on a 26.05 branch", h + `"channels":{"unstable":"nixos-26.05"},"machines":[{"name":"a","class":"nixos"}]}`, nil},
		// clan-core modules/clan/checks.nix (d7c35d91): minNixpkgsVersion
		// asserts nixpkgs >= 25.11, in every fleet, Macs or not.
		{"no mac on a 25.05 branch", h + `"channels":{"unstable":‸"nixos-25.05"},"machines":[{"name":"a","class":"nixos"}]}`, []string{`channels.unstable|error|"nixos-25.05" is nixpkgs 25.05, and clan-core refuses a nixpkgs before 25.11 (its minNixpkgsVersion check): no machine would evaluate`}},
		{"no mac on a 25.11 branch", h + `"channels":{"unstable":‸"nixos-25.11"},"machines":[{"name":"a","class":"nixos"}]}`, []string{`channels.unstable|warning|"nixos-25.11" is NixOS 25.11, older than 26.05, the oldest release nixpkgs still maintains: it gets no security fixes`}},
		// nixpkgs maintains only the newest stable release (26.05, alongside
		// the 26.11 development branch home-manager and nix-darwin are pinned
		// on): an older stable channel gets no security fixes.
		{"stable nixos channel out of support", h + `"channels":{"nixos":‸"nixos-25.05"},"machines":[{"name":"a","class":"nixos"}]}`, []string{`channels.nixos|warning|"nixos-25.05" is NixOS 25.05, older than 26.05, the oldest release nixpkgs still maintains: it gets no security fixes`}},
		{"stable darwin channel out of support", h + `"channels":{"darwin":‸"nixpkgs-24.11-darwin"},"machines":[{"name":"a","class":"nixos"}]}`, []string{`channels.darwin|warning|"nixpkgs-24.11-darwin" is NixOS 24.11, older than 26.05, the oldest release nixpkgs still maintains: it gets no security fixes`}},
		{"stable channels current or newer", h + `"channels":{"nixos":"nixos-26.11-small","darwin":"nixpkgs-26.05-darwin","unstable":"master"},"machines":[{"name":"a","class":"nixos"}]}`, nil},
		// Parse and Generate agree: what Generate's keyring would refuse is
		// refused here, on the field.
		{"admin and mac named alike", `{"version":1,"name":"f","admins":[{"name":"web","sshKeys":["` + adminKey + `"]}],"users":[` + strings.Replace(du, `"mac"`, `"web"`, 1) + `],"machines":[{"name":‸"web","class":"darwin","hostKey":"` + bobKey + `"}]}`, []string{`machines[0].name|error|.sops.yaml anchor &web would name both admin "web" and machine "web"; rename one of them`}},
		{"package starting with _", h + nm + `,"overlays":{"packages":[{"name":‸"_foo"}]}}`, []string{`overlays.packages[0].name|error|package name "_foo" starts with '_'`}},
		{"host key rsa", h + `"machines":[{"name":"a","class":"nixos","hostKey":‸"` + rsaKey + `"}]}`, []string{`machines[0].hostKey|error|RSA keys have no age equivalent`}},
		{"host key private", h + `"machines":[{"name":"a","class":"nixos","hostKey":‸"` + privKey + `"}]}`, []string{`machines[0].hostKey|error|private key refused: this is an SSH private key; it was dropped and not stored`}},

		// Users and admins.
		// Accounts, homes and secrets reach only a user's machines
		// (standalone homes too, one per system of those machines); an
		// admin's key still opens the clan's secrets.
		{"user on no machine", h + nm + `,"users":[‸{"name":"u","sshKeys":["` + aliceKey + `"],"secrets":["t"]}]}`, []string{`users[0].machines|warning|user "u" is on no machine: no account is made for them, and their home configuration and secrets are used nowhere`}},
		{"user on an empty list of machines", h + nm + `,"users":[{"name":"u","machines":‸[]}]}`, []string{`users[0].machines|warning|user "u" is on no machine: no account is made for them, and their home configuration and secrets are used nowhere`}},
		{"admin user on no machine", h + nm + `,"users":[{"name":"u","admin":true,"sshKeys":["` + aliceKey + `"]}]}`, nil},
		{"user name", h + nm + `,"users":[{"machines":["a"],"name":‸"Alice"}]}`, []string{`users[0].name|error|"Alice" is not a valid user name`}},
		{"user name length", h + nm + `,"users":[{"machines":["a"],"name":‸"` + strings.Repeat("u", 33) + `"}]}`, []string{`users[0].name|error|user name is longer than 32 characters`}},
		{"user root", h + nm + `,"users":[{"machines":["a"],"name":‸"root"}]}`, []string{`users[0].name|error|"root" is a system account`}},
		{"user missing name", h + nm + `,"users":[‸{"machines":["a"],"fullName":"Nobody"}]}`, []string{`users[0].name|error|user name is missing`}},
		{"duplicate user", h + nm + `,"users":[{"machines":["a"],"name":"u"},{"machines":["a"],"name":‸"u"}]}`, []string{`users[1].name|error|duplicate user name "u" (first at users[0].name)`}},
		{"user admin collision", h + nm + `,"users":[{"machines":["a"],"name":‸"admin"}]}`, []string{`users[0].name|error|user "admin" has the same name as admins[0]; both would be sops/users/admin`}},
		{"unknown machine", h + `"machines":[{"name":"cinnabar","class":"nixos"}],"users":[{"name":"u","machines":[‸"cinabar"]}]}`, []string{`users[0].machines[0]|error|unknown machine "cinabar" (did you mean "cinnabar"?)`}},
		{"machine named twice", h + `"machines":[{"name":"a","class":"nixos"},{"name":"b","class":"nixos"}],"users":[{"name":"u","machines":["b","a",‸"b"]}]}`, []string{`users[0].machines[2]|warning|duplicate machine "b" (first at users[0].machines[0])`}},
		{"email", h + nm + `,"users":[{"machines":["a"],"name":"u","email":‸"u at example.org"}]}`, []string{`users[0].email|error|"u at example.org" is not an email address`}},
		{"uid negative", h + nm + `,"users":[{"machines":["a"],"name":"u","uid":‸-5}]}`, []string{`users[0].uid|error|uid -5 is out of range`}},
		{"uid low", h + nm + `,"users":[{"machines":["a"],"name":"u","uid":‸100}]}`, []string{`users[0].uid|warning|uid 100 is in the system account range`}},
		{"uid duplicate", h + nm + `,"users":[{"machines":["a"],"name":"u","uid":1000},{"machines":["a"],"name":"v","uid":‸1000}]}`, []string{`users[1].uid|error|duplicate uid "1000" (first at users[0].uid)`}},
		{"shell", h + nm + `,"users":[{"machines":["a"],"name":"u","shell":‸"tcsh"}]}`, []string{`users[0].shell|error|"tcsh" is not a valid shell`}},
		{"user rsa key", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":[‸"` + rsaKey + `"]}]}`, []string{`users[0].sshKeys[0]|warning|RSA keys have no age equivalent: this key can log in but cannot decrypt secrets`}},
		// An age recipient decrypts for the user, so the RSA key only logs in.
		{"user rsa key next to an age key", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":["` + rsaKey + `"],"ageKeys":["` + aliceAge + `"],"secrets":["t"]}]}`, nil},
		{"age key in sshKeys", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":[‸"` + aliceAge + `"]}]}`, []string{`users[0].sshKeys[0]|error|this is an age recipient, not an SSH key`}},
		{"ssh key in ageKeys", h + nm + `,"users":[{"machines":["a"],"name":"u","ageKeys":[‸"` + aliceKey + `"]}]}`, []string{`users[0].ageKeys[0]|error|this is an SSH key, not an age recipient`}},
		{"garbage key", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":[‸"hello world"]}]}`, []string{`users[0].sshKeys[0]|error|no public key on this line`}},
		{"empty key", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":[‸""]}]}`, []string{`users[0].sshKeys[0]|error|empty key`}},
		{"age identity", h + nm + `,"users":[{"machines":["a"],"name":"u","ageKeys":[‸"` + ageSecret + `"]}]}`, []string{`users[0].ageKeys[0]|error|private key refused: this is an age identity (secret key); it was dropped and not stored`}},
		{"secrets without age", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":[‸"` + rsaKey + `"],"secrets":‸["token"]}]}`, []string{`users[0].sshKeys[0]|warning|RSA keys have no age equivalent: this key can log in but cannot decrypt secrets`, `users[0].secrets|error|user "u" has secrets but no age key to encrypt them to`}},
		{"secrets without admins", h0 + nm + `,"users":[{"name":"u","admin":true,"sshKeys":["` + aliceKey + `"],"secrets":‸["token"]}]}`, []string{`users[0].secrets|error|secrets need an admin recipient, but there are no admins`}},
		{"admin without usable key", h0 + `"admins":[{"name":"admin","sshKeys":[‸"` + rsaKey + `"]}],` + nm + `,"users":[{"name":"u","admin":true,"sshKeys":["` + aliceKey + `"],"secrets":‸["token"]}]}`, []string{`admins[0].sshKeys[0]|error|RSA keys have no age equivalent`, `users[0].secrets|error|secrets need an admin recipient, but no admin has a usable key`}},
		{"admin without key", h0 + `"admins":[‸{"name":"admin"}],` + nm + `,"users":[{"name":"u","admin":true,"sshKeys":["` + aliceKey + `"]}]}`, []string{`admins[0]|error|admin has no key`}},
		{"secret name", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":["` + aliceKey + `"],"secrets":[‸"../x"]}]}`, []string{`users[0].secrets[0]|error|"../x" is not a valid secret name`}},
		{"duplicate secret", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":["` + aliceKey + `"],"secrets":["a",‸"a"]}]}`, []string{`users[0].secrets[1]|error|duplicate secret "a" (first at users[0].secrets[0])`}},
		{"reserved aggregate", h + nm + `,"users":[{"machines":["a"],"name":"u","home":{"aggregates":[‸"base-sops"]}}]}`, []string{`users[0].home.aggregates[0]|error|"base-sops" is reserved`}},
		{"darwin user without uid", h + `"users":[‸{"name":"al","admin":true,"machines":["mac"]}],"machines":[` + dmt + `]}`, []string{`users[0].uid|warning|user "al" is on a darwin machine but has no uid: nix-darwin will not create the account or set its login shell (zsh)`}},

		// Darwin primary user.
		{"primary user not admin", h + `"users":[` + du + `,{"name":"bo","uid":502,"machines":["mac"]}],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","darwin":{"primaryUser":‸"bo"}}]}`, []string{`machines[0].darwin.primaryUser|error|primary user "bo" is not an admin`}},
		{"primary user elsewhere", h + `"users":[` + du + `,{"name":"bo","uid":502,"admin":true}],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","darwin":{"primaryUser":‸"bo"}}]}`, []string{`machines[0].darwin.primaryUser|error|primary user "bo" has no account on "mac"`}},
		{"primary user unknown", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","darwin":{"primaryUser":‸"alx"}}]}`, []string{`machines[0].darwin.primaryUser|error|unknown user "alx" (did you mean "al"?)`}},
		{"darwin without admin", h + `"users":[{"name":"bo","uid":502,"machines":["mac"]}],"machines":[‸{"name":"mac","class":"darwin","targetHost":‸"bo@mac.local"}]}`, []string{`machines[0].darwin.primaryUser|error|darwin machine "mac" has no admin user to be its primary user`, `machines[0].targetHost|warning|clan would log in as "bo" and switch the machine with sudo, which only admins may use`}},
		// Home secrets reach the Macs' homes and standalone ones only
		// (emit_home.go): on NixOS alone, without a standalone home,
		// nothing reads them.
		{"secrets read nowhere", h + `"users":[{"name":"al","sshKeys":["` + aliceKey + `"],"machines":["a"],"home":{"standalone":false},"secrets":‸["tok"]}],"machines":[{"name":"a","class":"nixos"}]}`, []string{`users[0].secrets|warning|no configuration reads the secrets of "al": the homes on NixOS machines do not import home secrets, and the user is on no Mac and has no standalone home`}},
		{"secrets in a standalone home", h + `"users":[{"name":"al","sshKeys":["` + aliceKey + `"],"machines":["a"],"secrets":["tok"]}],"machines":[{"name":"a","class":"nixos"}]}`, nil},
		// clan_lib/ssh/remote.py: _parse_ssh_uri takes [user@]host[:port]
		// (root by default, IPv6 in brackets) and become_root runs the
		// switch through sudo for any other user; the generated sudo is
		// for admins only, sshd listens on 22 (nixpkgs sshd.nix ports).
		{"target two users", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"a@b@host"}]}`, []string{`machines[0].targetHost|error|"a@b@host" is no target host clan can use: a target host names at most one user (user@host)`}},
		{"target bare ipv6", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"root@2001:db8::1"}]}`, []string{`machines[0].targetHost|error|"root@2001:db8::1" is no target host clan can use: an IPv6 address goes in brackets: [2001:db8::1]`}},
		{"target bad port", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"root@host:99999"}]}`, []string{`machines[0].targetHost|error|"root@host:99999" is no target host clan can use: the port after : is a number from 1 to 65535`}},
		{"target ipv6 with port", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"[2001:db8::1]:2222"}]}`, []string{`machines[0].targetHost|warning|after the install the machine listens for SSH on port 22 only, not 2222: every later clan machines update would fail to connect`}},
		{"target ipv6 port 22", h + `"machines":[{"name":"a","class":"nixos","targetHost":"root@[2001:db8::1]:22"}]}`, nil},
		{"target unknown user", h + `"machines":[{"name":"a","class":"nixos","targetHost":‸"ubuntu@192.0.2.1"}]}`, []string{`machines[0].targetHost|warning|clan would log in as "ubuntu", and no user of fleet.json has that name: the machine has no such account once it runs this repository`}},
		{"target user elsewhere", h + `"users":[{"name":"al","admin":true,"sshKeys":["` + aliceKey + `"],"machines":["b"]}],"machines":[{"name":"a","class":"nixos","targetHost":‸"al@192.0.2.1"},{"name":"b","class":"nixos"}]}`, []string{`machines[0].targetHost|warning|clan would log in as "al", who has no account on "a"`}},
		{"target admin user", h + `"users":[{"name":"al","admin":true,"sshKeys":["` + aliceKey + `"],"machines":["a"]}],"machines":[{"name":"a","class":"nixos","targetHost":"al@192.0.2.1"}]}`, nil},
		{"target user not admin", h + `"users":[{"name":"al","sshKeys":["` + aliceKey + `"],"machines":["a"]}],"machines":[{"name":"a","class":"nixos","targetHost":‸"al@192.0.2.1"}]}`, []string{`machines[0].targetHost|warning|clan would log in as "al" and switch the machine with sudo, which only admins may use`}},
		{"darwin networking", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","targetHost":"al@mac.local","darwin":{"networking":‸"brew"}}]}`, []string{`machines[0].darwin.networking|error|"brew" is not a valid darwin networking`}},

		// Overlays.
		{"hotfix platform", h + nm + `,"overlays":{"hotfixes":[{"package":"x","platforms":[‸"windows"]}]}}`, []string{`overlays.hotfixes[0].platforms[0]|error|"windows" is not a valid platform`}},
		{"hotfix date", h + nm + `,"overlays":{"hotfixes":[{"package":"x","added":‸"2025-02-30"}]}}`, []string{`overlays.hotfixes[0].added|error|"2025-02-30" is not a valid date`}},
		{"hotfix package missing", h + nm + `,"overlays":{"hotfixes":[‸{"reason":"x"}]}}`, []string{`overlays.hotfixes[0].package|error|package attribute is missing`}},
		// Layer 1 (emit_overlays.go) adds pkgs.stable and pkgs.unstable and
		// every hotfix reads final.stable.<package>: a package of either
		// name is infinite recursion or replaces the channel.
		{"hotfix named stable", h + nm + `,"overlays":{"hotfixes":[{"package":‸"stable"}]}}`, []string{`overlays.hotfixes[0].package|error|pkgs.stable is a channel of overlay layer 1`}},
		{"override named unstable", h + nm + `,"overlays":{"overrides":[{"package":‸"unstable","doCheck":false}]}}`, []string{`overlays.overrides[0].package|error|pkgs.unstable is a channel of overlay layer 1`}},
		{"package named stable", h + nm + `,"overlays":{"packages":[{"name":‸"stable"}]}}`, []string{`overlays.packages[0].name|error|pkgs.stable is a channel of overlay layer 1`}},
		// terranix's flake module defines packages.terraform (the
		// configuration's name), as pkgs-by-name-for-flake-parts would.
		{"package named terraform next to hetzner machines", h + `"machines":[{"name":"a","class":"nixos","hetzner":{}}],"overlays":{"packages":[{"name":‸"terraform"}]}}`, []string{`overlays.packages[0].name|error|packages.terraform is the hetzner machines' Terraform runner`}},
		{"package named terraform without hetzner", h + nm + `,"overlays":{"packages":[{"name":"terraform"}]}}`, nil},
		{"hotfix package injection", h + nm + `,"overlays":{"hotfixes":[{"package":‸"x; builtins.abort \"y\""}]}}`, []string{`overlays.hotfixes[0].package|error|"x; builtins.abort \"y\"" is not a valid package attribute`}},
		{"package name", h + nm + `,"overlays":{"packages":[{"name":‸"my pkg"}]}}`, []string{`overlays.packages[0].name|error|"my pkg" is not a valid package name`}},
		{"override no-op", h + nm + `,"overlays":{"overrides":[‸{"package":"ripgrep"}]}}`, []string{`overlays.overrides[0]|warning|this override changes nothing`}},
		{"duplicate override", h + nm + `,"overlays":{"overrides":[{"package":"rg","doCheck":false},{"package":‸"rg","doCheck":true}]}}`, []string{`overlays.overrides[1].package|error|duplicate override "rg" (first at overlays.overrides[0].package)`}},
		{"flake input reserved", h + nm + `,"overlays":{"flakeOverlays":[{"input":‸"nixpkgs","url":"github:a/b"}]}}`, []string{`overlays.flakeOverlays[0].input|error|input name "nixpkgs" is already used by the generated flake`}},
		{"flake url", h + nm + `,"overlays":{"flakeOverlays":[{"input":"x","url":‸"not a url"}]}}`, []string{`overlays.flakeOverlays[0].url|error|"not a url" is not a flake reference`}},
		{"flake url missing", h + nm + `,"overlays":{"flakeOverlays":[‸{"input":"x"}]}}`, []string{`overlays.flakeOverlays[0].url|error|url is missing`}},
		{"overlay attr", h + nm + `,"overlays":{"flakeOverlays":[{"input":"x","url":"github:a/b","overlay":‸"a.b"}]}}`, []string{`overlays.flakeOverlays[0].overlay|error|"a.b" is not a valid overlay attribute`}},

		// Vars.
		{"generator reserved", h + nm + `,"vars":[{"machines":["a"],"name":‸"openssh","files":[{"name":"f"}],"script":"x"}]}`, []string{`vars[0].name|error|generator name "openssh" is used by clan or the generated modules`}},
		// clanServices/sshd makes openssh-ca by default (certificate.enable);
		// clanServices/zerotier names its generators zerotier-<…>.
		{"generator reserved by sshd", h + nm + `,"vars":[{"machines":["a"],"name":‸"openssh-ca","files":[{"name":"f"}],"script":"x"}]}`, []string{`vars[0].name|error|generator name "openssh-ca" is used by clan or the generated modules`}},
		{"generator reserved prefix", h + nm + `,"vars":[{"machines":["a"],"name":‸"zerotier-network-zerotier","files":[{"name":"f"}],"script":"x"}]}`, []string{`vars[0].name|error|generator name "zerotier-network-zerotier" is used by clan or the generated modules`}},
		{"generator without files", h + nm + `,"vars":[{"machines":["a"],"name":"g","script":"x","files":‸[]}]}`, []string{`vars[0].files|error|a generator needs at least one file`}},
		{"generator without script", h + nm + `,"vars":[‸{"machines":["a"],"name":"g","files":[{"name":"f"}]}]}`, []string{`vars[0].script|error|script is missing`}},
		{"prompt type", h + nm + `,"vars":[{"machines":["a"],"name":"g","prompts":[{"name":"p","type":‸"secret"}],"files":[{"name":"f"}],"script":"x"}]}`, []string{`vars[0].prompts[0].type|error|"secret" is not a valid prompt type`}},
		{"duplicate prompt", h + nm + `,"vars":[{"machines":["a"],"name":"g","prompts":[{"name":"p"},{"name":‸"p"}],"files":[{"name":"f"}],"script":"x"}]}`, []string{`vars[0].prompts[1].name|error|duplicate prompt "p" (first at vars[0].prompts[0].name)`}},
		{"runtime input", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":"f"}],"runtimeInputs":["openssl",‸"pkgs.wg tools"],"script":"x"}]}`, []string{`vars[0].runtimeInputs[1]|error|"pkgs.wg tools" is not a valid package`}},
		{"duplicate runtime input", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":"f"}],"runtimeInputs":["openssl",‸"openssl"],"script":"x"}]}`, []string{`vars[0].runtimeInputs[1]|warning|duplicate package "openssl" (first at vars[0].runtimeInputs[0])`}},
		{"needed for", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":"f","neededFor":‸"boot"}],"script":"x"}]}`, []string{`vars[0].files[0].neededFor|error|"boot" is not a valid neededFor`}},
		// clan-core generators-to-sops.nix deploys only users/services
		// files with sops-nix; clan-cli's sops.py writes partitioning files
		// at install only and activation files only with <machine>-age.key.
		{"partitioning on a Mac", h + `"users":[` + du + `],"machines":[` + dmt + `],"vars":[{"name":"g","machines":["mac"],"files":[{"name":"f","neededFor":‸"partitioning"}],"script":"x"}]}`, []string{`vars[0].files[0].neededFor|error|the Mac "mac" would never get this file: only ` + "`clan machines install`" + ` writes partitioning secrets, and it installs NixOS machines only`}},
		{"activation on a Mac with a host key", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","hostKey":"` + bobKey + `"}],"vars":[{"name":"g","machines":["mac"],"files":[{"name":"f","neededFor":‸"activation"}],"script":"x"}]}`, []string{`vars[0].files[0].neededFor|error|the Mac "mac" would never get this file: clan uploads activation secrets only with the machine's clan age key, and a Mac with a hostKey has none`}},
		{"activation on a Mac with a clan key", h + `"users":[` + du + `],"machines":[` + dmt + `],"vars":[{"name":"g","machines":["mac"],"files":[{"name":"f","neededFor":"activation"}],"script":"x"}]}`, nil},
		{"a public partitioning file on a Mac", h + `"users":[` + du + `],"machines":[` + dmt + `],"vars":[{"name":"g","machines":["mac"],"files":[{"name":"f","secret":false,"neededFor":"partitioning"}],"script":"x"}]}`, nil},
		{"users secrets on a Mac with a host key", h + `"users":[` + du + `],"machines":[{"name":"mac","class":"darwin","hostKey":"` + bobKey + `"}],"vars":[{"name":"g","machines":["mac"],"files":[{"name":"f","neededFor":"users"}],"script":"x"}]}`, nil},
		{"file name", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":‸".."}],"script":"x"}]}`, []string{`vars[0].files[0].name|error|".." is not a valid file name`}},
		{"generator machine", h + nm + `,"vars":[{"name":"g","machines":[‸"b"],"files":[{"name":"f"}],"script":"x"}]}`, []string{`vars[0].machines[0]|error|unknown machine "b" (did you mean "a"?)`}},
		{"vars without admins", `‸` + h0 + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":"f"}],"script":"x"}]}`, []string{"admins|error|" + noAdminMsg}},
		{"no admin at all", `‸` + h0 + nm + `}`, []string{"admins|error|" + noAdminMsg}},
		{"admin user is enough", h0 + nm + `,"users":[{"name":"u","admin":true,"sshKeys":["` + aliceKey + `"]}]}`, nil},
		{"admin without a usable key", h0 + `"admins":‸[{"name":"admin","sshKeys":[‸"` + rsaKey + `"]}],` + nm + `}`, []string{"admins|error|" + noAdminMsg, "admins[0].sshKeys[0]|error|RSA keys have no age equivalent"}},

		// Free text.
		{"NUL in description", h + `"description":‸"a\u0000b",` + nm + `}`, []string{`description|error|text contains a NUL character`}},
		{"private key in description", h + `"description":‸"` + privKey + `",` + nm + `}`, []string{`description|error|private key refused: this is an SSH private key; it was dropped and not stored`}},
	} {
		t.Run(tc.name, func(t *testing.T) { expectDiagnostics(t, tc.in, tc.want) })
	}
}

// expectDiagnostics parses in (with markers) and checks its diagnostics,
// "path|severity|message" in order, each at its marker, each with a hint,
// none repeating private key material.
func expectDiagnostics(t *testing.T, in string, want []string) {
	t.Helper()
	src, marks := stripMarkers(in)
	_, diags := Parse([]byte(src))
	var got []string
	for _, d := range diags {
		got = append(got, d.Path+"|"+string(d.Severity)+"|"+d.Message)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("diagnostics\n got: %q\nwant: %q", got, want)
	}
	if len(marks) != len(diags) {
		t.Fatalf("%d markers for %d diagnostics", len(marks), len(diags))
	}
	for i, d := range diags {
		if d.Line != marks[i][0] || d.Col != marks[i][1] {
			t.Errorf("%s at %d:%d, marker at %d:%d", d.Path, d.Line, d.Col, marks[i][0], marks[i][1])
		}
		if d.Hint == "" {
			t.Errorf("%s: no hint", d.Path)
		}
		if strings.Contains(d.Message+d.Hint+d.Path, privBody[:20]) || strings.Contains(d.Message+d.Hint+d.Path, ageSecret[15:35]) {
			t.Errorf("%s: diagnostic echoes private key material", d.Path)
		}
	}
}

// stripMarkers removes the markers and returns their line:col (code points).
func stripMarkers(s string) (string, [][2]int) {
	var b strings.Builder
	var marks [][2]int
	line, col := 1, 1
	for len(s) > 0 {
		if strings.HasPrefix(s, marker) {
			marks = append(marks, [2]int{line, col})
			s = s[len(marker):]
			continue
		}
		r, n := utf8.DecodeRuneInString(s)
		b.WriteString(s[:n])
		s = s[n:]
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return b.String(), marks
}

func readExample(t testing.TB, name string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func examples(t testing.TB) []string {
	names, err := filepath.Glob(filepath.Join("..", "content", "examples", "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for i := range names {
		names[i] = filepath.Base(names[i])
	}
	return names
}

func TestExamplesParse(t *testing.T) {
	for _, name := range examples(t) {
		spec, diags := Parse(readExample(t, name))
		if spec == nil || HasErrors(diags) {
			t.Errorf("%s: %v", name, diags)
		}
		for _, d := range diags {
			t.Logf("%s: %s %d:%d %s: %s", name, d.Path, d.Line, d.Col, d.Severity, d.Message)
		}
	}
}

func TestDefaultsAndPrimaryUser(t *testing.T) {
	f, diags := Parse([]byte(h + `"users":[{"name":"bo","uid":502,"machines":["mac"]},` + du + `],"machines":[` + dmt + `,{"name":"srv","class":"nixos","hetzner":{}}]}`))
	spec := f.Spec()
	if HasErrors(diags) {
		t.Fatal(diags)
	}
	if got := spec.Machines[0].Darwin.PrimaryUser; got != "al" {
		t.Errorf("primary user defaulted to %q, want the first admin on the machine, al", got)
	}
	if h := spec.Machines[1].Hetzner; !*h.Enabled || h.ServerType != "cx43" {
		t.Errorf("hetzner defaults: %+v", h)
	}
	if spec.Domain != "clan" || spec.Users[0].Shell != "zsh" || *spec.Checks.Performance {
		t.Errorf("defaults not applied: %+v", spec)
	}
}

func TestNullIsUnset(t *testing.T) {
	f, diags := Parse([]byte(h + `"domain":null,"users":null,"checks":{"nixUnit":null},` + nm + `}`))
	spec := f.Spec()
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if spec.Domain != "clan" || !*spec.Checks.NixUnit {
		t.Errorf("null should mean the default: %+v", spec)
	}
}

// TestAllErrorsCollected: decoding does not stop at the first problem, and
// a field that failed to decode gets no second, derived complaint.
func TestAllErrorsCollected(t *testing.T) {
	_, diags := Parse([]byte(`{"version":"1","name":5,"machines":[{"name":"A","class":"nixos","bogus":1},{"name":"b","class":"plan9"}],` + strings.TrimSuffix(adm, ",") + `}`))
	var got []string
	for _, d := range diags {
		got = append(got, d.Path+"@"+strconv.Itoa(d.Line)+":"+strconv.Itoa(d.Col))
	}
	want := []string{"version@1:12", "name@1:23", "machines[0].name@1:45", "machines[0].bogus@1:65", "machines[1].class@1:96"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestDiagnosticsDeterministic(t *testing.T) {
	in := []byte(h + `"users":[{"name":"x","machines":["q","r"]},{"name":"x"}],"machines":[{"name":"a","class":"nixos","tags":["all","nixos"]},{"name":"a","class":"darwin"}]}`)
	_, first := Parse(in)
	for i := 0; i < 20; i++ {
		if _, again := Parse(in); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%v\n%v", i, first, again)
		}
	}
	for i := 1; i < len(first); i++ {
		a, b := first[i-1], first[i]
		if a.Line > b.Line || a.Line == b.Line && a.Col > b.Col {
			t.Errorf("not sorted by position: %v before %v", a, b)
		}
	}
}

// hostile strings: accepted as free text (the printers escape them),
// rejected with a diagnostic where they would become identifiers.
var hostile = []string{
	`"; builtins.exec ["rm" "-rf" "/"]; "`,
	`${builtins.readFile /etc/shadow}`,
	`''${x}''`,
	"a\nb\rc\td",
	`$(reboot) && rm -rf / ; echo "x" | sh`,
	"<script>alert(1)</script>",
	"../../etc/passwd",
	"\u202eevil\u200b",
	"key: value\n- list\n---",
}

func TestHostileStrings(t *testing.T) {
	for i, s := range hostile {
		q, _ := json.Marshal(s)
		free := h0 + `"description":` + string(q) + `,"users":[{"name":"u","fullName":` + string(q) + `}],` +
			`"machines":[{"name":"a","class":"nixos","description":` + string(q) + `}],` +
			`"overlays":{"hotfixes":[{"package":"p","reason":` + string(q) + `}],"packages":[{"name":"k","version":` + string(q) + `,"description":` + string(q) + `}]},` +
			adm + `"vars":[{"machines":["a"],"name":"g","prompts":[{"name":"p","description":` + string(q) + `}],"files":[{"name":"f"}],"script":` + string(q) + `}]}`
		f, diags := Parse([]byte(free))
		spec := f.Spec()
		if HasErrors(diags) {
			t.Errorf("hostile %d in free text rejected: %v", i, diags)
		} else if spec.Description != s || spec.Vars[0].Script != s {
			t.Errorf("hostile %d not kept verbatim", i)
		}
		for _, field := range []struct{ path, json string }{
			{"name", `{"version":1,"name":` + string(q) + `,` + nm + `}`},
			{"machines[0].name", h + `"machines":[{"name":` + string(q) + `,"class":"nixos"}]}`},
			{"users[0].name", h + nm + `,"users":[{"name":` + string(q) + `}]}`},
			{"machines[0].tags[0]", h + `"machines":[{"name":"a","class":"nixos","tags":[` + string(q) + `]}]}`},
			{"machines[0].targetHost", h + `"machines":[{"name":"a","class":"nixos","targetHost":` + string(q) + `}]}`},
			{"overlays.packages[0].name", h + nm + `,"overlays":{"packages":[{"name":` + string(q) + `}]}}`},
			{"overlays.flakeOverlays[0].input", h + nm + `,"overlays":{"flakeOverlays":[{"input":` + string(q) + `,"url":"github:a/b"}]}}`},
			{"vars[0].files[0].name", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":` + string(q) + `}],"script":"x"}]}`},
			{"users[0].secrets[0]", h + nm + `,"users":[{"name":"u","sshKeys":["` + aliceKey + `"],"secrets":[` + string(q) + `]}]}`},
			{"machines[0].disk.device", h + `"machines":[{"name":"a","class":"nixos","disk":{"device":` + string(q) + `}}]}`},
		} {
			_, diags := Parse([]byte(field.json))
			found := false
			for _, d := range diags {
				found = found || d.Path == field.path && d.Severity == Error && d.Line > 0
			}
			if !found {
				t.Errorf("hostile %d accepted in %s: %v", i, field.path, diags)
			}
		}
	}
}

// TestRoundTrip: what encoding/json writes for a parsed spec parses back to
// the same spec.
func TestRoundTrip(t *testing.T) {
	for _, name := range examples(t) {
		f, _ := Parse(readExample(t, name))
		spec := f.Spec()
		checkRoundTrip(t, spec)
	}
}

func checkRoundTrip(t *testing.T, spec *Spec) {
	t.Helper()
	out, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	again, diags := Parse(out)
	if again == nil {
		t.Fatalf("re-parse failed: %v\n%s", diags, out)
	}
	if !reflect.DeepEqual(spec, again.Spec()) {
		t.Fatalf("round trip changed the spec:\n%s", out)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range examples(f) {
		f.Add(readExample(f, name))
	}
	f.Add([]byte(h + `"machines":[{"name":"a","class":"nixos","hetzner":{"servertype":"cx23"}}],"users":[{"name":"u","uid":"5"}]}`))
	f.Add([]byte(h + `"users":[` + du + `],"machines":[` + dm + `]}`))
	f.Add([]byte(h + `"users":[` + du + `],"machines":[` + dmt + `]}`))
	f.Add([]byte(h + nm + `,"overlays":{"packages":[{"name":"_foo"}]}}`))
	// Safe-to-print seeds (issue 12): private keys and terminal escapes
	// where names are echoed, a leading '_', case-only collisions.
	f.Add([]byte(`{"` + ageSecret + `" 1}`))
	f.Add([]byte(h + nm + `,"` + ageSecret + `":1,"` + ageSecret + `":2}`))
	f.Add([]byte(h + `"machines":[{"name":"x\u001b]0;ok\u0007","class":"nixos"}],"users":[{"name":"u","machines":["x"]}]}`))
	f.Add([]byte(h + nm + `,"users":[{"name":"_svc","machines":["a"]}],"vars":[{"machines":["a"],"name":"API-Token","files":[{"name":"f"}],"script":"x"},{"machines":["a"],"name":"api-token","files":[{"name":"f"}],"script":"x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// parseUnchecked: every message must be safe by construction,
		// not only after Parse's last pass repairs it.
		spec, diags := parseUnchecked(data, nil)
		for _, d := range diags {
			if d.Path == "" && d.Line == 0 {
				t.Fatalf("diagnostic with neither path nor position: %+v", d)
			}
			if d.Message == "" || d.Hint == "" || (d.Severity != Error && d.Severity != Warning) {
				t.Fatalf("incomplete diagnostic: %+v", d)
			}
			if why := safeToPrint(d); why != "" {
				t.Fatalf("diagnostic not safe to print (%s): %+q", why, []string{d.Path, d.Message, d.Hint})
			}
		}
		if spec == nil {
			if !HasErrors(diags) {
				t.Fatal("no spec and no error")
			}
			return
		}
		// Parse and Generate agree: a spec Parse accepts generates (Generate
		// may fail only for missing entropy or time).
		if !HasErrors(diags) {
			e := make([]byte, 32)
			files, err := Generate(&Fleet{m: resolve(spec, nil)}, Options{Entropy: e, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatalf("Parse accepted the spec but Generate failed: %v\n%s", err, data)
			}
			// The README's optional paragraphs leave no run of empty
			// lines, whatever the fleet leaves out.
			for _, f := range files {
				if f.Path == "README.md" && bytes.Contains(f.Data, []byte("\n\n\n")) {
					i := bytes.Index(f.Data, []byte("\n\n\n"))
					t.Fatalf("README.md has two empty lines after %q\n%s", f.Data[max(0, i-80):i], data)
				}
			}
		}
		// Decoding what encoding/json writes gives the same spec back.
		out, err := json.Marshal(spec)
		if err != nil {
			t.Fatal(err)
		}
		again, diags2 := Parse(out)
		if again == nil {
			t.Fatalf("re-parse of marshalled spec failed: %v", diags2)
		}
		if !reflect.DeepEqual(spec, again.Spec()) {
			t.Fatalf("round trip changed the spec:\n%s", out)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data := readExample(b, "large.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Parse(data); HasErrors(diags) {
			b.Fatal(diags)
		}
	}
}

// BenchmarkCacheParseOneField is a keystroke's parse: large.json with one
// machine's description typed into, alternately, through a Cache, which
// parses only that value again (jsonpos.Reparse) and then decodes,
// validates and resolves the whole spec.
func BenchmarkCacheParseOneField(b *testing.B) {
	data := readExample(b, "large.json")
	at := bytes.Index(data, []byte(`"description": "`))
	if at < 0 {
		b.Fatal("large.json has no description")
	}
	at += len(`"description": "`)
	texts := [2][]byte{data, append(append(bytes.Clone(data[:at]), 'x'), data[at:]...)}
	c := NewCache()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, diags := c.Parse(texts[i%2]); HasErrors(diags) {
			b.Fatal(diags)
		}
		i++
	}
}
