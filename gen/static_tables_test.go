package gen

import (
	"reflect"
	"testing"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// TestBuiltinZshDotDir: the shell aggregate's zsh.nix writes zshDotDir out
// in full rather than naming the variable (copying a variable that holds an
// interface is init code in the wasm module), so this keeps the two equal: a
// zsh user's module and the shell aggregate must set the same dotDir.
func TestBuiltinZshDotDir(t *testing.T) {
	progs, ok := builtinPrograms("shell")
	if !ok {
		t.Fatal(`no built-in "shell" aggregate`)
	}
	found := 0
	for _, p := range progs {
		for _, b := range p.binds {
			set, ok := b.Value.(nix.Attrs)
			if !ok || !reflect.DeepEqual(b.Path, []string{"programs", "zsh"}) {
				continue
			}
			for _, inner := range set.Binds {
				if reflect.DeepEqual(inner.Path, zshDotDir.Path) {
					found++
					if !reflect.DeepEqual(inner, zshDotDir) {
						t.Errorf("%s sets %#v, zshDotDir is %#v", p.file, inner, zshDotDir)
					}
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("the shell aggregate sets programs.zsh.dotDir %d times, want once", found)
	}
}

// TestBuiltinProgramsLookup: the built-in aggregates are a slice searched by
// name (a map literal is init code); every name is found, once, with its
// files, and other names are not built in.
func TestBuiltinProgramsLookup(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range hmBuiltin {
		if seen[a.name] {
			t.Errorf("aggregate %q is listed twice", a.name)
		}
		seen[a.name] = true
		progs, ok := builtinPrograms(a.name)
		if !ok || len(progs) == 0 || progs[0].file != a.progs[0].file {
			t.Errorf("builtinPrograms(%q) = %v, %v", a.name, progs, ok)
		}
	}
	for _, name := range []string{"", "custom", "Core", "shell "} {
		if _, ok := builtinPrograms(name); ok {
			t.Errorf("builtinPrograms(%q) found a built-in aggregate", name)
		}
	}
}
