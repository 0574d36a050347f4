package gen

import (
	"errors"
	"slices"
	"strings"

	"github.com/fleetyard/fleetyard/gen/jsonw"
	"github.com/fleetyard/fleetyard/gen/nix"
	"github.com/fleetyard/fleetyard/gen/sops"
	"github.com/fleetyard/fleetyard/gen/yaml"
)

// secretPlaceholder is the value of every declared secret in a generated
// stub, until the user runs `sops <file>` and replaces it.
const secretPlaceholder = "REPLACE_ME"

// emitSecrets writes pattern 1, the two-tier secrets setup:
//
//   - tier 1 (clan vars): the clan keyring (sops/users, sops/machines), the
//     extra vars generators from the spec, and vars/.keep;
//   - tier 2 (sops-nix): .sops.yaml, one encrypted stub per user with
//     secrets, and the home-manager base-sops module.
//
// Rules, stub recipients and the README all come from [Access], so they
// cannot disagree.
//
// The stubs are encrypted with randomness derived from Options.Entropy, one
// independent stream per file, bound to its path, its recipient set and
// Options.Time (sops.StubKeyStream). Entropy must be secret: the sops data
// key of a stub comes from it, and `sops edit` keeps that data key when the
// user later replaces the placeholders with real secrets, so anyone who
// knows Entropy could read them.
// secretsPattern is pattern 1, two-tier secrets: clan vars for machines,
// sops-nix for users' home-manager secrets, keys derived from SSH keys.
var secretsPattern = pattern{
	name: "two-tier-secrets", page: true,
	inputs: func(s *fleet) []string {
		if hasSecrets(s) {
			return []string{inSopsNix}
		}
		return nil
	},
	machine: func(s *fleet, m *machine, mm *machineModule) {
		switch {
		case m.Class != classDarwin || m.HostKey == "":
		case macAgeHostKey(s, m):
			mm.bindAt(bindHostKey, machineDarwinAgeKeyFile)
			mm.bindAt(bindHostKey, machineDarwinNoSSHKeys)
		default:
			mm.bindAt(bindHostKey, machineDarwinHostKey)
		}
	},
	bootstrap: secretsBootstrap,
	emit:      emitSecrets,
}

func emitSecrets(b *build) {
	s := b.spec
	kr, err := s.keys, s.keysErr
	if err != nil {
		b.fail(errors.New("secrets: " + err.Error()))
		return
	}
	files := s.secretFiles()

	// A user with secrets always has an age key here: validate.go refuses
	// the spec otherwise ("has secrets but no age key"), on the field.

	if sopsFiles := sopsNixFiles(files); len(sopsFiles) > 0 {
		data, err := b.sopsConfigMemo(kr, sopsFiles)
		if err != nil {
			b.fail(errors.New("secrets: .sops.yaml: " + err.Error()))
			return
		}
		b.addKept(".sops.yaml", data)
	}

	for _, h := range clanUsers(s, kr) {
		b.addKept("sops/users/"+h.Name+"/key.json", clanKeyJSON(h.Recipients))
	}
	// Only Macs with a host key (keyring.go): clan makes NixOS machines'
	// keys itself.
	for _, h := range kr.Machines {
		b.addKept("sops/machines/"+h.Name+"/key.json", clanKeyJSON(h.Recipients))
	}

	w := b.stubs
	if w == nil {
		w = startStubs(b, false)
	}
	<-w.done
	stubs, data, errs := w.files, w.data, w.errs
	for i, f := range stubs {
		if errs[i] != nil {
			b.fail(errs[i])
			return
		}
		b.add(f.Path, data[i])
	}
	if len(stubs) == 0 {
		b.add("secrets/.keep", nil)
	}

	// Only with secrets: the module refers to the sops-nix input, which
	// flake.nix declares only then (inputNeeded).
	if hasSecrets(s) {
		b.add("modules/home/base-sops.nix", fixedBaseSops)
	}
	for _, g := range s.Vars {
		b.addNix("modules/clan/vars/"+g.Name+".nix", varsGeneratorModule(g))
	}
	b.add("vars/.keep", nil)
}

