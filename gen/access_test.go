package gen

// Tests of who can decrypt what (access.go).

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// quoteRegexp must agree with regexp.QuoteMeta (which gen avoids for size).
func TestQuoteRegexpMatchesStdlib(t *testing.T) {
	for _, s := range []string{"", "secrets/shared.yaml", `a.b+c*d?e(f)g|h[i]j{k}l^m$n\o`, "plain-name_1", "ünï.cøde"} {
		if got, want := quoteRegexp(s), regexp.QuoteMeta(s); got != want {
			t.Errorf("quoteRegexp(%q) = %q, want %q", s, got, want)
		}
	}
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
		// Files marked deploy = false are the admins' only
		// (clan_lib/vars/_types.py): emergency-access's and the users
		// service's plain passwords, the sshd service's CA key.
		{"clan vars", "vars/per-machine/*/emergency-access/password", "", false, "group:admins"},
		{"clan vars", "vars/shared/user-password-crs58/user-password-hash", "", false, "group:admins,machine:cinnabar,machine:electrum"},
		{"clan vars", "vars/shared/user-password-crs58/user-password", "", false, "group:admins"},
		{"clan vars", "vars/shared/openssh-ca/id_ed25519", "", false, "group:admins"},
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
