package gen

import (
	"cmp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fleetyard/fleetyard/gen/internal/echo"
	"github.com/fleetyard/fleetyard/gen/sshkey"
)

// Enumerations of the spec. The reference table and the JSON Schema use the
// same slices.
var (
	enumClass      = []string{string(classNixOS), string(classDarwin)}
	enumSystem     = []string{"x86_64-linux", "aarch64-linux", "aarch64-darwin", "x86_64-darwin"}
	enumShell      = []string{"zsh", "bash", "fish"}
	enumZerotier   = []string{string(zerotierCtl), string(zerotierPeer), string(zerotierNone)}
	enumLayout     = []string{"zfs", "ext4"}
	enumNetworking = []string{string(networkHomebrew), string(networkLaunchd), string(networkNone)}
	enumPrompt     = []string{"hidden", "line", "multiline", "multiline-hidden"}
	enumNeededFor  = []string{"partitioning", "activation", "users", "services"}
	enumPlatform   = []string{"linux", "darwin"}
)

// reservedTags are added to every machine by clan itself.
var reservedTags = []string{"all", "nixos", "darwin"}

// reservedUsers are accounts the operating systems own.
var reservedUsers = []string{"root", "nobody", "daemon"}

// reservedAggregates are home-manager module names the generator defines
// itself (base-sops) or that would clash with the user modules (users/…).
var reservedAggregates = []string{"base-sops", "base", "users"}

// reservedGenerators are clan vars generators that clan services or the
// generated modules already define: clanServices/sshd (openssh and, with
// its default certificate.enable, openssh-ca and openssh-cert),
// clanServices/emergency-access, clanServices/zerotier
// (zerotier-network-<instance>, zerotier-identity-<machine>,
// zerotier-ip-<machine>-<instance>), clanServices/users
// (user-password-<user>) and the darwin users' keys (ssh-key-<user>).
var reservedGenerators = []string{"openssh", "openssh-ca", "openssh-cert", "openssh-rsa", "sshd-root-key", "emergency-access", "zerotier", "state-version", "root-password"}
var reservedGeneratorPrefixes = []string{"ssh-key-", "user-password-", "zerotier-"}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checker collects diagnostics for one spec.
type checker struct {
	s    *Spec
	at   func(path string) (line, col int)
	out  []Diagnostic
	keys map[string]keyResult
	// cache, when set, remembers key parses across Parse calls.
	cache *Cache
	// over counts problems past maxCollected; suggested counts the
	// "did you mean" searches (each compares with every name).
	over      overflow
	suggested int
	// withVars holds the machines that get secret clan vars
	// (darwinHasSecretVars), built on first use.
	withVars map[string]bool
}

type keyResult struct {
	key sshkey.Key
	err *sshkey.LineError
}

func (c *checker) add(sev Severity, path, msg, hint string) {
	if len(c.out) >= maxCollected {
		c.over.count++
		if sev == Error {
			c.over.errors++
		}
		return
	}
	d := Diagnostic{Path: path, Severity: sev, Message: msg, Hint: hint}
	if c.at != nil {
		d.Line, d.Col = c.at(path)
	}
	c.out = append(c.out, d)
}

func (c *checker) err(path, msg, hint string)  { c.add(Error, path, msg, hint) }
func (c *checker) warn(path, msg, hint string) { c.add(Warning, path, msg, hint) }

// parseKey parses each distinct key text once per spec: fleets repeat keys
// (a user's key on every machine), and point decompression is the costliest
// step of validation.
func (c *checker) parseKey(s string) (sshkey.Key, *sshkey.LineError) {
	if r, ok := c.keys[s]; ok {
		return r.key, r.err
	}
	k, err := c.cache.parseKey(s)
	var le *sshkey.LineError
	if err != nil {
		if e, ok := err.(*sshkey.LineError); ok {
			le = e
		} else {
			le = &sshkey.LineError{Msg: "not a usable public key", Hint: "paste the contents of a .pub file"}
		}
	}
	c.keys[s] = keyResult{k, le}
	return k, le
}

// fieldPath is a diagnostic path not yet joined: base+field. Validation
// checks a dozen fields per machine and nearly all pass, so joining their
// paths only when one fails saves that many strings per keystroke.
type fieldPath struct{ base, field string }

// at is the path base+field, joined when a diagnostic needs it.
func at(base, field string) fieldPath { return fieldPath{base, field} }

func (p fieldPath) String() string {
	if p.field == "" {
		return p.base
	}
	return p.base + p.field
}

// name checks a required identifier against its rule.
func (c *checker) name(path fieldPath, kind, v string, r *nameRule) bool {
	if v == "" {
		c.err(path.String(), kind+" is missing", "set it: "+r.What+"; "+r.Why)
		return false
	}
	return c.ident(path, kind, v, r)
}

// ident checks an optional identifier that is set.
func (c *checker) ident(path fieldPath, kind, v string, r *nameRule) bool {
	if r.ok(v) {
		return true
	}
	msg := echo.Quote(v) + " is not a valid " + kind
	hint := "use " + r.What + "; " + r.Why
	switch {
	case r.Max > 0 && len(v) > r.Max:
		msg = kind + " is longer than " + strconv.Itoa(r.Max) + " characters"
	case v[0] == '_' && !r.first.has('_'):
		// Explain the one rule that looks arbitrary.
		msg = kind + " " + echo.Quote(v) + " starts with '_'"
		hint = "start it with a letter or digit: names that become file or directory names cannot start with '_', because import-tree, which loads the generated modules/, skips every path containing \"/_\" (the account or generator would silently vanish)"
	}
	c.err(path.String(), msg, hint)
	return false
}

// enum checks a value against a closed list (empty means unset and is left
// to the caller).
func (c *checker) enum(path fieldPath, kind, v string, allowed []string) bool {
	if v == "" || contains(allowed, v) {
		return true
	}
	hint := "use one of: " + strings.Join(allowed, ", ")
	if s := suggest(v, allowed); s != "" {
		hint = `did you mean "` + s + `"? ` + hint
	}
	c.err(path.String(), echo.Quote(v)+" is not a valid "+kind, hint)
	return false
}

// text checks free text: anything printable goes (the printers escape it),
// but not NUL or invalid UTF-8. Private key material never gets here: the
// decoder refuses it in every string (decoder.public).
func (c *checker) text(path fieldPath, v string) {
	switch {
	case v == "":
	case !utf8.ValidString(v):
		c.err(path.String(), "text is not valid UTF-8", "save the file as UTF-8")
	case strings.IndexByte(v, 0) >= 0:
		c.err(path.String(), "text contains a NUL character", `remove the \u0000`)
	}
}

func looksPrivate(s string) bool { return sshkey.ContainsPrivate(s) }

// unique reports a repeated name at its second occurrence, pointing back to
// the first.
type seen map[string]fieldPath

func (c *checker) unique(m seen, path fieldPath, kind, v string, sev Severity) {
	if v == "" {
		return
	}
	if first, dup := m[v]; dup {
		c.add(sev, path.String(), "duplicate "+kind+" "+echo.Quote(v)+" (first at "+first.String()+")", "each "+kind+" may appear once; remove or rename one")
		return
	}
	m[v] = path
}

// foldSeen remembers names that become file or directory names, by their
// lower-case form: the first occurrence's path and spelling.
type foldSeen map[string]struct {
	path     fieldPath
	spelling string
}

