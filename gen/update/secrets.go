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
func checkSops(p string, sf SopsFile, a Action, rules []rule, names map[string]string) Action {
	q := ShellQuote(p)
	r, covered := match(rules, p)
	switch {
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
		why = append(why, "still encrypted for "+label(removed, names)+", which the new .sops.yaml no longer lists. Those keys know the file's data key and every value in it: rotate the data key, then change the secret values themselves")
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
		return Action{Kind: Stale,
			Why:      fmt.Sprintf("no longer generated; not removed, because clan has secrets or vars that may be encrypted to this key: clan's removal re-encrypts them without it and deletes %s", keyringDir(kind, name)),
			Commands: []string{"clan secrets " + kind + " remove " + ShellQuote(name), "clan vars fix"}}
	case exists && a.Kind.Writes():
		a.Why = strings.TrimPrefix(a.Why+"; ", "; ") + "the key changed: clan's secrets and vars stay encrypted to the old one until re-encrypted"
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
