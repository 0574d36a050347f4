package cli

import (
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"strings"

	yv3 "go.yaml.in/yaml/v3"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/update"
)

// scanSops finds every *.yaml file under secrets/ and what its sops
// metadata says, so the plan can compare each file's recipients with the
// new .sops.yaml. A symbolic link anywhere under secrets/ is refused: a
// committed link there could send a new stub, or a later `sops edit`,
// anywhere on the machine.
func scanSops(t *tree) (map[string]update.SopsFile, error) {
	out := map[string]update.SopsFile{}
	st, err := t.root.Lstat("secrets")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return out, nil
	case err != nil:
		return nil, err
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, linkError("secrets", true)
	case !st.IsDir():
		return out, nil
	}
	err = fs.WalkDir(t.root.FS(), "secrets", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return linkError(p, false)
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(p, ".yaml") {
			return nil
		}
		data, err := t.root.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = parseSops(data)
		return nil
	})
	return out, err
}

// parseSops reads the age recipients from a sops file's metadata: the
// flat age: list sops writes for a single key group, and the key_groups:
// form for several.
func parseSops(data []byte) update.SopsFile {
	type ageKeys []struct {
		Recipient string `yaml:"recipient"`
	}
	var doc struct {
		Sops *struct {
			Age       ageKeys `yaml:"age"`
			KeyGroups []struct {
				Age ageKeys `yaml:"age"`
			} `yaml:"key_groups"`
		} `yaml:"sops"`
	}
	if yv3.Unmarshal(data, &doc) != nil || doc.Sops == nil {
		return update.SopsFile{}
	}
	f := update.SopsFile{Encrypted: true}
	add := func(ks ageKeys) {
		for _, k := range ks {
			f.Recipients = append(f.Recipients, k.Recipient)
		}
	}
	add(doc.Sops.Age)
	f.Keys = topKeys(data)
	for _, g := range doc.Sops.KeyGroups {
		add(g.Age)
	}
	return f
}

// clanState reports whether clan has encrypted anything in the repository
// yet (its secrets, groups, or machine and shared vars).
func clanState(t *tree) bool {
	for _, p := range []string{"sops/secrets", "sops/groups", "vars/per-machine", "vars/shared"} {
		if t.exists(p) {
			return true
		}
	}
	return false
}

// recipientNames labels the recipients of both specs for messages
// ("user raquel"); the new spec's names win.
func recipientNames(specs ...*gen.Fleet) map[string]string {
	names := map[string]string{}
	for _, s := range specs {
		if s == nil {
			continue
		}
		for _, f := range s.Access() {
			for _, r := range f.Readers {
				if r.Recipient != "" && r.Kind != "group" {
					names[r.Recipient] = r.Kind + " " + r.Name
				}
			}
		}
	}
	return names
}

// clanFacts reads what clan itself keeps about machines, for the notes on
// removed and renamed ones: the directories under machines/ and the
// machine names in inventory.json (clan-core's modules/clan/module.nix
// adds both to the inventory), and the clan secrets under sops/secrets.
// Nothing here is written, so a link is only skipped, not refused.
func clanFacts(t *tree) *update.ClanFacts {
	c := &update.ClanFacts{Machines: dirNames(t, "machines"), Secrets: dirNames(t, "sops/secrets")}
	if data, found, err := t.read("inventory.json", false); err == nil && found {
		var inv struct {
			Machines map[string]json.RawMessage `json:"machines"`
		}
		// clan's own file: one that does not parse stops clan before
		// Fleetyard could say anything useful about it.
		if json.Unmarshal(data, &inv) == nil {
			for name := range inv.Machines {
				c.Machines = append(c.Machines, name)
			}
		}
	}
	slices.Sort(c.Machines)
	c.Machines = slices.Compact(c.Machines)
	return c
}

// dirNames lists the directories in dir, sorted; none when dir is missing
// or not a real directory.
func dirNames(t *tree, dir string) []string {
	if t.check(dir) != nil {
		return nil
	}
	entries, err := fs.ReadDir(t.root.FS(), dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// topKeys lists a YAML mapping's top-level keys other than sops, in file
// order: a sops file's secret names, which sops leaves in plain text.
func topKeys(data []byte) []string {
	var n yv3.Node
	if yv3.Unmarshal(data, &n) != nil || len(n.Content) == 0 || n.Content[0].Kind != yv3.MappingNode {
		return nil
	}
	var keys []string
	m := n.Content[0].Content
	for i := 0; i+1 < len(m); i += 2 {
		if k := m[i].Value; k != "sops" {
			keys = append(keys, k)
		}
	}
	return keys
}

// stubKeys are the names each generated stub under secrets/ holds.
func stubKeys(files []gen.File) map[string][]string {
	out := map[string][]string{}
	for _, f := range files {
		if strings.HasPrefix(f.Path, "secrets/") && strings.HasSuffix(f.Path, ".yaml") {
			out[f.Path] = topKeys(f.Data)
		}
	}
	return out
}

// writtenSopsRules reads the creation rules of the .sops.yaml the plan
// leaves in the repository (the new bytes where it writes them, the
// current ones otherwise), as sops applies them: path_regex unanchored
// and first match wins, aliases resolved, the age recipients of the rule
// and of its key groups. ok is false when there is none or it does not
// parse; the generated rules are used then.
func writtenSopsRules(plan *update.Plan, ours map[string][]byte) (rules []gen.SecretFile, ok bool) {
	data, found := ours[".sops.yaml"]
	for _, a := range plan.Actions {
		if a.Path == ".sops.yaml" && a.Kind.Writes() {
			data, found = a.Data, true
		}
	}
	if !found {
		return nil, false
	}
	type ageList []string
	var doc struct {
		CreationRules []struct {
			PathRegex string `yaml:"path_regex"`
			Age       any    `yaml:"age"` // a string of comma-separated keys, or a list
			KeyGroups []struct {
				Age ageList `yaml:"age"`
			} `yaml:"key_groups"`
		} `yaml:"creation_rules"`
	}
	if yv3.Unmarshal(data, &doc) != nil || len(doc.CreationRules) == 0 {
		return nil, false
	}
	for _, r := range doc.CreationRules {
		f := gen.SecretFile{Tier: gen.TierSopsNix, Rule: r.PathRegex}
		if f.Rule == "" {
			// sops: a rule without path_regex matches every file.
			f.Rule = "."
		}
		var rs []string
		switch age := r.Age.(type) {
		case string:
			for _, k := range strings.Split(age, ",") {
				if k = strings.TrimSpace(k); k != "" {
					rs = append(rs, k)
				}
			}
		case []any:
			for _, k := range age {
				if k, isString := k.(string); isString {
					rs = append(rs, strings.TrimSpace(k))
				}
			}
		}
		for _, g := range r.KeyGroups {
			rs = append(rs, g.Age...)
		}
		for _, k := range rs {
			f.Readers = append(f.Readers, gen.Reader{Recipient: k})
		}
		rules = append(rules, f)
	}
	return rules, true
}