// uniquePath is unique for names that become file or directory names. Two
// that differ only in letter case (API-Token, api-token) are the same path
// on macOS's case-insensitive file system, where one would overwrite the
// other when the repository is checked out, so they are compared folded.
func (c *checker) uniquePath(m foldSeen, path fieldPath, kind, v string) {
	if v == "" {
		return
	}
	k := strings.ToLower(v)
	first, dup := m[k]
	switch {
	case !dup:
		m[k] = struct {
			path     fieldPath
			spelling string
		}{path, v}
	case first.spelling == v:
		c.err(path.String(), "duplicate "+kind+" "+echo.Quote(v)+" (first at "+first.path.String()+")", "each "+kind+" may appear once; remove or rename one")
	default:
		c.err(path.String(), kind+" "+echo.Quote(v)+" differs from "+echo.Quote(first.spelling)+" (at "+first.path.String()+") only in letter case",
			"rename one: they would be the same file on macOS's case-insensitive file system")
	}
}

func idx(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }

// validate checks a defaulted spec. at maps a field path to line:col (nil
// when the spec did not come from JSON). It returns the diagnostics and how
// what was found past maxCollected.
func validate(s *Spec, at func(string) (int, int), cache *Cache) ([]Diagnostic, overflow) {
	c := &checker{s: s, at: at, keys: map[string]keyResult{}, cache: cache}
	c.totals()
	c.top()
	admins := c.admins()
	c.users(admins)
	c.machines()
	c.overlays()
	c.vars()
	c.recipients()
	c.anchors()
	return c.out, c.over
}

// anchors reports two key holders whose .sops.yaml anchors would clash
// (keyring.go names them), so that Generate, which builds the same
// keyring, cannot fail on a spec that validated. Keys that do not parse
// were reported already.
func (c *checker) anchors() {
	for _, d := range c.out {
		if d.Severity == Error {
			return
		}
	}
	_, err := buildKeyring(c.s, c.cache)
	if clash, ok := err.(*anchorClash); ok {
		c.err(clash.Second.path(), clash.Error(), "rename one of them: the anchors are what .sops.yaml rules and people refer to")
	}
}

// present reports whether the spec text has the field at path: locate
// finds a missing one where its closest parent is.
func (c *checker) present(path string) bool {
	if c.at == nil {
		return false
	}
	l, col := c.at(path)
	pl, pc := c.at(parentPath(path))
	return l != pl || col != pc
}

func (c *checker) top() {
	s := c.s
	switch s.Version {
	case 1:
	case 0:
		if c.present("version") {
			c.err("version", "only version 1 exists, found 0", `set "version": 1`)
		} else {
			c.err("version", "version is missing", `add "version": 1 at the top of the spec`)
		}
	default:
		c.err("version", "only version 1 exists, found "+strconv.Itoa(s.Version), `set "version": 1`)
	}
	c.text(at("$schema", ""), s.Schema)
	c.name(at("name", ""), "clan name", s.Name, &ruleClanName)
	c.ident(at("domain", ""), "domain", s.Domain, &ruleDomain)
	c.text(at("description", ""), s.Description)
	if c.ident(at("channels.unstable", ""), "branch name", s.Channels.Unstable, &ruleBranch) {
		if !c.mainChannel(s.Channels.Unstable) {
			c.oldBranch("channels.unstable", s.Channels.Unstable)
		}
	}
	if c.ident(at("channels.nixos", ""), "branch name", s.Channels.NixOS, &ruleBranch) {
		c.oldBranch("channels.nixos", s.Channels.NixOS)
	}
	if c.ident(at("channels.darwin", ""), "branch name", s.Channels.Darwin, &ruleBranch) {
		c.oldBranch("channels.darwin", s.Channels.Darwin)
	}
	if len(s.Machines) == 0 {
		c.err("machines", "a fleet needs at least one machine",
			`add one: "machines": [{"name": "server", "class": "nixos"}]`)
	}
}

// mainChannel refuses a main nixpkgs branch of a release before
// develRelease in a fleet with Macs: nix-darwin follows that input, and its
// eval-config.nix asserts on a development branch that nixpkgs is at least
// its own release, so every Mac would fail to evaluate.
//
// Before clanRelease it is an error in every fleet: clan-core's own check
// stops the evaluation of every machine.
// It reports whether it refused the branch.
func (c *checker) mainChannel(branch string) bool {
	r := branchRelease(branch)
	if r == "" || r >= develRelease {
		return false
	}
	if r < clanRelease {
		c.err("channels.unstable", echo.Quote(branch)+" is nixpkgs "+r+", and clan-core refuses a nixpkgs before "+clanRelease+" (its minNixpkgsVersion check): no machine would evaluate",
			"remove it for nixpkgs-unstable, or name a branch of "+clanRelease+" or later")
		return true
	}
	for _, m := range c.s.Machines {
		if class(m.Class) == classDarwin {
			c.err("channels.unstable", echo.Quote(branch)+" is nixpkgs "+r+", and the nix-darwin this repository pins (its "+develRelease+" development branch) refuses a nixpkgs before "+develRelease+": the Macs would not evaluate",
				"remove it for nixpkgs-unstable, or name a branch of "+develRelease+" or later")
			return true
		}
	}
	return false
}

// oldBranch warns about a channel for a release before stableRelease:
// nixpkgs no longer patches it, so pkgs.stable (the hotfix layer), or every
// package where it is the main channel, would come from a branch without
// security fixes.
func (c *checker) oldBranch(path, branch string) {
	r := branchRelease(branch)
	if r != "" && !isRelease(r) {
		c.warn(path, echo.Quote(branch)+" names no NixOS release: they are YY.05 and YY.11 (May and November)",
			"set it to "+echo.Quote(strings.Replace(branch, r, stableRelease, 1))+", or remove it for the default")
		return
	}
	if r != "" && r < stableRelease {
		c.warn(path, echo.Quote(branch)+" is NixOS "+r+", older than "+stableRelease+", the oldest release nixpkgs still maintains: it gets no security fixes",
			"set it to "+echo.Quote(strings.Replace(branch, r, stableRelease, 1))+", or remove it for the default")
	}
}

// meshTargetHost warns about a target host named <name>.<domain>
// (clanDomainHost).
func (c *checker) meshTargetHost(path, target string) {
	domain := c.s.Domain
	if domain == "" {
		domain = defaultDomain
	}
	if host, ok := clanDomainHost(target, domain); ok {
		c.warn(path, "target host "+echo.Quote(host)+" is a name in the clan domain "+echo.Quote(domain)+", and nothing makes clan domain names resolve for your workstation: clan's zerotier service publishes none",
			"use an address your workstation reaches (the server's public IP or a DNS name you own), or keep it and add the name to your DNS or /etc/hosts; until then, deploy with --target-host root@<address>")
	}
}

// targetHost checks what clan does with m's target host: it parses it
// (clan_lib/ssh/remote.py, _parse_ssh_uri), logs in as its user and, for
// any user but root, switches through sudo (Remote.become_root). It
// reports whether the target parses.
func (c *checker) targetHost(path string, m *Machine, users map[string]*User) bool {
	tg, problem := parseTarget(m.TargetHost)
	if problem != "" {
		c.err(path, echo.Quote(m.TargetHost)+" is no target host clan can use: "+problem, "write it as [user@]host[:port], like \"root@192.0.2.1\" or \"root@[2001:db8::1]:2222\"")
		return false
	}
	nixos := class(m.Class) == classNixOS
	if tg.user != "root" {
		// Accounts come from users[] (modules/system/users, modules/darwin/users);
		// sudo without a password only for admins (sudo.nix: wheel; the
		// Macs' sudoers line).
		fix := `use "root@` + tg.host + `"` + " (an admin's key logs in as root on NixOS), or an admin user with an account there"
		if !nixos {
			fix = "name an admin user with an account on this Mac"
		}
		u, ok := users[tg.user]
		switch {
		case !ok:
			c.warn(path, "clan would log in as "+echo.Quote(tg.user)+", and no user of fleet.json has that name: the machine has no such account once it runs this repository", fix)
		case !contains(u.Machines, m.Name):
			c.warn(path, "clan would log in as "+echo.Quote(tg.user)+", who has no account on "+echo.Quote(m.Name), `add "`+m.Name+`" to that user's machines, or `+fix)
		case !u.Admin:
			c.warn(path, "clan would log in as "+echo.Quote(tg.user)+" and switch the machine with sudo, which only admins may use", `set "admin": true on that user, or `+fix)
		}
	}
	// sshd.nix listens on services.openssh.ports, [ 22 ] unless set, and
	// neither the generated modules nor clan's sshd service set it.
	if nixos && tg.port != "" && tg.port != "22" {
		c.warn(path, "after the install the machine listens for SSH on port 22 only, not "+tg.port+": every later clan machines update would fail to connect",
			"forward port "+tg.port+" to 22 on the way to the machine, or add services.openssh.ports = [ 22 "+tg.port+" ]; to modules/machines/nixos/"+echo.Name(m.Name)+"/default.nix")
	}
	return true
}

