package gen

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	yv3 "go.yaml.in/yaml/v3"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// The -update flag is defined by golden_test.go (package gen_test, same
// test binary); look it up rather than defining it twice.
func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// fixture identities: name -> recipient, identity (throwaway test keys).
type fixtureKey struct{ Recipient, Identity string }

func fixtureKeys(t testing.TB) map[string]fixtureKey {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "secrets", "age-identities.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]fixtureKey{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.Split(sc.Text(), "\t")
		out[p[0]] = fixtureKey{p[1], p[2]}
	}
	return out
}

func secretsOptions() Options {
	e := make([]byte, 32)
	for i := range e {
		e[i] = byte(0xA0 + i)
	}
	return Options{Entropy: e, Time: time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC)}
}

// runSecrets runs only this pattern's emitter, so its tests do not depend on
// the other emitters.
func runSecrets(s *Spec, opt Options) (map[string]File, error) {
	b := &build{spec: model(s), opt: opt, files: map[string]File{}}
	emitSecrets(b)
	return b.files, b.err
}

func TestKeyringSeed(t *testing.T) {
	fx := fixtureKeys(t)
	kr, err := buildKeyring(exampleSpec(t, "seed"), nil)
	if err != nil {
		t.Fatal(err)
	}
	type hk struct{ kind, name, anchor, recipient string }
	var got []hk
	for _, hs := range [][]keyHolder{kr.Admins, kr.Users, kr.Machines} {
		for _, h := range hs {
			for i, r := range h.Recipients {
				got = append(got, hk{h.Kind, h.Name, h.Anchors[i], r})
			}
		}
	}
	want := []hk{
		{"admin", "admin", "admin", fx["admin"].Recipient},
		{"user", "crs58", "crs58-user", fx["alice"].Recipient},
		{"user", "raquel", "raquel-user", fx["bob"].Recipient},
		// Only the Mac: clan makes NixOS machines' keys itself.
		{"machine", "blackphos", "blackphos", fx["host-blackphos"].Recipient},
	}
	if !slices.Equal(got, want) {
		t.Errorf("keyring:\n got %v\nwant %v", got, want)
	}
}

func TestKeyringRules(t *testing.T) {
	fx := fixtureKeys(t)
	ssh := func(name string) string {
		for _, line := range seedKeys {
			if strings.HasSuffix(line, " "+name+"@fixture") {
				return line
			}
		}
		t.Fatalf("no fixture key %s", name)
		return ""
	}
	rsa := "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 rsa@x"
	tests := []struct {
		name    string
		spec    Spec
		wantErr string
		anchors []string
	}{
		{
			name: "admin with ssh and age keys; user takes only the first ed25519 key",
			spec: Spec{
				Admins: []Admin{{Name: "ops", SSHKeys: []string{ssh("admin"), rsa, ssh("carol")}, AgeKeys: []string{fx["bob"].Recipient, fx["admin"].Recipient}}},
				Users:  []User{{Name: "u", SSHKeys: []string{rsa, ssh("alice"), ssh("carol")}, AgeKeys: []string{fx["bob"].Recipient}}},
			},
			anchors: []string{"ops=" + fx["admin"].Recipient, "ops-2=" + fx["carol"].Recipient, "ops-3=" + fx["bob"].Recipient,
				"u-user=" + fx["alice"].Recipient, "u-user-2=" + fx["bob"].Recipient},
		},
		{
			name:    "user without age key is left out",
			spec:    Spec{Users: []User{{Name: "nokey", SSHKeys: []string{rsa}}}},
			anchors: nil,
		},
		{
			name:    "user and machine with the same name do not clash",
			spec:    Spec{Users: []User{{Name: "x", SSHKeys: []string{ssh("alice")}}}, Machines: []Machine{{Name: "x", Class: classDarwin, HostKey: ssh("host-cinnabar")}}},
			anchors: []string{"x-user=" + fx["alice"].Recipient, "x=" + fx["host-cinnabar"].Recipient},
		},
		{
			name:    "admin and machine with the same name clash",
			spec:    Spec{Admins: []Admin{{Name: "x", SSHKeys: []string{ssh("admin")}}}, Machines: []Machine{{Name: "x", Class: classDarwin, HostKey: ssh("host-cinnabar")}}},
			wantErr: `anchor &x would name both admin "x" and machine "x"`,
		},
		{
			name:    "machine named like a user anchor clashes",
			spec:    Spec{Users: []User{{Name: "bob", SSHKeys: []string{ssh("bob")}}}, Machines: []Machine{{Name: "bob-user", Class: classDarwin, HostKey: ssh("host-cinnabar")}}},
			wantErr: "anchor &bob-user",
		},
		{
			name:    "second admin key anchor clashes with a machine",
			spec:    Spec{Admins: []Admin{{Name: "a", AgeKeys: []string{fx["admin"].Recipient, fx["carol"].Recipient}}}, Machines: []Machine{{Name: "a-2", Class: classDarwin, HostKey: ssh("host-cinnabar")}}},
			wantErr: "anchor &a-2",
		},
		{
			name:    "bad age key is an error naming the field",
			spec:    Spec{Users: []User{{Name: "u", AgeKeys: []string{"age1notakey"}}}},
			wantErr: "users[0].ageKeys[0]",
		},
		{
			name:    "bad host key is an error naming the field",
			spec:    Spec{Machines: []Machine{{Name: "m", Class: classDarwin, HostKey: rsa}}},
			wantErr: "machines[0].hostKey",
		},
		{
			// clan_lib/vars/secret_modules/sops.py: ensure_machine_key
			// returns early when sops/machines/<m> exists, so a key derived
			// from a NixOS host key would stop clan from making (and
			// uploading) the machine's own key.
			name:    "a NixOS machine's host key is not a recipient",
			spec:    Spec{Machines: []Machine{{Name: "srv", Class: classNixOS, HostKey: ssh("host-cinnabar")}}},
			anchors: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := buildKeyring(&tt.spec, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, hs := range [][]keyHolder{kr.Admins, kr.Users, kr.Machines} {
				for _, h := range hs {
					for i, r := range h.Recipients {
						got = append(got, h.Anchors[i]+"="+r)
					}
				}
			}
			if !slices.Equal(got, tt.anchors) {
				t.Errorf("anchors:\n got %v\nwant %v", got, tt.anchors)
			}
		})
	}
}