// secretNames returns the declared secret names of the user reading the
// file, without repeats, in spec order.
func secretNames(s *fleet, rs []Reader) []string {
	for _, r := range rs {
		if r.Kind != "user" {
			continue
		}
		for _, u := range s.Users {
			if u.Name == r.Name {
				return uniq(u.Secrets)
			}
		}
	}
	return nil
}

// encryptStub writes a sops file holding one placeholder per secret name,
// encrypted for exactly the file's readers.
func encryptStub(opt Options, f SecretFile, names []string) ([]byte, error) {
	if len(opt.Entropy) == 0 {
		return nil, errors.New(f.Path + ": cannot encrypt without randomness: set Options.Entropy to 32 secret random bytes (the CLI and playground draw them from a CSPRNG; tests pin them)")
	}
	if opt.Time.IsZero() {
		return nil, errors.New(f.Path + ": Options.Time is unset; sops records it as lastmodified, so pass the current time")
	}
	doc := &yaml.Map{}
	for _, n := range names {
		doc.Add(n, yaml.Str(secretPlaceholder))
	}
	rand := sops.StubKeyStream(opt.Entropy, f.Path, f.Recipients(), opt.Time)
	data, err := sops.EncryptYAML(doc, f.Recipients(), rand, opt.Time)
	if err != nil {
		return nil, errors.New(f.Path + ": " + err.Error())
	}
	return data, nil
}

// sopsConfig prints .sops.yaml: a keys: list defining one anchor per key,
// then one creation rule per secret location with a single key group of
// aliases (any one key decrypts).
func sopsConfig(kr keyring, files []SecretFile) ([]byte, error) {
	keys := &yaml.Seq{}
	for _, hs := range [][]keyHolder{kr.Admins, kr.Users, kr.Machines} {
		for _, h := range hs {
			for i, r := range h.Recipients {
				keys.Items = append(keys.Items, yaml.Scalar{Anchor: h.Anchors[i], Value: r})
			}
		}
	}
	rules := &yaml.Seq{}
	for _, f := range files {
		ages := &yaml.Seq{}
		seen := map[string]bool{}
		for _, r := range f.Readers {
			if !seen[r.Recipient] {
				seen[r.Recipient] = true
				ages.Items = append(ages.Items, yaml.Alias(r.Anchor))
			}
		}
		if len(ages.Items) == 0 {
			return nil, errors.New("rule " + f.Rule + " has no keys")
		}
		group := (&yaml.Map{}).Add("age", ages)
		rule := &yaml.Map{}
		rule.Add("path_regex", yaml.Scalar{Value: f.Rule, Style: yaml.Single})
		rule.Add("key_groups", &yaml.Seq{Items: []yaml.Node{group}})
		rules.Items = append(rules.Items, rule)
	}
	doc := &yaml.Map{}
	doc.Entries = append(doc.Entries,
		yaml.Entry{Comment: []string{"Age keys: admins, then users (<name>-user), then machines (from their SSH host keys)."}, Key: "keys", Value: keys},
		yaml.Entry{Comment: []string{"First match wins: specific paths before general ones. One key group per rule: any listed key decrypts."}, Key: "creation_rules", Value: rules},
	)
	return yaml.Print(yaml.Document{
		Header: []string{
			"Generated by Fleetyard from fleet.json. sops reads this when creating files",
			"and in `sops updatekeys`; edit fleet.json and regenerate rather than editing here.",
		},
		Body: doc,
	}, 2)
}

// clanKeyJSON is clan's key.json: a list of {"publickey", "type": "age"}.
func clanKeyJSON(recipients []string) []byte {
	// Generic values, which jsonw writes without reflection; its keys
	// sort in the order the file has always had.
	es := make([]any, len(recipients))
	for i, r := range recipients {
		es[i] = map[string]any{"publickey": r, "type": "age"}
	}
	return append(jsonw.MarshalIndent(es), '\n')
}