// macTargetUser warns when clan would log in to a Mac as root: a
// targetHost without "user@" means root to clan (clan_lib/ssh/remote.py,
// Remote.user), and no generated module authorizes a key for root on a
// Mac (modules/system/ssh.nix is NixOS's).
func (c *checker) macTargetUser(path string, m *Machine) {
	user, host := "root", m.TargetHost
	if at := strings.IndexByte(host, '@'); at >= 0 {
		user, host = host[:at], host[at+1:]
	}
	if user != "root" {
		return
	}
	who := "<user>"
	if m.Darwin != nil && m.Darwin.PrimaryUser != "" {
		who = m.Darwin.PrimaryUser
	}
	c.warn(path, "clan would log in to this Mac as root, and nothing here authorizes a key for root on a Mac",
		"name the account that deploys it, one that may use sudo (usually the primary user): "+echo.Quote(who+"@"+host))
}

// macLocalName warns about a Mac's target host in .local, the Bonjour
// names, other than <machine>.local: nix-darwin sets the Mac's local host
// name to networking.hostName, the machine's name, at every switch
// (modules/networking: localHostName defaults to hostName, applied with
// scutil --set LocalHostName), so after the first one the Mac no longer
// answers to any other .local name.
func (c *checker) macLocalName(path string, m *Machine) {
	host := targetHostName(m.TargetHost)
	if !strings.HasSuffix(strings.ToLower(host), ".local") || strings.EqualFold(host, m.Name+".local") {
		return
	}
	c.warn(path, "after its first switch this Mac answers to "+echo.Quote(m.Name+".local")+", not "+echo.Quote(host)+": nix-darwin names its local host after the machine",
		"use "+echo.Quote(strings.Replace(m.TargetHost, host, m.Name+".local", 1))+", or the Mac's address")
}

// reachableTarget is m's targetHost when a workstation can be expected to
// reach it: "" when there is none or it is a clan-domain name
// (clanDomainHost), where the README asks for root@<address> instead.
func reachableTarget(m *machine, domain string) string {
	if _, mesh := clanDomainHost(m.TargetHost, domain); mesh {
		return ""
	}
	return m.TargetHost
}

// clanDomainHost returns the host of target ([user@]host[:port]) and
// whether it is a name under the clan domain, when that domain is a
// top-level name of its own ("zt", the default "clan"). Such names resolve
// only where something publishes them (clan's wireguard, yggdrasil and
// dm-dns services; clan-core modules/inventoryClass/meta.nix), and the
// zerotier service Fleetyard sets up publishes none. clan uses an inventory
// targetHost as it is (clan_lib/network/network.py), so an update to such a
// name fails to resolve on a workstation without a DNS or hosts entry. A
// domain with a dot is one the owner publishes in DNS (meta.nix's second
// case), so its names are not suspect.
func clanDomainHost(target, domain string) (string, bool) {
	if strings.IndexByte(domain, '.') >= 0 {
		return "", false
	}
	host := targetHostName(target)
	return host, strings.HasSuffix(host, "."+domain)
}

// keyList checks a list of SSH keys or age recipients. wantAge selects the
// ageKeys flavour. loginOnly allows key types that work for SSH login but
// give no age key (users' authorized keys); ageElsewhere says the owner has
// an age recipient in another list, so such a key needs no warning. It
// returns whether any key gives an age recipient.
func (c *checker) keyList(path string, keys []string, wantAge, loginOnly, ageElsewhere bool) bool {
	usable := false
	dup := seen{}
	var loginOnlyAt []int
	for i, k := range keys {
		p := idx(path, i)
		if strings.TrimSpace(k) == "" {
			c.err(p, "empty key", "remove the empty entry or paste a key")
			continue
		}
		key, e := c.parseKey(k)
		if e != nil {
			if loginOnly && !e.Private && loginKeyType(k) {
				loginOnlyAt = append(loginOnlyAt, i)
				continue
			}
			c.err(p, e.Msg, e.Hint)
			continue
		}
		switch {
		case wantAge && key.Type != "age":
			c.err(p, "this is an SSH key, not an age recipient", "move it to sshKeys")
			continue
		case !wantAge && key.Type == "age":
			c.err(p, "this is an age recipient, not an SSH key", "move it to ageKeys")
			continue
		}
		c.unique(dup, at(p, ""), "key", key.Recipient, Warning)
		usable = true
	}
	// Said only of a user whose other keys give no age key either: next
	// to an ed25519 key or an age recipient, an RSA key that logs in is
	// fine.
	for _, i := range loginOnlyAt {
		if !usable && !ageElsewhere {
			_, e := c.parseKey(keys[i])
			c.warn(idx(path, i), e.Msg+": this key can log in but cannot decrypt secrets",
				"add an ed25519 key too (ssh-keygen -t ed25519) if this user needs secrets")
		}
	}
	return usable
}

// loginKeyType reports whether a key line is of a type OpenSSH accepts for
// login but that has no age form (RSA, ECDSA, FIDO security keys).
func loginKeyType(k string) bool {
	for _, f := range strings.Fields(k) {
		switch {
		case f == "ssh-rsa", strings.HasPrefix(f, "ecdsa-sha2-"), strings.HasPrefix(f, "sk-ssh-ed25519@"), strings.HasPrefix(f, "sk-ecdsa-sha2-"):
			return true
		}
	}
	return false
}

// admins checks the recovery recipients and returns the name → path map.
func (c *checker) admins() seen {
	names := seen{}
	for i, a := range c.s.Admins {
		p := idx("admins", i)
		if c.name(at(p, ".name"), "admin name", a.Name, &ruleUser) {
			c.unique(names, at(p, ".name"), "admin name", a.Name, Error)
		}
		ssh := c.keyList(p+".sshKeys", a.SSHKeys, false, false, false)
		age := c.keyList(p+".ageKeys", a.AgeKeys, true, false, false)
		// With keys that are all unusable, each bad key has its own
		// message already; only an admin without any key needs one here.
		if !ssh && !age && len(a.SSHKeys) == 0 && len(a.AgeKeys) == 0 {
			c.err(p, "admin has no key", `add an ed25519 public key: "sshKeys": ["ssh-ed25519 AAAA… you@host"], or "ageKeys": ["age1…"]`)
		}
	}
	return names
}

// hasAge reports whether a user or admin has a recipient for their secrets: an
// ed25519 key (which ssh-to-age converts) or an age key.
func (c *checker) hasAge(sshKeys, ageKeys []string) bool {
	for _, k := range append(append([]string(nil), sshKeys...), ageKeys...) {
		if key, e := c.parseKey(k); e == nil && (key.Type == "ssh-ed25519" || key.Type == "age") {
			return true
		}
	}
	return false
}