// seedKeys are public keys of the throwaway fixtures (their identities are
// in testdata/secrets/age-identities.tsv).
var seedKeys = []string{
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+JKP6LoYsPxzGeDuQuTqRY+KOGSmWdUMWnbzWyzr9j bob@fixture",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL8Gz7JgctzariPvQR31SEpAkYAuS70vuNPkKD8U9S8+ carol@fixture",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHPqS6ES5nqSF0CGIkLzBpyvdwkFXK/3/CQnGyDdMzbz host-cinnabar@fixture",
}

func TestAccessSeed(t *testing.T) {
	got := fleetOf(exampleSpec(t, "seed")).Access()
	type row struct {
		tier, path, rule string
		stub             bool
		readers          string
	}
	var rows []row
	for _, f := range got {
		var rs []string
		for _, r := range f.Readers {
			rs = append(rs, r.Kind+":"+r.Name)
		}
		rows = append(rows, row{f.Tier, f.Path, f.Rule, f.Stub, strings.Join(rs, ",")})
	}
	want := []row{
		{"sops-nix", "secrets/home-manager/users/crs58/secrets.yaml", `^secrets/home-manager/users/crs58/[^/]+\.yaml$`, true, "admin:admin,user:crs58"},
		{"sops-nix", "secrets/home-manager/users/raquel/secrets.yaml", `^secrets/home-manager/users/raquel/[^/]+\.yaml$`, true, "admin:admin,user:raquel"},
		{"sops-nix", "secrets/hosts/blackphos/*.yaml", `^secrets/hosts/blackphos/[^/]+\.yaml$`, false, "admin:admin,machine:blackphos"},
		{"sops-nix", "secrets/shared.yaml", `^secrets/shared\.yaml$`, false, "admin:admin,user:crs58,user:raquel,machine:blackphos"},
		// clan vars: the machine and the admins group (every clan admin:
		// spec admins and admin users).
		{"clan vars", "vars/per-machine/cinnabar/*", "", false, "group:admins,machine:cinnabar"},
		{"clan vars", "vars/per-machine/electrum/*", "", false, "group:admins,machine:electrum"},
		{"clan vars", "vars/per-machine/blackphos/*", "", false, "group:admins,machine:blackphos"},
		{"clan vars", "vars/shared/user-password-crs58/*", "", false, "group:admins,machine:cinnabar,machine:electrum"},
		{"clan vars", "vars/shared/zerotier-identity-cinnabar/*", "", false, "group:admins,machine:cinnabar"},
		{"clan vars", "vars/shared/zerotier-identity-electrum/*", "", false, "group:admins,machine:electrum"},
		// The NixOS machines' own age keys (made by clan), the Terraform
		// secrets.
		{"clan secrets", "sops/secrets/cinnabar-age.key/secret", "", false, "group:admins"},
		{"clan secrets", "sops/secrets/electrum-age.key/secret", "", false, "group:admins"},
		{"clan secrets", "sops/secrets/hetzner-api-token/secret", "", false, "group:admins"},
		{"clan secrets", "sops/secrets/terraform-state-passphrase/secret", "", false, "group:admins"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("fleetOf(seed).Access():\n got %v\nwant %v", rows, want)
	}
	// Names with regexp metacharacters are escaped in rules.
	fx := fixtureKeys(t)
	s := &Spec{Users: []User{{Name: "a.b", AgeKeys: []string{fx["alice"].Recipient}}}}
	if r := fleetOf(s).Access()[0].Rule; r != `^secrets/home-manager/users/a\.b/[^/]+\.yaml$` {
		t.Errorf("rule for a.b = %s", r)
	}
}

func TestSecretsFilesSeed(t *testing.T) {
	fx := fixtureKeys(t)
	files, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	want := []string{
		".sops.yaml",
		"modules/clan/vars/api-token.nix",
		"modules/home/base-sops.nix",
		"secrets/home-manager/users/crs58/secrets.yaml",
		"secrets/home-manager/users/raquel/secrets.yaml",
		"sops/machines/blackphos/key.json",
		"sops/users/admin/key.json",
		"sops/users/crs58/key.json",
		"vars/.keep",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("files:\n got %v\nwant %v", paths, want)
	}
	wantKey := "[\n  {\n    \"publickey\": \"" + fx["alice"].Recipient + "\",\n    \"type\": \"age\"\n  }\n]\n"
	if got := string(files["sops/users/crs58/key.json"].Data); got != wantKey {
		t.Errorf("crs58 key.json:\n%s\nwant\n%s", got, wantKey)
	}
	if got := string(files["sops/machines/blackphos/key.json"].Data); !strings.Contains(got, fx["host-blackphos"].Recipient) {
		t.Errorf("blackphos key.json: %s", got)
	}
}

func TestClanUsersMergeAdminAndUser(t *testing.T) {
	fx := fixtureKeys(t)
	s := &Spec{
		Admins: []Admin{{Name: "sam", AgeKeys: []string{fx["carol"].Recipient}}},
		Users: []User{
			{Name: "sam", Admin: true, AgeKeys: []string{fx["alice"].Recipient, fx["carol"].Recipient}},
			{Name: "plain", AgeKeys: []string{fx["bob"].Recipient}},
		},
	}
	kr, err := buildKeyring(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := clanUsers(model(s), kr)
	want := []string{fx["alice"].Recipient, fx["carol"].Recipient}
	slices.Sort(want)
	if len(got) != 1 || got[0].Name != "sam" || !slices.Equal(got[0].Recipients, want) {
		t.Errorf("clanUsers = %+v, want sam with %v (plain is not an admin)", got, want)
	}
}

func TestSopsYAMLGolden(t *testing.T) {
	files, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "secrets", "seed.sops.yaml")
	got := files[".sops.yaml"].Data
	if updatingGolden() {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestSopsYAMLGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf(".sops.yaml differs from %s (rerun with -update if intended):\n%s", golden, got)
	}
}

func TestSecretsNeedEntropyAndTime(t *testing.T) {
	s := exampleSpec(t, "seed")
	opt := secretsOptions()
	opt.Entropy = nil
	if _, err := runSecrets(s, opt); err == nil || !strings.Contains(err.Error(), "Options.Entropy") {
		t.Errorf("no entropy: err = %v", err)
	}
	opt = secretsOptions()
	opt.Time = time.Time{}
	if _, err := runSecrets(s, opt); err == nil || !strings.Contains(err.Error(), "Options.Time") {
		t.Errorf("no time: err = %v", err)
	}
	// Without secret stubs, no entropy is needed.
	for i := range s.Users {
		s.Users[i].Secrets = nil
	}
	if _, err := runSecrets(s, Options{}); err != nil {
		t.Errorf("no stubs, no entropy: %v", err)
	}
}

func TestSecretsWithoutUserKey(t *testing.T) {
	s := exampleSpec(t, "seed")
	s.Users[1].SSHKeys = nil
	_, err := runSecrets(s, secretsOptions())
	if err == nil || !strings.Contains(err.Error(), "users[1].secrets") || !strings.Contains(err.Error(), "ageKeys") {
		t.Errorf("err = %v", err)
	}
}

// Determinism per file: same inputs give the same bytes; changing one user's
// secrets changes only that user's stub.
func TestStubsDeterministicPerFile(t *testing.T) {
	a, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	for p, f := range a {
		if !bytes.Equal(f.Data, b[p].Data) {
			t.Errorf("%s differs between two runs", p)
		}
	}
	s := exampleSpec(t, "seed")
	s.Users[1].Secrets = append(s.Users[1].Secrets, "another")
	c, _ := runSecrets(s, secretsOptions())
	crs, raq := "secrets/home-manager/users/crs58/secrets.yaml", "secrets/home-manager/users/raquel/secrets.yaml"
	if !bytes.Equal(a[crs].Data, c[crs].Data) {
		t.Error("crs58's stub changed when only raquel's secrets did")
	}
	if bytes.Equal(a[raq].Data, c[raq].Data) {
		t.Error("raquel's stub did not change")
	}
	opt := secretsOptions()
	opt.Entropy[0] ^= 1
	d, _ := runSecrets(exampleSpec(t, "seed"), opt)
	if bytes.Equal(a[crs].Data, d[crs].Data) {
		t.Error("different entropy gave the same stub")
	}
}

// Each stub's recipients are exactly those of the first .sops.yaml rule that
// matches its path (checked in Go; the real sops checks follow).
func TestStubsMatchRules(t *testing.T) {
	files, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Rules []struct {
			PathRegex string `yaml:"path_regex"`
			KeyGroups []struct {
				Age []string `yaml:"age"`
			} `yaml:"key_groups"`
		} `yaml:"creation_rules"`
	}
	if err := yv3.Unmarshal(files[".sops.yaml"].Data, &cfg); err != nil {
		t.Fatal(err)
	}
	for _, f := range fleetOf(exampleSpec(t, "seed")).Access() {
		if !f.Stub {
			continue
		}
		var rule []string
		for _, r := range cfg.Rules {
			if regexp.MustCompile(r.PathRegex).MatchString(f.Path) {
				if len(r.KeyGroups) != 1 {
					t.Fatalf("%s: %d key groups", r.PathRegex, len(r.KeyGroups))
				}
				rule = r.KeyGroups[0].Age
				break
			}
		}
		got := stubRecipients(t, files[f.Path].Data)
		if !slices.Equal(got, rule) {
			t.Errorf("%s: encrypted for %v, first matching rule lists %v", f.Path, got, rule)
		}
	}
}

