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

// TestStaticTablesHaveUniqueKeys: inputTable, listLimits and hmBuiltin are
// slices searched by key rather than map literals (a map literal is init
// code in the wasm module). A map literal refused a duplicate key at
// compile time; a slice would silently let the first entry shadow the
// second, so this refuses it instead.
func TestStaticTablesHaveUniqueKeys(t *testing.T) {
	var inputs, limits, aggregates []string
	for _, in := range inputTable {
		inputs = append(inputs, in.name)
	}
	for _, l := range listLimits {
		limits = append(limits, l.path)
	}
	for _, a := range hmBuiltin {
		aggregates = append(aggregates, a.name)
	}
	for _, tc := range []struct {
		table string
		keys  []string
	}{{"inputTable", inputs}, {"listLimits", limits}, {"hmBuiltin", aggregates}} {
		seen := map[string]bool{}
		for _, k := range tc.keys {
			if k == "" || seen[k] {
				t.Errorf("%s: key %q is empty or listed twice", tc.table, k)
			}
			seen[k] = true
		}
	}
}

// TestTableLookups: each lookup finds every entry of its table with the
// entry's own values, and nothing for other keys.
func TestTableLookups(t *testing.T) {
	for _, want := range inputTable {
		got, ok := fixedInput(want.name)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("fixedInput(%q) = %+v, %v; want %+v", want.name, got, ok, want)
		}
	}
	for _, want := range listLimits {
		if got, ok := listLimit(want.path); !ok || got != want.max {
			t.Errorf("listLimit(%q) = %d, %v; want %d", want.path, got, ok, want.max)
		}
	}
	for _, key := range []string{"", "machines[]", "Machines", "my-overlay"} {
		if _, ok := fixedInput(key); ok {
			t.Errorf("fixedInput(%q) found an entry", key)
		}
		if _, ok := listLimit(key); ok {
			t.Errorf("listLimit(%q) found an entry", key)
		}
	}
}

// TestMinListLimit: the decoder looks a list up in listLimits only when it
// is longer than minListLimit, so that constant must not exceed any limit.
func TestMinListLimit(t *testing.T) {
	least := listLimits[0].max
	for _, l := range listLimits {
		least = min(least, l.max)
	}
	if least != minListLimit {
		t.Errorf("the smallest list limit is %d, minListLimit is %d", least, minListLimit)
	}
}