func (c *checker) users(admins seen) {
	s := c.s
	names, uids := seen{}, seen{}
	machines := map[string]*Machine{}
	var machineNames []string
	for i := range s.Machines {
		if _, dup := machines[s.Machines[i].Name]; !dup {
			machines[s.Machines[i].Name] = &s.Machines[i]
		}
		machineNames = append(machineNames, s.Machines[i].Name)
	}
	for i, u := range s.Users {
		p := idx("users", i)
		if c.name(at(p, ".name"), "user name", u.Name, &ruleUser) {
			c.unique(names, at(p, ".name"), "user name", u.Name, Error)
			if contains(reservedUsers, u.Name) {
				c.err(p+".name", echo.Quote(u.Name)+" is a system account", "pick another name; the operating system manages "+echo.Name(u.Name))
			}
			if first, ok := admins[u.Name]; ok {
				c.err(p+".name", "user "+echo.Quote(u.Name)+" has the same name as "+strings.TrimSuffix(first.String(), ".name")+"; both would be sops/users/"+echo.Name(u.Name),
					"rename one of them, or drop the admins entry and set \"admin\": true on the user")
			}
		}
		c.text(at(p, ".fullName"), u.FullName)
		c.email(p+".email", u.Email)
		c.uid(p+".uid", u.UID, uids)
		c.enum(at(p, ".shell"), "shell", u.Shell, enumShell)
		age := c.keyList(p+".ageKeys", u.AgeKeys, true, false, false)
		c.keyList(p+".sshKeys", u.SSHKeys, false, true, age)
		onDarwin := false
		dupM := seen{}
		for j, m := range u.Machines {
			mp := idx(p+".machines", j)
			mm, ok := machines[m]
			if !ok {
				c.unknownRef(mp, "machine", m, machineNames)
				continue
			}
			c.unique(dupM, at(mp, ""), "machine", m, Warning)
			if class(mm.Class) == classDarwin {
				onDarwin = true
			}
		}
		// A user's account, home and secrets reach only the machines they
		// are on (standalone homes too: one per system of those machines).
		// An admin's key still opens the clan's secrets, so only others
		// are told.
		if len(u.Machines) == 0 && !u.Admin {
			c.warn(p+".machines", "user "+echo.Quote(u.Name)+" is on no machine: no account is made for them, and their home configuration and secrets are used nowhere",
				`list the machines their account belongs on in "machines" (their standalone home configurations follow those machines' systems), or remove the user`)
		}
		if onDarwin && u.UID == 0 {
			c.warn(p+".uid", "user "+echo.Quote(u.Name)+" is on a darwin machine but has no uid: nix-darwin will not create the account or set its login shell ("+echo.Name(u.Shell)+")",
				`add "uid": the number id -u `+u.Name+` prints on the Mac, or for an account nix-darwin should create one no other account there has (502 and up: 501 is usually the first account); or create the account on the Mac before its first switch and run chsh once`)
		}
		dupA := seen{}
		for j, a := range u.Home.Aggregates {
			ap := idx(p+".home.aggregates", j)
			if c.name(at(ap, ""), "aggregate name", a, &ruleAggregate) {
				if contains(reservedAggregates, a) {
					c.err(ap, echo.Quote(a)+" is reserved", "the generator defines that home-manager module itself; pick another name")
				}
				c.unique(dupA, at(ap, ""), "aggregate", a, Warning)
			}
		}
		dupS := foldSeen{}
		for j, sec := range u.Secrets {
			sp := idx(p+".secrets", j)
			if c.name(at(sp, ""), "secret name", sec, &ruleFileName) {
				c.uniquePath(dupS, at(sp, ""), "secret", sec)
			}
		}
		if len(u.Secrets) > 0 && !c.hasAge(u.SSHKeys, u.AgeKeys) {
			c.err(p+".secrets", "user "+echo.Quote(u.Name)+" has secrets but no age key to encrypt them to",
				`add an ed25519 key to sshKeys (ssh-keygen -t ed25519) or an age1… recipient to ageKeys`)
		} else if len(u.Secrets) > 0 && len(u.Machines) > 0 && !onDarwin && u.Home.Standalone != nil && !*u.Home.Standalone {
			// Home secrets are imported by the Macs' homes and the
			// standalone ones only (emit_home.go), never by a NixOS
			// machine's integrated home.
			c.warn(p+".secrets", "no configuration reads the secrets of "+echo.Quote(u.Name)+": the homes on NixOS machines do not import home secrets, and the user is on no Mac and has no standalone home",
				`set "home": {"standalone": true} (their standalone home configuration reads them), put the user on a Mac, or remove "secrets"`)
		}
	}
}

// email checks a user's git address.
func (c *checker) email(path, v string) {
	if v != "" && !looseEmail(v) {
		c.err(path, echo.Quote(v)+" is not an email address", "write it as name@example.org; it is used for git")
	}
}

func (c *checker) uid(path string, uid int, uids seen) {
	switch {
	case uid == 0:
		return
	case uid < 0 || uid > 2147483646:
		c.err(path, "uid "+strconv.Itoa(uid)+" is out of range", "use a uid between 500 and 60000: darwin accounts start at 501, NixOS normal users at 1000")
		return
	case uid == 65534 || uid == 65535:
		c.err(path, "uid "+strconv.Itoa(uid)+" is reserved (nobody)", "use a uid between 500 and 60000")
		return
	case uid < 500:
		c.warn(path, "uid "+strconv.Itoa(uid)+" is in the system account range", "darwin accounts start at 501, NixOS normal users at 1000")
	}
	c.unique(uids, at(path, ""), "uid", strconv.Itoa(uid), Error)
}

// looseEmail accepts anything shaped like local@domain without spaces: the
// address is only used for git, and real address syntax is wild.
func looseEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.IndexByte(s[at+1:], '@') >= 0 || len(s) > 254 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '"' {
			return false
		}
	}
	return utf8.ValidString(s)
}

// unknownRef reports a name that refers to nothing, suggesting the closest.
func (c *checker) unknownRef(path, kind, v string, names []string) {
	if v == "" {
		c.err(path, "empty "+kind+" name", "remove the empty entry")
		return
	}
	if len(c.out) >= maxCollected {
		c.over.count++ // not worth composing
		c.over.errors++
		return
	}
	msg := "unknown " + kind + " " + echo.Quote(v)
	var hint string
	switch {
	case len(names) == 0:
		hint = "define it under " + kind + "s first"
	case len(names) > 12:
		hint = "check the spelling against the " + kind + "s list"
	default:
		hint = "the " + kind + "s are: " + echo.Names(names)
	}
	if c.suggested < maxSuggestions {
		c.suggested++
		if sug := suggest(v, names); sug != "" {
			msg += " (did you mean " + echo.Quote(sug) + "?)"
		}
	}
	c.err(path, msg, hint)
}

// The two forms of machines[].stateVersion: a NixOS release ("26.05") and a
// nix-darwin state version (a whole number). The schema gives each class its
// own (schema.go); the validator checks the form against the class.
const (
	stateVersionNixOS = `[0-9][0-9]\.[0-9][0-9]`
	// nix-darwin modules/system/version.nix: system.stateVersion is
	// types.ints.between 1 config.system.maxStateVersion (7).
	stateVersionDarwin = `0*[1-` + maxDarwinStateVersion + `]`
)

func linuxSystem(sys string) bool  { return strings.HasSuffix(sys, "-linux") }
func darwinSystem(sys string) bool { return strings.HasSuffix(sys, "-darwin") }