// varsGeneratorModule sets clan.core.vars.generators.<g> on each listed
// machine. The generator is defined once in a let and shared.
func varsGeneratorModule(g *varGen) nix.File {
	var gen []nix.Binding
	if g.Share {
		gen = append(gen, nix.Bind(nix.Bool(true), "share"))
	}
	for _, p := range g.Prompts {
		attrs := []nix.Binding{nix.Bind(nix.Str(p.Type), "type")}
		if p.Description != "" {
			attrs = append([]nix.Binding{nix.Bind(nix.Str(p.Description), "description")}, attrs...)
		}
		gen = append(gen, nix.Bind(nix.Set(attrs...), "prompts", p.Name))
	}
	for _, f := range g.Files {
		secret := varFileSecret(f)
		attrs := []nix.Binding{nix.Bind(nix.Bool(secret), "secret")}
		if secret && f.NeededFor != "" {
			attrs = append(attrs, nix.Bind(nix.Str(f.NeededFor), "neededFor"))
		}
		gen = append(gen, nix.Bind(nix.Set(attrs...), "files", f.Name))
	}
	// A generator with runtimeInputs needs the machine's pkgs: it is a
	// NixOS module then (clan.machines.<m> is a deferredModule in
	// clan-core's top-level-interface.nix), imported by each machine.
	asModule := len(g.RuntimeInputs) > 0
	if asModule {
		var pkgs nix.List
		for _, p := range g.RuntimeInputs {
			pkgs = append(pkgs, nix.Select{X: nix.Ident("pkgs"), Attrs: []string{p}})
		}
		gen = append(gen, nix.Bind(pkgs, "runtimeInputs"))
	}
	if g.Script != "" {
		gen = append(gen, nix.Bind(nix.Str(g.Script), "script"))
	}
	body := nix.Expr(nix.Set(gen...))
	if asModule {
		body = nix.Lambda{Formals: []nix.Formal{{Name: "pkgs"}}, Ellipsis: true,
			Body: nix.Set(nix.Bind(nix.Set(gen...), "clan", "core", "vars", "generators", g.Name))}
	}
	var binds []nix.Binding
	for _, m := range g.Machines {
		if asModule {
			binds = append(binds, nix.Bind(nix.List{nix.Ident("generator")}, "clan", "machines", m, "imports"))
			continue
		}
		binds = append(binds, nix.Bind(nix.Ident("generator"), "clan", "machines", m, "clan", "core", "vars", "generators", g.Name))
	}
	header := []string{
		"clan vars generator from fleet.json. `clan vars generate` runs it and stores",
		"the results under vars/ (secret files sops-encrypted by clan).",
	}
	if len(g.Machines) == 0 {
		header = append(header, "No machine lists it yet: add machine names to its \"machines\" in fleet.json.")
	}
	return nix.File{
		Header: header,
		Body: nix.Let{
			Binds: []nix.Binding{nix.Bind(body, "generator")},
			Body:  nix.Set(binds...),
		},
	}
}

// varFileSecret reports whether a generator file is a secret (the default).
func varFileSecret(f varFile) bool { return f.Secret }

// generatorHasSecret reports whether any of g's files is a secret.
func generatorHasSecret(g *varGen) bool {
	for _, f := range g.Files {
		if varFileSecret(f) {
			return true
		}
	}
	return false
}

