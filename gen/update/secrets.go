package update

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// A regeneration can leave access behind in files it never writes: sops
// files under secrets/ keep the recipients they were encrypted for, and
// clan keeps its state encrypted to the keys in its keyring. This file
// turns those into actions that need the user, with the exact commands.

// SopsFile is what the caller found in one *.yaml file under secrets/.
type SopsFile struct {
	// Encrypted says the file has sops metadata (a top-level sops: key).
	Encrypted bool
	// Recipients are the age recipients in its metadata, in file order.
	Recipients []string
	// Keys are its top-level names other than sops, in file order: sops
	// encrypts the values only, and these are the secret names sops-nix
	// looks up.
	Keys []string
}

// rule is one compiled .sops.yaml creation rule.
type rule struct {
	re   *regexp.Regexp
	file gen.SecretFile
}

// compileRules keeps the sops-nix files, in .sops.yaml order. The rules
// are generated (anchored, quoted names), so they always compile; one
// that does not is skipped rather than trusted.
func compileRules(files []gen.SecretFile) []rule {
	var out []rule
	for _, f := range files {
		if f.Tier != gen.TierSopsNix || f.Rule == "" {
			continue
		}
		if re, err := regexp.Compile(f.Rule); err == nil {
			out = append(out, rule{re, f})
		}
	}
	return out
}

// match returns the first rule for path, as sops picks it.
func match(rules []rule, path string) (gen.SecretFile, bool) {
	for _, r := range rules {
		if r.re.MatchString(path) {
			return r.file, true
		}
	}
	return gen.SecretFile{}, false
}

// checkSops compares an existing sops file with the rule the new
// .sops.yaml gives its path. a is what the protected-path rules decided;
// it stands when the file is encrypted for exactly the rule's keys.
func checkSops(p string, sf SopsFile, a Action, rules []rule, names map[string]string, renamed map[string]string) Action {
	q := ShellQuote(p)
	r, covered := match(rules, p)
	host, file, inHosts := hostSecret(p)
	switch {
	case !covered && inHosts && renamed[host] != "":
		// The Mac's key is the same under its new name (its hostKey), so
		// the file needs no re-encryption: only the path the new rule
		// names.
		dir := "secrets/hosts/" + renamed[host]
		return Action{Kind: Stale,
			Why:      "machine " + host + " was renamed " + renamed[host] + ": move its secrets to the path the new .sops.yaml rule names (the key is the same, nothing to re-encrypt), and point any sopsFile at the new path",
			Commands: []string{"mkdir -p " + ShellQuote(dir), "git mv " + q + " " + ShellQuote(dir+"/"+file)}}
	case !covered:
		return Action{Kind: Stale,
			Why:      "no creation rule in the new .sops.yaml covers it (its user or machine is gone), yet everyone it was encrypted for can still read it: move out any value you still need, then delete it",
			Commands: []string{"git rm " + q}}
	case !sf.Encrypted:
		return Action{Kind: Rekey,
			Why:      "it has no sops metadata, so it is not encrypted: encrypt it in place",
			Commands: []string{"sops encrypt -i " + q}}
	}
	want := r.Recipients()
	var removed, added []string
	for _, k := range sf.Recipients {
		if !slices.Contains(want, k) && !slices.Contains(removed, k) {
			removed = append(removed, k)
		}
	}
	for _, k := range want {
		if !slices.Contains(sf.Recipients, k) {
			added = append(added, k)
		}
	}
	if len(removed) == 0 && len(added) == 0 {
		if a.Kind == KeepEdited {
			a.Why = "not written over (it holds your secrets), but its secret names changed: add the new ones with sops edit " + q
		}
		return a
	}
	var why []string
	if len(added) > 0 {
		why = append(why, "not yet encrypted for "+label(added, names))
	}
	cmds := []string{"sops updatekeys -y " + q}
	if len(removed) > 0 {
		// updatekeys decrypts the data key with a current recipient's
		// key, rotate with a key of the new rule: in a handover nobody
		// may have both.
		why = append(why, "still encrypted for "+label(removed, names)+", which the new .sops.yaml no longer lists. Those keys know the file's data key and every value in it: rotate the data key, and where their holders should no longer know the values, change the values themselves. "+
			"updatekeys needs a key the file is encrypted for now, rotate one the new rule lists: run both as someone who has both, or updatekeys as a reader who leaves and rotate as one who stays")
		cmds = append(cmds, "sops rotate -i "+q)
	}
	return Action{Kind: Rekey, Why: strings.Join(why, "; "), Commands: cmds}
}

// label names recipients for a message: "user raquel (age1df3u…)".
func label(rs []string, names map[string]string) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		short := r
		if len(short) > 12 {
			short = short[:10] + "…"
		}
		if n := names[r]; n != "" {
			out[i] = n + " (" + short + ")"
		} else {
			out[i] = short
		}
	}
	return strings.Join(out, ", ")
}

