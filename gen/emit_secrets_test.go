package gen

// Tests of the secrets pattern (emit_secrets.go): .sops.yaml, the clan
// keyring files, the sops-nix stubs and their modules.

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/fleetyard/fleetyard/internal/nixtest"
	"github.com/fleetyard/fleetyard/internal/tooltest"
	yv3 "go.yaml.in/yaml/v3"
)

// The -update flag is defined by golden_test.go (package gen_test, same
// test binary); look it up rather than defining it twice.
func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runSecrets runs only this pattern's emitter, so its tests do not depend on
// the other emitters.
func runSecrets(s *Spec, opt Options) (map[string]File, error) {
	b := &build{spec: model(s), opt: opt, files: map[string]File{}}
	emitSecrets(b)
	return b.files, b.err
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
	// The rule lives in the validator only (issue 9: every rule in the
	// checker): the spec is refused on the field, so Generate never sees it.
	s := exampleSpec(t, "seed")
	s.Users[1].SSHKeys = nil
	data, _ := json.Marshal(s)
	_, diags := Parse(data)
	found := false
	for _, d := range diags {
		if d.Path == "users[1].secrets" && d.Severity == Error && strings.Contains(d.Message, "no age key") && d.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no positioned error on users[1].secrets: %v", diags)
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

// stubDataKey opens a stub's sops data key with the identity of one of its
// recipients: the key every value of the file is encrypted with.
func stubDataKey(t *testing.T, data []byte, identity string) []byte {
	t.Helper()
	id, err := age.ParseX25519Identity(identity)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sops struct {
			Age []struct {
				Enc       string `yaml:"enc"`
				Recipient string `yaml:"recipient"`
			} `yaml:"age"`
		} `yaml:"sops"`
	}
	if err := yv3.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Sops.Age {
		if a.Recipient != id.Recipient().String() {
			continue
		}
		r, err := age.Decrypt(armor.NewReader(strings.NewReader(a.Enc)), id)
		if err != nil {
			t.Fatal(err)
		}
		key, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	t.Fatalf("the stub is not encrypted for %s", id.Recipient())
	return nil
}

// The data key of a stub must change with its readers: with the same
// entropy (one playground tab, or a reused --entropy) and a revoked key, a
// data key the revoked person derived earlier must not come back. The
// other user's stub, whose readers did not change, keeps its key (per-file
// stability), and a different time gives a different key too.
func TestStubDataKeyBindsRecipientsAndTime(t *testing.T) {
	fx := fixtureKeys(t)
	const raq, crs = "secrets/home-manager/users/raquel/secrets.yaml", "secrets/home-manager/users/crs58/secrets.yaml"
	before, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	rekeyed := exampleSpec(t, "seed")
	// raquel's key (bob's fixture) is revoked and replaced by carol's.
	rekeyed.Users[1].SSHKeys = []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL8Gz7JgctzariPvQR31SEpAkYAuS70vuNPkKD8U9S8+ carol@fixture"}
	after, err := runSecrets(rekeyed, secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	admin := fx["admin"].Identity
	if bytes.Equal(stubDataKey(t, before[raq].Data, admin), stubDataKey(t, after[raq].Data, admin)) {
		t.Errorf("%s: same entropy, different recipients, same data key", raq)
	}
	if !bytes.Equal(stubDataKey(t, before[crs].Data, admin), stubDataKey(t, after[crs].Data, admin)) {
		t.Errorf("%s: its readers did not change, yet its data key did", crs)
	}
	later := secretsOptions()
	later.Time = later.Time.Add(1e9)
	moved, err := runSecrets(exampleSpec(t, "seed"), later)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(stubDataKey(t, before[crs].Data, admin), stubDataKey(t, moved[crs].Data, admin)) {
		t.Errorf("%s: same entropy at a different time gave the same data key", crs)
	}
}

func TestSecretsNixModules(t *testing.T) {
	files, err := runSecrets(exampleSpec(t, "seed"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	base := string(files["modules/home/base-sops.nix"].Data)
	if strings.Contains(base, "kickstart -k") {
		t.Errorf("base-sops.nix kills the agent's running instance (kickstart -k):\n%s", base)
	}
	for _, want := range []string{
		"{ inputs, ... }:",
		"flake.modules.homeManager.base-sops =",
		"inputs.sops-nix.homeManagerModules.sops",
		`sops.age.keyFile = "${config.xdg.configHome}/sops/age/keys.txt";`,
		// home-manager modules/launchd: "user" runs without a graphical
		// login; sops-nix modules/home-manager/sops.nix's own restart step
		// is replaced by one ordered after setupLaunchAgents, never failing.
		`launchd.agents.sops-nix.domain = lib.mkIf pkgs.stdenv.hostPlatform.isDarwin "user";`,
		`lib.hm.dag.entryAfter [ "setupLaunchAgents" ]`,
		// Without -k: home-manager bootstraps a new or changed agent, which
		// starts at once (sops-nix sets RunAtLoad), and killing that run
		// midway can leave its RAM disk attached (sops-install-secrets
		// darwin.go mounts it in steps). Through home-manager's run, so a
		// dry run only prints it (lib/bash/home-manager.sh).
		`run /bin/launchctl kickstart "user/$(id -u)/org.nix-community.home.sops-nix" || true`,
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
	for _, p := range []string{"modules/home/base-sops.nix", "modules/clan/vars/api-token.nix"} {
		if msg := nixtest.ParseErr(t, files[p].Data); msg != nil {
			t.Errorf("%s does not parse: %s\n%s", p, msg, files[p].Data)
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
		writeFile(t, filepath.Join(root, filepath.FromSlash(p)), string(f.Data))
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

// TestRealSopsNeedsTheNoneYetDirectory pins what the README's "(none yet)"
// paragraph tells users about a new file under a rule of .sops.yaml: the
// real sops opens the editor, then fails to write the encrypted file into
// a directory that does not exist (it creates none), so the directory is
// made first; with it, the same command writes the file.
func TestRealSopsNeedsTheNoneYetDirectory(t *testing.T) {
	sopsBin := tooltest.Require(t, "sops", tooltest.InstallSops)
	spec := exampleSpec(t, "seed")
	files, err := runSecrets(spec, secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".sops.yaml"), string(files[".sops.yaml"].Data))
	editor := filepath.Join(t.TempDir(), "editor")
	if err := os.WriteFile(editor, []byte("#!/bin/sh\nprintf 'token: typed\\n' > \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	const file = "secrets/hosts/blackphos/wifi.yaml" // a "(none yet)" row of the seed's README
	readme := runEmitters(t, spec, plainEmitters)["README.md"]
	if !strings.Contains(readme, "`secrets/hosts/blackphos/*.yaml` (none yet)") || !strings.Contains(readme, "make its directory first, `mkdir -p`") {
		t.Fatal("the seed's README no longer has the (none yet) row and its mkdir advice this test is about")
	}
	sops := func() ([]byte, error) {
		cmd := exec.Command(sopsBin, file)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "EDITOR="+editor, "SOPS_AGE_KEY=", "HOME="+t.TempDir())
		return cmd.CombinedOutput()
	}
	if out, err := sops(); err == nil {
		t.Fatalf("sops wrote %s without its directory:\n%s", file, out)
	}
	if err := os.MkdirAll(filepath.Join(root, "secrets", "hosts", "blackphos"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := sops(); err != nil {
		t.Fatalf("sops %s after mkdir -p: %v\n%s", file, err, out)
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil || !strings.Contains(string(data), "ENC[") || strings.Contains(string(data), "typed") {
		t.Fatalf("%s is not the encrypted file: %v\n%s", file, err, data)
	}
}

// TestVarsGeneratorRuntimeInputs: clan runs a generator's script with only
// runtimeInputs and coreutils on its PATH (generic-generator.nix:
// makeBinPath (config.runtimeInputs ++ [ pkgs.coreutils ])), so large.json's
// wireguard-key, whose script runs wg, lists wireguard-tools. Packages come
// from the machine's pkgs, so that generator is a module each machine
// imports (clan.machines.<m> is a deferredModule in clan-core's
// top-level-interface.nix); a generator without runtimeInputs stays a plain
// value.
func TestVarsGeneratorRuntimeInputs(t *testing.T) {
	files, err := runSecrets(exampleSpec(t, "large"), secretsOptions())
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]string{}
	for p, f := range files {
		text[p] = string(f.Data)
	}
	got := evalNix(t, `let
  top = `+nixFile(t, text, "modules/clan/vars/wireguard-key.nix")+`;
  mod = builtins.head top.clan.machines.node-002.imports;
  gen = (mod { pkgs = { wireguard-tools = "WG"; coreutils = "CU"; }; }).clan.core.vars.generators.wireguard-key;
in { machines = builtins.attrNames top.clan.machines; inherit (gen) runtimeInputs; public = gen.files.public-key.secret; }`)
	equalJSON(t, "wireguard-key.nix", got, `{"machines": ["node-001", "node-002", "node-003"], "runtimeInputs": ["WG"], "public": false}`)
}