func (c *checker) machines() {
	s := c.s
	names := seen{}
	controller := ""
	users := map[string]*User{}
	var userNames []string
	for i := range s.Users {
		// The first of two users of one name is the one the duplicate
		// error points back to: rules about it must read that one.
		if _, dup := users[s.Users[i].Name]; !dup {
			users[s.Users[i].Name] = &s.Users[i]
		}
		userNames = append(userNames, s.Users[i].Name)
	}
	// Without a controller there is no network, and nothing of zerotier
	// is generated for a Mac to get wrong (emitZerotier).
	hasController := false
	for _, m := range s.Machines {
		hasController = hasController || zerotierRole(m.Zerotier) == zerotierCtl && class(m.Class) == classNixOS
	}
	for i, m := range s.Machines {
		p := idx("machines", i)
		if c.name(at(p, ".name"), "machine name", m.Name, &ruleHostname) {
			c.unique(names, at(p, ".name"), "machine name", m.Name, Error)
		}
		classOK := false
		if m.Class == "" {
			c.err(p+".class", "class is missing", `set "class": "nixos" or "class": "darwin"`)
		} else {
			classOK = c.enum(at(p, ".class"), "class", m.Class, enumClass)
		}
		// nixpkgs supports x86_64-darwin up to the 26.05 release; unstable
		// drops it afterwards, and Macs take their packages from the
		// unstable input (channels.unstable).
		if m.System == "x86_64-darwin" && (strings.Contains(s.Channels.Unstable, "unstable") || s.Channels.Unstable == "master") {
			c.warn(p+".system", "x86_64-darwin (Intel Mac) on "+echo.Name(s.Channels.Unstable)+": nixpkgs stops supporting it after 26.05",
				"move it to aarch64-darwin (Apple silicon) hardware: the nix-darwin this repository pins needs nixpkgs "+develRelease+" or later, so an older channel is no way out")
		}
		if c.enum(at(p, ".system"), "system", m.System, enumSystem) && classOK {
			if class(m.Class) == classNixOS && !linuxSystem(m.System) {
				c.err(p+".system", "a nixos machine needs a Linux system, found "+m.System, "use x86_64-linux or aarch64-linux, or set \"class\": \"darwin\"")
			}
			if class(m.Class) == classDarwin && !darwinSystem(m.System) {
				c.err(p+".system", "a darwin machine needs a darwin system, found "+m.System, "use aarch64-darwin (Apple silicon) or x86_64-darwin (Intel), or set \"class\": \"nixos\"")
			}
		}
		c.text(at(p, ".description"), m.Description)
		dupT := seen{}
		for j, t := range m.Tags {
			tp := idx(p+".tags", j)
			if !c.name(at(tp, ""), "tag", t, &ruleTag) {
				continue
			}
			if contains(reservedTags, t) {
				c.warn(tp, "tag "+echo.Quote(t)+" is reserved: clan adds it to every matching machine", "remove it; clan tags machines all, nixos and darwin itself")
			}
			c.unique(dupT, at(tp, ""), "tag", t, Warning)
		}
		if m.HostKey != "" {
			if _, e := c.parseKey(m.HostKey); e != nil {
				hint := e.Hint
				if e.WrongType() {
					// A new key made here is not the machine's host key.
					hint = "use the machine's ed25519 host key: on it, cat /etc/ssh/ssh_host_ed25519_key.pub (or here: ssh-keyscan -t ed25519 HOST)"
				}
				c.err(p+".hostKey", e.Msg, hint)
			} else if class(m.Class) == classNixOS {
				c.warn(p+".hostKey", "the hostKey of a nixos machine is not used",
					"remove it: clan's sshd service generates NixOS host keys, and clan creates the machine's age key (sops/machines/"+echo.Name(m.Name)+") at `clan vars generate`")
			}
		}
		if class(m.Class) == classDarwin && m.HostKey == "" && m.TargetHost == "" && c.darwinHasSecretVars(m.Name) {
			c.err(p+".hostKey", "darwin machine "+echo.Quote(m.Name)+" has secret clan vars but no way to decrypt them",
				"add its SSH host key (on the Mac: enable Remote Login, then cat /etc/ssh/ssh_host_ed25519_key.pub) so it decrypts with that key; or set targetHost so `clan machines update` can upload the key clan makes for it")
		}
		if m.TargetHost != "" && c.ident(at(p, ".targetHost"), "target host", m.TargetHost, &ruleTargetHost) && c.targetHost(p+".targetHost", &m, users) {
			c.meshTargetHost(p+".targetHost", m.TargetHost)
			if class(m.Class) == classDarwin {
				c.macTargetUser(p+".targetHost", &m)
				c.macLocalName(p+".targetHost", &m)
			}
		}
		if m.StateVersion != "" && c.ident(at(p, ".stateVersion"), "state version", m.StateVersion, &ruleStateVersion) && classOK {
			dotted := strings.Contains(m.StateVersion, ".")
			if class(m.Class) == classNixOS && !dotted {
				c.err(p+".stateVersion", "a nixos stateVersion looks like \""+stableRelease+"\", found "+echo.Quote(m.StateVersion), "set it to the NixOS release the machine was installed with")
			} else if class(m.Class) == classNixOS && !isRelease(m.StateVersion) {
				c.warn(p+".stateVersion", echo.Quote(m.StateVersion)+" is no NixOS release: they are YY.05 and YY.11 (May and November)", "set it to the NixOS release the machine was installed with")
			}
			if class(m.Class) == classDarwin && dotted {
				c.err(p+".stateVersion", "a nix-darwin stateVersion is a whole number like \"6\", found "+echo.Quote(m.StateVersion), "set it to the nix-darwin state version the Mac was set up with")
			}
		}
		if c.enum(at(p, ".zerotier"), "zerotier role", m.Zerotier, enumZerotier) && zerotierRole(m.Zerotier) == zerotierCtl {
			switch {
			case controller != "":
				c.err(p+".zerotier", "a second zerotier controller (the first is "+controller+")", `a network has one controller; set "zerotier": "peer" here`)
			case class(m.Class) == classDarwin:
				c.err(p+".zerotier", "the zerotier controller must be a nixos machine", `clan's zerotier controller runs on NixOS only; set "zerotier": "peer" here and make a NixOS machine the controller`)
			default:
				controller = p
			}
		}
		if h := m.Hetzner; h != nil {
			hp := p + ".hetzner"
			switch {
			case class(m.Class) == classDarwin:
				c.err(hp, "hetzner servers are nixos machines; this one is darwin", "remove the hetzner block, or make the machine nixos")
			case classOK && m.System != "x86_64-linux" && m.System != "aarch64-linux":
				c.err(hp, "hetzner servers are x86_64-linux or aarch64-linux", "set the system to one of them")
			}
			c.ident(at(hp, ".serverType"), "server type", h.ServerType, &ruleHetzner)
			c.ident(at(hp, ".location"), "location", h.Location, &ruleHetzner)
			c.ident(at(hp, ".image"), "image", h.Image, &ruleHetzner)
			arm := strings.HasPrefix(h.ServerType, "cax")
			if m.System == "aarch64-linux" && !arm && ruleHetzner.ok(h.ServerType) {
				c.warn(hp+".serverType", "server type "+echo.Name(h.ServerType)+" is an x86 machine, but the system is aarch64-linux", "use an Arm server type (cax11, cax21, …) or set the system to x86_64-linux")
			}
			if m.System == "x86_64-linux" && arm {
				c.warn(hp+".serverType", "server type "+echo.Name(h.ServerType)+" is an Arm machine, but the system is x86_64-linux", "set the system to aarch64-linux or use an x86 server type (cx23, cpx21, …)")
			}
		}
		if d := m.Disk; d != nil {
			if class(m.Class) == classDarwin {
				c.err(p+".disk", "disk layouts are for nixos machines; this one is darwin", "remove the disk block")
			}
			c.enum(at(p, ".disk.layout"), "disk layout", d.Layout, enumLayout)
			// A Hetzner Cloud server's disk is /dev/sda, which srvos's
			// Hetzner profile assumes too (nixos/hardware/hetzner-cloud:
			// grub.devices, fileSystems."/"); disko partitions exactly the
			// device named, so the install would find no other one.
			if c.ident(at(p, ".disk.device"), "disk device", d.Device, &ruleDevice) && m.Hetzner != nil && d.Device != defaultDiskDevice && !strings.HasPrefix(d.Device, "/dev/disk/by-") {
				c.warn(p+".disk.device", "a Hetzner Cloud server's disk is /dev/sda: the install would find no "+echo.Quote(d.Device),
					"remove disk.device (it defaults to /dev/sda) or set it to /dev/sda")
			}
		}
		if d := m.Darwin; d != nil {
			dp := p + ".darwin"
			if class(m.Class) != classDarwin {
				if classOK {
					c.err(dp, "darwin settings are for darwin machines; this one is "+m.Class, "remove the darwin block, or set \"class\": \"darwin\"")
				}
				continue
			}
			if c.enum(at(dp, ".networking"), "darwin networking", d.Networking, enumNetworking) && networking(d.Networking) == networkLaunchd && zerotierRole(m.Zerotier) != zerotierNone && hasController {
				// nixpkgs' zerotierone installs with make-linux.mk's install
				// target on macOS too, which leaves out the
				// MacEthernetTapAgent that make-mac.mk builds, and
				// zerotier-one creates no tap without it in its home
				// directory (ZeroTierOne osdep/MacEthernetTap.cpp).
				c.warn(dp+".networking", "nixpkgs' zerotier-one for macOS comes without its MacEthernetTapAgent, so it joins the network but creates no network interface: the Mac gets no ZeroTier address",
					"set it to \"homebrew\": ZeroTier's own macOS package, from its Homebrew cask, includes the agent")
			}
			c.primaryUser(dp+".primaryUser", m.Name, d.PrimaryUser, users, userNames)
		}
	}
}

