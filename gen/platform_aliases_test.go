package gen_test

import (
	"strings"
	"testing"
)

// TestNoDeprecatedStdenvPlatformAliases: the generated modules ask
// stdenv.hostPlatform for the platform. nixpkgs deprecated the
// stdenv.isDarwin/isLinux shorthands (they warn when evaluated), and the
// pinned home-manager no longer uses them.
func TestNoDeprecatedStdenvPlatformAliases(t *testing.T) {
	for _, ex := range examples {
		_, files := generateExample(t, ex.name)
		for _, f := range files {
			for _, alias := range []string{"stdenv.isDarwin", "stdenv.isLinux"} {
				if strings.HasSuffix(f.Path, ".nix") && strings.Contains(string(f.Data), alias) {
					t.Errorf("%s: %s uses %s; use stdenv.hostPlatform", ex.name, f.Path, alias)
				}
			}
		}
	}
}
