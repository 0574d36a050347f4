package gen

// Tests of the clan keyring (keyring.go): who holds which age recipient
// under which .sops.yaml anchor.

import (
	"slices"
	"strings"
	"testing"
)

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
			spec:    Spec{Users: []User{{Name: "x", SSHKeys: []string{ssh("alice")}}}, Machines: []Machine{{Name: "x", Class: string(classDarwin), HostKey: ssh("host-cinnabar")}}},
			anchors: []string{"x-user=" + fx["alice"].Recipient, "x=" + fx["host-cinnabar"].Recipient},
		},
		{
			name:    "admin and machine with the same name clash",
			spec:    Spec{Admins: []Admin{{Name: "x", SSHKeys: []string{ssh("admin")}}}, Machines: []Machine{{Name: "x", Class: string(classDarwin), HostKey: ssh("host-cinnabar")}}},
			wantErr: `anchor &x would name both admin "x" and machine "x"`,
		},
		{
			name:    "machine named like a user anchor clashes",
			spec:    Spec{Users: []User{{Name: "bob", SSHKeys: []string{ssh("bob")}}}, Machines: []Machine{{Name: "bob-user", Class: string(classDarwin), HostKey: ssh("host-cinnabar")}}},
			wantErr: "anchor &bob-user",
		},
		{
			name:    "second admin key anchor clashes with a machine",
			spec:    Spec{Admins: []Admin{{Name: "a", AgeKeys: []string{fx["admin"].Recipient, fx["carol"].Recipient}}}, Machines: []Machine{{Name: "a-2", Class: string(classDarwin), HostKey: ssh("host-cinnabar")}}},
			wantErr: "anchor &a-2",
		},
		{
			name:    "bad age key is an error naming the field",
			spec:    Spec{Users: []User{{Name: "u", AgeKeys: []string{"age1notakey"}}}},
			wantErr: "users[0].ageKeys[0]",
		},
		{
			name:    "bad host key is an error naming the field",
			spec:    Spec{Machines: []Machine{{Name: "m", Class: string(classDarwin), HostKey: rsa}}},
			wantErr: "machines[0].hostKey",
		},
		{
			// clan_lib/vars/secret_modules/sops.py: ensure_machine_key
			// returns early when sops/machines/<m> exists, so a key derived
			// from a NixOS host key would stop clan from making (and
			// uploading) the machine's own key.
			name:    "a NixOS machine's host key is not a recipient",
			spec:    Spec{Machines: []Machine{{Name: "srv", Class: string(classNixOS), HostKey: ssh("host-cinnabar")}}},
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