// darwinHasSecretVars reports whether the Mac named m gets secret clan
// vars: the per-user SSH key of each user with an account on it, and the
// spec's generators with a secret file.
//
// It agrees with machineHasVars (access.go), but collects the machines in
// one pass: asking machineHasVars for each of 1,000 Macs scans every
// account 1,000 times.
func (c *checker) darwinHasSecretVars(m string) bool {
	if c.withVars == nil {
		c.withVars = map[string]bool{}
		for _, u := range c.s.Users {
			for _, name := range u.Machines {
				c.withVars[name] = true
			}
		}
		for _, g := range c.s.Vars {
			if anySecretFile(g.Files) {
				for _, name := range g.Machines {
					c.withVars[name] = true
				}
			}
		}
	}
	return c.withVars[m]
}

func (c *checker) primaryUser(path, machine, name string, users map[string]*User, userNames []string) {
	if name == "" {
		c.err(path, "darwin machine "+echo.Quote(machine)+" has no admin user to be its primary user",
			"add "+echo.Quote(machine)+` to the machines of a user with "admin": true (nix-darwin needs system.primaryUser)`)
		return
	}
	u, ok := users[name]
	if !ok {
		c.unknownRef(path, "user", name, userNames)
		return
	}
	if !u.Admin {
		c.err(path, "primary user "+echo.Quote(name)+" is not an admin", `set "admin": true on that user, or pick an admin user`)
	}
	if !contains(u.Machines, machine) {
		c.err(path, "primary user "+echo.Quote(name)+" has no account on "+echo.Quote(machine), "add "+echo.Quote(machine)+" to that user's machines")
	}
}

func (c *checker) overlays() {
	o := &c.s.Overlays
	hot := seen{}
	for i, h := range o.Hotfixes {
		p := idx("overlays.hotfixes", i)
		if c.name(at(p, ".package"), "package attribute", h.Package, &ruleAttr) && c.notChannel(p+".package", h.Package) {
			c.unique(hot, at(p, ".package"), "hotfix", h.Package, Error)
		}
		dup := seen{}
		for j, pl := range h.Platforms {
			pp := idx(p+".platforms", j)
			if c.enum(at(pp, ""), "platform", pl, enumPlatform) {
				c.unique(dup, at(pp, ""), "platform", pl, Warning)
			}
			if pl == "" {
				c.err(pp, "empty platform", "use linux or darwin")
			}
		}
		c.text(at(p, ".reason"), h.Reason)
		if h.Added != "" {
			c.ident(at(p, ".added"), "date", h.Added, &ruleDate)
		}
	}
	pk := foldSeen{}
	for i, pkg := range o.Packages {
		p := idx("overlays.packages", i)
		if c.name(at(p, ".name"), "package name", pkg.Name, &rulePackage) && c.notChannel(p+".name", pkg.Name) {
			c.uniquePath(pk, at(p, ".name"), "package", pkg.Name)
			// terranix's flake module defines packages.<configuration>,
			// packages.terraform here (emit_terranix.go), and
			// pkgs-by-name-for-flake-parts packages.<name>: a package
			// option takes one definition.
			if pkg.Name == "terraform" && c.hetzner() {
				c.err(p+".name", "packages.terraform is the hetzner machines' Terraform runner", "pick another name")
			}
		}
		c.text(at(p, ".version"), pkg.Version)
		c.text(at(p, ".description"), pkg.Description)
	}
	ov := seen{}
	for i, x := range o.Overrides {
		p := idx("overlays.overrides", i)
		if c.name(at(p, ".package"), "package attribute", x.Package, &ruleAttr) && c.notChannel(p+".package", x.Package) {
			c.unique(ov, at(p, ".package"), "override", x.Package, Error)
		}
		c.text(at(p, ".reason"), x.Reason)
		if x.DoCheck == nil {
			c.warn(p, "this override changes nothing", `set "doCheck": false (or true), or remove it`)
		}
	}
	inputs := seen{}
	for i, f := range o.FlakeOverlays {
		p := idx("overlays.flakeOverlays", i)
		if c.name(at(p, ".input"), "flake input name", f.Input, &ruleAttr) {
			if contains(fixedInputs, f.Input) || f.Input == "self" || f.Input == "nixpkgs-lib" {
				c.err(p+".input", "input name "+echo.Quote(f.Input)+" is already used by the generated flake", "pick another name, like "+echo.Name(f.Input+"-overlay"))
			} else {
				c.unique(inputs, at(p, ".input"), "flake input", f.Input, Error)
			}
		}
		if f.URL == "" {
			c.err(p+".url", "url is missing", `set the flake reference, like "github:owner/repo"`)
		} else if !flakeRef(f.URL) {
			c.err(p+".url", echo.Quote(f.URL)+" is not a flake reference", `write it as scheme:location without spaces, like "github:owner/repo" or "path:./overlay"`)
		}
		c.ident(at(p, ".overlay"), "overlay attribute", f.Overlay, &ruleAttr)
	}
}

// notChannel refuses a package named after the channels overlay layer 1
// adds (emit_overlays.go): every hotfix reads final.stable.<package>, so a
// package called stable or unstable would be infinite recursion or replace
// the channel.
func (c *checker) notChannel(path, name string) bool {
	if name != "stable" && name != "unstable" {
		return true
	}
	c.err(path, "pkgs."+name+" is a channel of overlay layer 1", "pick another name")
	return false
}

// hetzner reports whether a machine has a hetzner block, which brings in
// the terranix configuration (emit_terranix.go, hasHetzner).
func (c *checker) hetzner() bool {
	for _, m := range c.s.Machines {
		if m.Hetzner != nil {
			return true
		}
	}
	return false
}