// secretsBootstrap: everyone's age key, the admins group, clan vars.
func secretsBootstrap(s *fleet) []readmeStep {
	admins := clanUsers(s, s.keys)
	steps := []readmeStep{
		{rank: stepAgeKey, title: "Create your age key from your SSH key", body: func(w *mdWriter) {
			w.WriteString("Secrets are encrypted to age keys derived from each person's ed25519 SSH key, so\n" +
				"the same key works for clan (`sops/users/*/key.json`) and for `.sops.yaml`. Every\n")
			// Home secrets only: sops-nix in home-manager reads this file
			// on the user's Macs and standalone homes (base-sops.nix).
			if hasSecrets(s) {
				w.WriteString("admin does this on the machine they run clan from; every user with secrets also\n" +
					"does it on each Mac they use and wherever they run their standalone home\n" +
					"configuration (home-manager's sops-nix reads this file there).\n")
			} else {
				w.WriteString("admin does this on the machine they run clan from.\n")
			}
			w.WriteString("\n" +
				"The key is appended: `keys.txt` may hold other age keys, and sops, clan and sops-nix\n" +
				"read every line of it. If your SSH key has a passphrase, ssh-to-age takes it from\n" +
				"`SSH_TO_AGE_PASSPHRASE` (`read -rs SSH_TO_AGE_PASSPHRASE; export SSH_TO_AGE_PASSPHRASE`\n" +
				"first, `unset SSH_TO_AGE_PASSPHRASE` after).\n" +
				"\n")
			// umask: the file holds a private key from its first byte on;
			// >>: a truncating > would destroy the age keys already there
			// (age identity files hold one per line, age/parse.go; clan reads
			// them all, clan_cli/secrets/sops.py get_public_age_keys).
			w.code(
				"mkdir -p ~/.config/sops/age",
				"(umask 077 && ssh-to-age -private-key -i ~/.ssh/id_ed25519 >> ~/.config/sops/age/keys.txt)",
				"chmod 600 ~/.config/sops/age/keys.txt",
				// Not sops/users/<you>/key.json: clan's keyring has the admins only.
				"# must print the age1… key listed for you in the table of sops-nix keys above:",
				"ssh-to-age < ~/.ssh/id_ed25519.pub",
			)
			// An ageKeys entry is a recipient as it is (buildKeyring): its
			// identity comes from wherever its owner made it, and only they
			// can put it in the file.
			if names := ageKeyHolders(s); len(names) > 0 {
				w.WriteString("Whoever has `ageKeys` in `fleet.json` decrypts with those age keys too, or only with them\n")
				w.line("(", readmeCodeList(names), "): append each one's identity (the `AGE-SECRET-KEY-1…` line")
				w.WriteString("`age-keygen` wrote) to the same file, and check that it gives the recipient listed:\n" +
					"\n")
				w.code("(umask 077 && cat <identity file> >> ~/.config/sops/age/keys.txt)",
					"age-keygen -y <identity file>   # must print an age1… key listed for you above")
			}
		}},
		{rank: stepAdminGroup, title: "Put the admins in the clan admins group", body: func(w *mdWriter) {
			w.line("Machines encrypt their vars for the `" + adminGroup + "` group too (`clan.core.sops.defaultGroups`),")
			// clan commits what it writes (clan_lib/git commit_files, from
			// clan_cli/secrets/groups.py add_user): no git step here.
			w.WriteString("so every admin can read and regenerate them. Once, by any admin (clan commits `sops/groups/`):\n" +
				"\n")
			var add []string
			for _, h := range admins {
				add = append(add, "clan secrets groups add-user "+adminGroup+" "+shellWord(h.Name))
			}
			w.code(add...)
		}},
		{rank: stepVars, title: "Generate the machines' secrets (clan vars)", body: func(w *mdWriter) {
			// clan commits each generator's files and the machine keys
			// itself (clan_lib/vars/generator.py, clan_cli/secrets/machines.py
			// add_machine): a `git commit` after it finds nothing and fails.
			w.WriteString("Creates, encrypted under `vars/` and `sops/` (clan commits them itself as it\n" +
				"writes them):\n" +
				"\n")
			for _, what := range varsGenerated(s) {
				w.line("- ", what)
			}
			w.line()
			w.code("clan vars generate")
		}},
	}
	if st, ok := homeSecretsStep(s); ok {
		steps = append(steps, st)
	}
	return steps
}

