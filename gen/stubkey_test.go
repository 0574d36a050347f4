package gen

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
	yv3 "go.yaml.in/yaml/v3"
)

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