// clanKeyring adjusts the decision for clan's keyring files once clan has
// encrypted state to them (clan-core: clan_cli/secrets/users.py and
// machines.py remove a key and re-encrypt what it opened; clan_cli/secrets/
// key.py "key update" re-encrypts clan secrets for the current keys;
// clan_lib/vars "vars fix" re-encrypts vars). Deleting a key file by hand
// would leave that state readable by the key and break clan's own removal,
// which needs the file.
func clanKeyring(p string, a Action, in Input, theirs map[string]gen.File) Action {
	kind, name, ok := keyringPath(p)
	if !ok || !in.ClanState {
		return a
	}
	_, exists := in.Ours[p]
	_, generated := theirs[p]
	switch {
	case !generated && exists && (a.Kind == Remove || a.Kind == Stale):
		why := fmt.Sprintf("no longer generated; not removed, because clan has secrets or vars that may be encrypted to this key: clan's removal re-encrypts them without it and deletes %s", keyringDir(kind, name))
		if kind == "users" {
			// Only admins are in the keyring, and the admins group opens
			// every clan secret and var, each NixOS machine's age key
			// among them (clan_lib/vars/secret_modules/sops.py encrypts
			// <m>-age.key for the default groups); that key still opens
			// the machine's vars after any re-encryption.
			why += ". Run them as an admin who stays, after any new admin has joined the group. They revoke nothing " + name +
				" read before: the clan secrets (such as the Hetzner token and the Terraform state passphrase), every var, and each NixOS machine's age key, which opens that machine's vars from then on." +
				" Where that matters, replace them: new values with clan secrets set, clan vars generate --regenerate, and new machine keys (git rm -r sops/machines/<m> sops/secrets/<m>-age.key before that generate makes new ones), then clan machines update, which also drops " + name + "'s key from root's on the machines"
		}
		return Action{Kind: Stale, Why: why,
			Commands: []string{"clan secrets " + kind + " remove " + ShellQuote(name), "clan vars fix"}}
	case kind == "users" && generated && !exists && a.Kind == Add:
		// A new admin: clan encrypts its secrets and vars for the admins
		// group, whose members are links under sops/groups/admins
		// (clan_cli/secrets/groups.py add_member re-encrypts every secret
		// and var of the group for the new member). Nothing else adds them.
		a.Why = strings.TrimPrefix(a.Why+"; ", "; ") + "a new admin: clan's secrets and vars are encrypted for the admins group, which " + name +
			" joins only with this command, run after this update by an admin who can read them now"
		a.Commands = []string{"clan secrets groups add-user admins " + ShellQuote(name)}
	case exists && a.Kind.Writes():
		a.Why = strings.TrimPrefix(a.Why+"; ", "; ") + "the key changed: clan's secrets and vars stay encrypted to the old one until re-encrypted, by an admin whose key opens them now (keep the old identity in keys.txt until these have run)"
		a.Commands = []string{"clan secrets key update", "clan vars fix"}
	}
	return a
}

// keyringPath recognises sops/users/<name>/key.json ("users") and
// sops/machines/<name>/key.json ("machines").
func keyringPath(p string) (kind, name string, ok bool) {
	for _, k := range []string{"users", "machines"} {
		rest, found := strings.CutPrefix(p, "sops/"+k+"/")
		if !found {
			continue
		}
		if n, found := strings.CutSuffix(rest, "/key.json"); found && n != "" && !strings.Contains(n, "/") {
			return k, n, true
		}
	}
	return "", "", false
}

func keyringDir(kind, name string) string { return "sops/" + kind + "/" + name }

// ShellQuote quotes s for a POSIX shell when it needs it, so printed
// commands can be pasted as they are.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+:@,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hostSecret recognises secrets/hosts/<machine>/<file>, a Mac's own
// sops-nix secrets.
func hostSecret(p string) (machine, file string, ok bool) {
	rest, found := strings.CutPrefix(p, "secrets/hosts/")
	if !found {
		return "", "", false
	}
	machine, file, ok = strings.Cut(rest, "/")
	return machine, file, ok && machine != "" && file != "" && !strings.Contains(file, "/")
}

// Renames maps the machines new reads as renamed from old, old name to new:
// one machine of a class gone and one of the same class added.
func Renames(old, new *gen.Spec) map[string]string {
	out := map[string]string{}
	if old == nil {
		return out
	}
	gone, added := diffNames(machineNames(old), machineNames(new))
	for _, pair := range renames(old, new, gone, added) {
		out[pair[0]] = pair[1]
	}
	return out
}

// missingKeys adds to a what an existing encrypted file lacks of the names
// its new stub has: the module now asks sops-nix for them, and sops-nix
// stops at the first name a file lacks (sops-install-secrets: "the key
// ... cannot be found"), so none of the file's secrets would be installed.
func missingKeys(p string, sf SopsFile, a Action, want []string) Action {
	if !sf.Encrypted || a.Kind == Stale {
		return a
	}
	var missing []string
	for _, k := range want {
		if !slices.Contains(sf.Keys, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return a
	}
	why := "its module now asks for " + strings.Join(missing, ", ") + ", which the file lacks: sops-nix installs none of the file's secrets while one is missing. Add them with sops (then the real values)"
	if a.Kind == KeepEdited {
		a.Why = "not written over (it holds your secrets); " + why
	} else {
		a.Why = strings.TrimPrefix(a.Why+"; ", "; ") + why
	}
	a.Commands = append(a.Commands, "sops "+ShellQuote(p))
	return a
}