// homeSecretsStep has the users' home secrets filled in: their files are
// encrypted with secretPlaceholder for every value (encryptStub), which
// home-manager's sops-nix would otherwise deploy as it is. ok is false
// when no user has secrets.
func homeSecretsStep(s *fleet) (st readmeStep, ok bool) {
	var cmds, standaloneOnly, nowhere []string
	for _, u := range s.Users {
		if names := uniq(u.Secrets); len(names) > 0 {
			cmds = append(cmds, "sops "+shellWord(userSecretsFile(u.Name))+"   # "+strings.Join(names, ", "))
			// The homes of NixOS machines import no home secrets
			// (emit_home.go): a user on no Mac has them only in a
			// standalone home, if any.
			switch {
			case userOnClass(s, u, classDarwin):
			case u.Standalone:
				standaloneOnly = append(standaloneOnly, u.Name)
			default:
				nowhere = append(nowhere, u.Name)
			}
		}
	}
	if len(cmds) == 0 {
		return readmeStep{}, false
	}
	return readmeStep{rank: stepHomeSecrets, title: "Put the real values in the users' home secrets", body: func(w *mdWriter) {
		w.WriteString("Each user's home secrets file holds `" + secretPlaceholder + "` for every secret. Before the user's\n" +
			"first switch, put the real values in: `sops` opens the file decrypted in `$EDITOR` and\n" +
			"encrypts it again on save. Any of the file's readers can (\"Who can decrypt what\"\n" +
			"above): an `admins` key of `fleet.json` (a user with `\"admin\": true` reads only their\n" +
			"own), or the user with the age key made from their SSH key. After the user's next\n" +
			"switch each secret is a file in `~/.config/sops-nix/secrets/` (sops-nix), named after it,\n" +
			"for the user's own modules to read (`config.sops.secrets.<name>.path`).\n" +
			"\n")
		if len(standaloneOnly)+len(nowhere) > 0 {
			w.WriteString("The homes on NixOS machines do not import these secrets: there they would need the user's\n" +
				"age key on the server. So:\n" +
				"\n")
			if n := len(standaloneOnly); n > 0 {
				verb, end := "has", "."
				if n > 1 {
					verb = "have"
				}
				if len(nowhere) > 0 {
					end = ";"
				}
				w.line("- ", readmeCodeList(standaloneOnly), " (on no Mac) ", verb, " them only in standalone home configurations")
				w.line("  (\"Home configurations without a system rebuild\" below)", end)
			}
			if len(nowhere) > 0 {
				w.line("- nothing reads those of ", readmeCodeList(nowhere), " (on no Mac, and `\"standalone\": false`).")
			}
			w.line()
		}
		w.code(append(cmds, "git add secrets && git commit -m 'home secrets'")...)
	}}, true
}

// varsGenerated says what the first `clan vars generate` makes for this
// fleet: the generators of the clan services it has (emit_clan.go,
// emit_zerotier.go) and its own (fleet.json "vars").
func varsGenerated(s *fleet) []string {
	var what []string
	if hasClass(s, classNixOS) {
		// clan makes a machine's age key with its first secret var; the
		// sshd and emergency-access services give every NixOS machine one.
		what = append(what, "each NixOS machine's age key, SSH host key and emergency-shell password")
		// The sshd server role signs each host key with a shared CA by
		// default (clanServices/sshd: certificate.enable, openssh-ca).
		what = append(what, "the SSH certificate authority and each NixOS machine's host certificate")
	}
	if controller(s) != nil {
		what = append(what, "the zerotier network and identities")
	}
	for _, u := range s.Users {
		if userOnClass(s, u, classNixOS) {
			what = append(what, "the users' passwords")
			break
		}
	}
	// Macs: each user's own SSH key (darwinUserBinds), and the age key
	// clan makes for a Mac that decrypts with no hostKey
	// (clan_lib/vars/secret_modules/sops.py).
	userKeys, ageKeys := false, false
	for _, m := range machinesOf(s, classDarwin) {
		userKeys = userKeys || len(m.users) > 0
		ageKeys = ageKeys || m.HostKey == "" && machineHasVars(s, m)
	}
	if ageKeys {
		what = append(what, "the age key of each Mac without a `hostKey` (\"Activate the Macs\" uploads it)")
	}
	if userKeys {
		what = append(what, "an SSH key for each user on each of their Macs, linked into their `~/.ssh` (the public\n"+
			"  half: `clan vars get <mac> ssh-key-<user>/id_ed25519.pub`)")
	}
	if len(s.Vars) > 0 {
		what = append(what, "the fleet's own generators (`vars` in `fleet.json`)")
	}
	if len(what) == 0 {
		// Macs only, without vars of their own: whatever their modules declare.
		what = append(what, "the secrets the machines' modules declare")
	}
	return what
}