func stubRecipients(t *testing.T, data []byte) []string {
	t.Helper()
	var doc struct {
		Sops struct {
			Age []struct {
				Recipient string `yaml:"recipient"`
			} `yaml:"age"`
		} `yaml:"sops"`
	}
	if err := yv3.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range doc.Sops.Age {
		out = append(out, a.Recipient)
	}
	return out
}

func TestSecretsNixModules(t *testing.T) {
	files, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	base := string(files["modules/home/base-sops.nix"].Data)
	for _, want := range []string{
		"{ inputs, ... }:",
		"flake.modules.homeManager.base-sops =",
		"{ config, ... }:",
		"inputs.sops-nix.homeManagerModules.sops",
		`sops.age.keyFile = "${config.xdg.configHome}/sops/age/keys.txt";`,
	} {
		if !strings.Contains(base, want) {
			t.Errorf("base-sops.nix lacks %q:\n%s", want, base)
		}
	}
	vars := string(files["modules/clan/vars/api-token.nix"].Data)
	for _, want := range []string{
		`clan.machines.cinnabar.clan.core.vars.generators.api-token = generator;`,
		`description = "API token for the monitoring service";`,
		`type = "hidden";`,
		`neededFor = "services";`,
		`secret = true;`,
		`prompts.token`,
		`files.token`,
		`script = "cp \"$prompts/token\" \"$out/token\"";`,
	} {
		if !strings.Contains(vars, want) {
			t.Errorf("api-token.nix lacks %q:\n%s", want, vars)
		}
	}
	nixInst := tooltest.Require(t, "nix-instantiate", tooltest.InstallNix)
	for _, p := range []string{"modules/home/base-sops.nix", "modules/clan/vars/api-token.nix"} {
		cmd := exec.Command(nixInst, "--parse", "-")
		cmd.Stdin = bytes.NewReader(files[p].Data)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not parse: %v\n%s\n%s", p, err, out, files[p].Data)
		}
	}
}