// flakeRef accepts scheme:rest with no whitespace or control characters;
// Nix itself is the judge of the rest.
func flakeRef(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || colon == len(s)-1 || !letter(s[0]) {
		return false
	}
	for i := 1; i < colon; i++ {
		if !(letter(s[i]) || digit(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-') {
			return false
		}
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '"' || r == '\\' || r == '`' {
			return false
		}
	}
	return utf8.ValidString(s)
}

func (c *checker) vars() {
	s := c.s
	var machineNames []string
	machines := map[string]*Machine{}
	for i := range s.Machines {
		m := &s.Machines[i]
		machines[m.Name] = m
		machineNames = append(machineNames, m.Name)
	}
	gens := foldSeen{}
	for i, g := range s.Vars {
		p := idx("vars", i)
		if c.name(at(p, ".name"), "generator name", g.Name, &ruleFileName) {
			reserved := contains(reservedGenerators, g.Name)
			for _, pre := range reservedGeneratorPrefixes {
				reserved = reserved || strings.HasPrefix(g.Name, pre)
			}
			if reserved {
				c.err(p+".name", "generator name "+echo.Quote(g.Name)+" is used by clan or the generated modules", "pick another name")
			}
			c.uniquePath(gens, at(p, ".name"), "generator", g.Name)
		}
		if len(g.Machines) == 0 {
			// Its module would define it for nobody: clan never runs it.
			c.warn(p+".machines", "generator "+echo.Quote(g.Name)+" is on no machine, so clan never runs it", `list the machines that need its files in "machines"`)
		}
		dupM := seen{}
		// The first Mac listed, and the first with a hostKey, for the
		// neededFor rule below.
		var mac, keyedMac string
		for j, m := range g.Machines {
			mp := idx(p+".machines", j)
			if machines[m] == nil {
				c.unknownRef(mp, "machine", m, machineNames)
				continue
			}
			c.unique(dupM, at(mp, ""), "machine", m, Warning)
			if mm := machines[m]; class(mm.Class) == classDarwin {
				mac = cmp.Or(mac, m)
				if mm.HostKey != "" {
					keyedMac = cmp.Or(keyedMac, m)
				}
			}
		}
		prompts := foldSeen{}
		for j, pr := range g.Prompts {
			pp := idx(p+".prompts", j)
			if c.name(at(pp, ".name"), "prompt name", pr.Name, &ruleFileName) {
				c.uniquePath(prompts, at(pp, ".name"), "prompt", pr.Name)
			}
			c.enum(at(pp, ".type"), "prompt type", pr.Type, enumPrompt)
			c.text(at(pp, ".description"), pr.Description)
		}
		files := foldSeen{}
		for j, f := range g.Files {
			fp := idx(p+".files", j)
			if c.name(at(fp, ".name"), "file name", f.Name, &ruleFileName) {
				c.uniquePath(files, at(fp, ".name"), "file", f.Name)
			}
			c.enum(at(fp, ".neededFor"), "neededFor", f.NeededFor, enumNeededFor)
			if f.Secret == nil || *f.Secret {
				c.macNeededFor(fp+".neededFor", f.NeededFor, mac, keyedMac)
			}
		}
		dupIn := seen{}
		for j, pkg := range g.RuntimeInputs {
			ip := idx(p+".runtimeInputs", j)
			if c.name(at(ip, ""), "package", pkg, &ruleAttr) {
				c.unique(dupIn, at(ip, ""), "package", pkg, Warning)
			}
		}
		if len(g.Files) == 0 {
			c.err(p+".files", "a generator needs at least one file", `declare what the script writes: "files": [{"name": "token"}]`)
		}
		c.text(at(p, ".script"), g.Script)
		if len(g.Files) > 0 && strings.TrimSpace(g.Script) == "" {
			c.err(p+".script", "script is missing", `write each file to $out/<file>, e.g. "script": "cp \"$prompts/token\" \"$out/token\""`)
		}
	}
}

// macNeededFor rejects secret files a Mac would never receive. sops-nix
// deploys only "users" and "services" files (clan-core vars/secret/sops/
// generators-to-sops.nix); the others get a path that clan-cli fills over
// SSH (clan_lib/vars/secret_modules/sops.py): partitioning files only in
// `clan machines install`, which never runs for a Mac, and activation files
// only for a machine with a clan age key (populate_dir returns early
// without <machine>-age.key), which a Mac decrypting with its hostKey has
// not. Either way the file's path would name nothing, silently.
func (c *checker) macNeededFor(path, neededFor, mac, keyedMac string) {
	switch {
	case neededFor == "partitioning" && mac != "":
		c.err(path, "the Mac "+echo.Quote(mac)+" would never get this file: only `clan machines install` writes partitioning secrets, and it installs NixOS machines only",
			`use "services" (the default), or leave the Mac out of this generator's machines`)
	case neededFor == "activation" && keyedMac != "":
		c.err(path, "the Mac "+echo.Quote(keyedMac)+" would never get this file: clan uploads activation secrets only with the machine's clan age key, and a Mac with a hostKey has none",
			`use "services" (the default) or "users", which sops-nix decrypts on the Mac`)
	}
}

// recipients: a fleet needs a clan admin, someone who holds an age key in
// sops/users: clan refuses to encrypt anything without one ("No admin keys
// found", clan_cli/secrets/secrets.py encrypt_secret), so `clan vars
// generate` would fail, and root's authorized keys (modules/system/ssh.nix)
// would be empty. Home-manager secrets are also encrypted to the spec's
// admins.
func (c *checker) recipients() {
	s := c.s
	clanAdmin := false
	for _, a := range s.Admins {
		if c.hasAge(a.SSHKeys, a.AgeKeys) {
			return
		}
	}
	for _, u := range s.Users {
		if u.Admin && c.hasAge(u.SSHKeys, u.AgeKeys) {
			clanAdmin = true
		}
	}
	if !clanAdmin {
		c.err("admins", "the fleet has no admin with a usable key: nobody could deploy it, log in as root, or run `clan vars generate`",
			`add "admins": [{"name": "admin", "sshKeys": ["ssh-ed25519 AAAA… you@host"]}], or set "admin": true on a user with an ed25519 key`)
		return
	}
	path := ""
	for i, u := range s.Users {
		if len(u.Secrets) > 0 {
			path = idx("users", i) + ".secrets"
			break
		}
	}
	if path == "" && len(s.Vars) > 0 {
		path = "vars"
	}
	if path == "" {
		return
	}
	msg := "secrets need an admin recipient, but no admin has a usable key"
	if len(s.Admins) == 0 {
		msg = "secrets need an admin recipient, but there are no admins"
	}
	c.err(path, msg, `add "admins": [{"name": "admin", "sshKeys": ["ssh-ed25519 AAAA… you@host"]}] (an ed25519 key or an age1… recipient)`)
}

// Name rules for fields whose values become identifiers, paths, hostnames or
// command arguments in the generated repository. They are checked by hand
// rather than with package regexp, which would add to the browser build;
// Pattern is the equivalent regular expression, used by the JSON Schema and
// the reference docs, and a test proves the two agree.
type nameRule struct {
	// Pattern is the regular expression (RE2 and ECMA-262 syntax alike).
	Pattern string
	// Max is the maximum length in bytes (0: no limit).
	Max int
	// What describes the allowed form for hints.
	What string
	// Why says what the value becomes, so the rule does not look arbitrary.
	Why   string
	first charClass // the first byte
	rest  charClass // every other byte
	// extra, when set, is checked after the character classes.
	extra func(string) bool
}

func (r *nameRule) ok(s string) bool {
	if s == "" || (r.Max > 0 && len(s) > r.Max) {
		return false
	}
	if !r.first.has(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !r.rest.has(s[i]) {
			return false
		}
	}
	return r.extra == nil || r.extra(s)
}

func lower(c byte) bool  { return c >= 'a' && c <= 'z' }
func upper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func digit(c byte) bool  { return c >= '0' && c <= '9' }
func letter(c byte) bool { return lower(c) || upper(c) }

// charClass is a set of bytes: the ASCII letters and digits its flags name,
// plus the bytes in also. The rules below are package-level tables; as
// plain structs they are static data, where closures built by helper
// calls were init code in the wasm module.
type charClass struct {
	lower, upper, digit bool
	also                string
}

// has reports whether c is in the class.
func (k charClass) has(c byte) bool {
	switch {
	case lower(c):
		return k.lower
	case upper(c):
		return k.upper
	case digit(c):
		return k.digit
	}
	for i := 0; i < len(k.also); i++ {
		if k.also[i] == c {
			return true
		}
	}
	return false
}

var (
	ruleHostname = nameRule{
		Pattern: `^[a-z][a-z0-9-]*$`, Max: 63,
		What:  "lower-case letters, digits and '-', starting with a letter, at most 63 characters",
		Why:   "it becomes a hostname, a clan machine name and a directory name",
		first: charClass{lower: true}, rest: charClass{lower: true, digit: true, also: "-"},
	}
	ruleClanName = nameRule{
		Pattern: `^[a-z][a-z0-9-]*$`, Max: 63,
		What:  "lower-case letters, digits and '-', starting with a letter, at most 63 characters",
		Why:   "it becomes clan.meta.name",
		first: charClass{lower: true}, rest: charClass{lower: true, digit: true, also: "-"},
	}
	ruleUser = nameRule{
		Pattern: `^[a-z][a-z0-9_-]*$`, Max: 32,
		What:  "lower-case letters, digits, '_' and '-', starting with a letter, at most 32 characters",
		Why:   "it becomes a login name, the directory sops/users/<name> and module files named after it",
		first: charClass{lower: true}, rest: charClass{lower: true, digit: true, also: "_-"},
	}
	ruleAttr = nameRule{
		Pattern: `^[A-Za-z_][A-Za-z0-9_'-]*$`, Max: 100,
		What:  "letters, digits, '_', '-' and ''', starting with a letter or '_'",
		Why:   "it becomes a Nix attribute name",
		first: charClass{lower: true, upper: true, also: "_"}, rest: charClass{lower: true, upper: true, digit: true, also: "_'-"},
	}
	rulePackage = nameRule{
		Pattern: `^[A-Za-z][A-Za-z0-9_-]*$`, Max: 100,
		What:  "letters, digits, '_' and '-', starting with a letter",
		Why:   "it becomes the directory pkgs/by-name/<name>/ and a Nix attribute name",
		first: charClass{lower: true, upper: true}, rest: charClass{lower: true, upper: true, digit: true, also: "_-"},
	}
	ruleTag = nameRule{
		Pattern: `^[A-Za-z_][A-Za-z0-9_-]*$`, Max: 63,
		What:  "letters, digits, '_' and '-', starting with a letter or '_'",
		Why:   "it becomes a clan inventory tag",
		first: charClass{lower: true, upper: true, also: "_"}, rest: charClass{lower: true, upper: true, digit: true, also: "_-"},
	}
	ruleAggregate = nameRule{
		Pattern: `^[a-z][a-z0-9-]*$`, Max: 63,
		What:  "lower-case letters, digits and '-', starting with a letter",
		Why:   "it becomes flake.modules.homeManager.<name> and a directory name",
		first: charClass{lower: true}, rest: charClass{lower: true, digit: true, also: "-"},
	}
	ruleFileName = nameRule{
		Pattern: `^([A-Za-z0-9-][A-Za-z0-9._-]*|\.[A-Za-z0-9_-][A-Za-z0-9._-]*|\.\.[A-Za-z0-9._-]+)$`, Max: 128,
		What:  "letters, digits, '.', '_' and '-', not starting with '_' (and not . or ..)",
		Why:   "it becomes a file or directory name",
		first: charClass{lower: true, upper: true, digit: true, also: ".-"}, rest: charClass{lower: true, upper: true, digit: true, also: "._-"},
		extra: func(s string) bool { return s != "." && s != ".." },
	}
	ruleBranch = nameRule{
		Pattern: `^[A-Za-z0-9][A-Za-z0-9._-]*$`, Max: 100,
		What:  "letters, digits, '.', '_' and '-', starting with a letter or digit",
		Why:   "it becomes part of the flake URL github:NixOS/nixpkgs/<branch>",
		first: charClass{lower: true, upper: true, digit: true}, rest: charClass{lower: true, upper: true, digit: true, also: "._-"},
	}
	// clan-core lib/types (domainName) is this pattern: a label longer
	// than 63 characters fails the flake's first evaluation.
	ruleDomain = nameRule{
		Pattern: `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`, Max: 253,
		What:  "DNS labels of at most 63 lower-case letters, digits and '-', separated by '.'",
		Why:   "it becomes clan.meta.domain, the suffix of every machine's hostname",
		first: charClass{lower: true, digit: true}, rest: charClass{lower: true, digit: true, also: ".-"},
		extra: func(s string) bool {
			label := 0
			for i := 0; i < len(s); i++ {
				if label++; s[i] == '.' {
					label = 0
				}
				if label > 63 {
					return false
				}
				if s[i] == '.' || s[i] == '-' {
					if i+1 == len(s) || s[i+1] == '.' || (s[i] == '.' && s[i+1] == '-') {
						return false
					}
				}
			}
			return true
		},
	}
	ruleHetzner = nameRule{
		Pattern: `^[a-z0-9][a-z0-9._-]*$`, Max: 64,
		What:  "lower-case letters, digits, '.', '_' and '-'",
		Why:   "it is passed to the Hetzner Cloud API",
		first: charClass{lower: true, digit: true}, rest: charClass{lower: true, digit: true, also: "._-"},
	}
	ruleDevice = nameRule{
		Pattern: `^/dev/[A-Za-z0-9._:+/-]+$`, Max: 255,
		What:  "a path under /dev/ of letters, digits and . _ : + / -",
		Why:   "disko writes a partition table to it",
		first: charClass{also: "/"}, rest: charClass{lower: true, upper: true, digit: true, also: "._:+/-"},
		extra: func(s string) bool {
			return len(s) > 5 && s[:5] == "/dev/" && !containsStr(s, "/../") && !containsStr(s, "//") && s[len(s)-3:] != "/.."
		},
	}
	ruleTargetHost = nameRule{
		Pattern: `^[A-Za-z0-9_\[][A-Za-z0-9_.@:%\[\]-]*$`, Max: 255,
		What:  "[user@]host[:port]: letters, digits and . _ - @ : % [ ], no spaces or shell characters",
		Why:   "it is passed to ssh by clan and the deploy scripts",
		first: charClass{lower: true, upper: true, digit: true, also: "_["}, rest: charClass{lower: true, upper: true, digit: true, also: "_.@:%[]-"},
	}
	ruleStateVersion = nameRule{
		Pattern: `^(` + stateVersionNixOS + `|` + stateVersionDarwin + `)$`, Max: 8,
		What:  `"YY.MM" for NixOS (like "` + stableRelease + `"), a whole number from 1 to ` + maxDarwinStateVersion + ` for nix-darwin (like "` + defaultDarwinStateVersion + `")`,
		Why:   "it becomes system.stateVersion",
		first: charClass{digit: true}, rest: charClass{digit: true, also: "."},
		extra: func(s string) bool {
			dots := 0
			for i := 0; i < len(s); i++ {
				if s[i] == '.' {
					dots++
				}
			}
			return dots == 0 && darwinStateVersionOK(s) || (dots == 1 && len(s) == 5 && s[2] == '.')
		},
	}
	ruleDate = nameRule{
		Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Max: 10,
		What:  "a date YYYY-MM-DD",
		Why:   "it is written next to the hotfix so stale ones are easy to spot",
		first: charClass{digit: true}, rest: charClass{digit: true, also: "-"},
		extra: validDate,
	}
)

func containsStr(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// validDate checks YYYY-MM-DD including the days of each month.
func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(t string) int {
		n := 0
		for i := 0; i < len(t); i++ {
			if !digit(t[i]) {
				return -1
			}
			n = n*10 + int(t[i]-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// anySecretFile reports whether a (normalized) generator has a secret file.
func anySecretFile(files []VarFile) bool {
	for _, f := range files {
		if on(f.Secret) {
			return true
		}
	}
	return false
}
