package gen

import (
	"bytes"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// TestMacNeededForRuleMatchesClan pins macNeededFor's reasons to the pinned
// clan-core: sops-nix gets only "users" and "services" files, clan-cli
// refuses to upload partitioning files outside an install, and its upload
// of activation files sits after the early return taken by a machine
// without a clan age key (a Mac that decrypts with its hostKey). Should a
// newer pin deploy those files another way, this fails and the rule must
// be read again.
func TestMacNeededForRuleMatchesClan(t *testing.T) {
	toSops := tooltest.UpstreamFile(t, "clan-core", "nixosModules/clanCore/vars/secret/sops/generators-to-sops.nix")
	if !bytes.Contains(toSops, []byte(`f.neededFor == "users" || f.neededFor == "services"`)) {
		t.Error("generators-to-sops.nix no longer keeps only users and services files")
	}
	cli := tooltest.UpstreamFile(t, "clan-core", "pkgs/clan-cli/clan_lib/vars/secret_modules/sops.py")
	if !bytes.Contains(cli, []byte(`"Cannot upload partitioning secrets"`)) {
		t.Error("sops.py may now upload partitioning secrets outside an install")
	}
	skip := bytes.Index(cli, []byte("# skip uploading the secret, not managed by us"))
	activation := bytes.Index(cli, []byte(`if "activation" in phases:`))
	if skip < 0 || activation < 0 || skip > activation || !bytes.Contains(cli[skip:activation], []byte("return")) {
		t.Error("sops.py: activation files are no longer skipped for a machine without <machine>-age.key")
	}
}