// TestRealSopsOnSeed is the end-to-end check with the real sops binary on
// the generated repository.
func TestRealSopsOnSeed(t *testing.T) {
	sopsBin := tooltest.Require(t, "sops", tooltest.InstallSops)
	fx := fixtureKeys(t)
	byRecipient := map[string]string{}
	for name, k := range fx {
		byRecipient[k.Recipient] = name
	}
	spec := exampleSpec(t, "seed")
	files, err := runSecrets(spec, secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for p, f := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	keyDir := t.TempDir()
	keyFile := func(name string) string {
		p := filepath.Join(keyDir, name+".txt")
		os.WriteFile(p, []byte(fx[name].Identity+"\n"), 0o600)
		return p
	}
	run := func(identity string, args ...string) ([]byte, error) {
		cmd := exec.Command(sopsBin, args...)
		cmd.Dir = root
		env := []string{"SOPS_AGE_KEY=", "SOPS_AGE_SSH_PRIVATE_KEY_FILE=/nonexistent", "HOME=" + keyDir}
		if identity != "" {
			env = append(env, "SOPS_AGE_KEY_FILE="+keyFile(identity))
		} else {
			env = append(env, "SOPS_AGE_KEY_FILE=/nonexistent")
		}
		cmd.Env = append(os.Environ(), env...)
		return cmd.CombinedOutput()
	}

	for _, f := range fleetOf(spec).Access() {
		if !f.Stub {
			continue
		}
		allowed := map[string]bool{}
		for _, r := range f.Readers {
			allowed[byRecipient[r.Recipient]] = true
		}
		names := secretNames(model(spec), f.Readers)
		for id := range fx {
			out, err := run(id, "-d", f.Path)
			if !allowed[id] {
				if err == nil {
					t.Errorf("%s: %s decrypted it but is not a reader", f.Path, id)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: sops -d as %s: %v\n%s", f.Path, id, err, out)
				continue
			}
			var got map[string]string
			if err := yv3.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(names) {
				t.Errorf("%s: decrypted %v, want keys %v", f.Path, got, names)
			}
			for _, n := range names {
				if got[n] != secretPlaceholder {
					t.Errorf("%s as %s: %s = %q", f.Path, id, n, got[n])
				}
			}
		}
		// updatekeys with the .sops.yaml we wrote finds nothing to change.
		before := files[f.Path].Data
		if out, err := run("admin", "updatekeys", "-y", f.Path); err != nil {
			t.Errorf("sops updatekeys %s: %v\n%s", f.Path, err, out)
		}
		after, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		if !bytes.Equal(before, after) {
			t.Errorf("sops updatekeys changed %s: the file's keys disagree with .sops.yaml", f.Path)
		}
	}

	// New files created by sops itself pick the rule's recipients. (Clan
	// vars and secrets are written by clan with its own recipients; no
	// .sops.yaml rule covers them.)
	for _, f := range sopsNixFiles(fleetOf(spec).Access()) {
		newPath := strings.Replace(f.Path, "*", "new", 1)
		if f.Stub {
			newPath = filepath.ToSlash(filepath.Join(filepath.Dir(f.Path), "new.yaml"))
		}
		full := filepath.Join(root, filepath.FromSlash(newPath))
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte("k: v\n"), 0o644)
		out, err := run("", "-e", newPath)
		if err != nil {
			t.Errorf("sops -e %s: %v\n%s", newPath, err, out)
			continue
		}
		got := stubRecipients(t, out)
		if want := f.Recipients(); !slices.Equal(got, want) {
			t.Errorf("sops -e %s used %v, want %v", newPath, got, want)
		}
	}
	// A path no rule covers is refused, so nothing is encrypted by accident.
	os.WriteFile(filepath.Join(root, "stray.yaml"), []byte("k: v\n"), 0o644)
	if out, err := run("", "-e", "stray.yaml"); err == nil || !strings.Contains(string(out), "no matching creation rules") {
		t.Errorf("sops -e stray.yaml: err %v\n%s", err, out)
	}
}