// stubWork is the encryption of the fleet's sops stubs: two X25519
// operations per reader, most of the cost of a large fleet. Stubs are
// independent, so they are spread over the CPUs; each stub's randomness
// depends only on its own inputs, so the bytes are the same whatever the
// scheduling.
type stubWork struct {
	files []SecretFile
	data  [][]byte
	errs  []error
	done  chan struct{}
}

// startStubs encrypts the stubs, in the background when async is set (so
// that on a machine with several CPUs the work overlaps the other
// patterns), and returns at once; done is closed when the work is over.
func startStubs(b *build, async bool) *stubWork {
	s := b.spec
	w := &stubWork{done: make(chan struct{})}
	if s.keysErr != nil {
		close(w.done)
		return w
	}
	for _, f := range s.secretFiles() {
		if f.Stub {
			w.files = append(w.files, f)
		}
	}
	w.data = make([][]byte, len(w.files))
	w.errs = make([]error, len(w.files))
	work := func() {
		defer close(w.done)
		parallel(len(w.files), func(i int) {
			f, names := w.files[i], secretNames(s, w.files[i].Readers)
			key := cacheKey(append([]string{"stub", string(b.opt.Entropy), sops.Timestamp(b.opt.Time), f.Path, strings.Join(f.Recipients(), "\n")}, names...)...)
			w.data[i], w.errs[i] = b.cache.memo(key, func() ([]byte, error) { return encryptStub(b.opt, f, names) })
		})
	}
	if async {
		go work()
	} else {
		work()
	}
	return w
}

// macAgeKeyFile is where a Mac whose hostKey is an age recipient keeps that
// key's identity: the path clan uploads a machine's own age key to
// (clan.core.vars.sops.secretUploadDirectory, /var/lib/sops-nix).
const (
	macAgeKeyDir  = "/var/lib/sops-nix"
	macAgeKeyFile = macAgeKeyDir + "/key.txt"
)

// macAgeHostKey reports whether Mac m's hostKey is an age1… recipient
// rather than its SSH host key.
func macAgeHostKey(s *fleet, m *machine) bool {
	k, err := s.cache.parseKey(m.HostKey)
	return err == nil && k.Type == "age"
}

// ageKeyHolders are the admins and users with ageKeys, admins first, each
// name once.
func ageKeyHolders(s *fleet) []string {
	var names []string
	for _, a := range s.Admins {
		if len(a.AgeKeys) > 0 && !slices.Contains(names, a.Name) {
			names = append(names, a.Name)
		}
	}
	for _, u := range s.Users {
		if len(u.AgeKeys) > 0 && !slices.Contains(names, u.Name) {
			names = append(names, u.Name)
		}
	}
	return names
}

// givenRecipients reports whether s gives an age recipient as it is
// (ageKeys, a Mac's age1… hostKey) rather than an SSH key to derive one
// from.
func givenRecipients(s *fleet) bool {
	if len(ageKeyHolders(s)) > 0 {
		return true
	}
	for _, m := range machinesOf(s, classDarwin) {
		if m.HostKey != "" && macAgeHostKey(s, m) {
			return true
		}
	}
	return false
}
