package gen

// Tests of the home-manager-aggregates pattern (emit_home.go): aggregates,
// user modules and standalone configurations.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

const pathHomeConfigs = "modules/home/configurations.nix"

func TestHomeConfigurationNames(t *testing.T) {
	s := exampleSpec(t, "seed")
	want := []string{"crs58@aarch64-darwin", "crs58@x86_64-linux", "raquel@aarch64-darwin"}
	if got := homeConfigNames(model(s)); !reflect.DeepEqual(got, want) {
		t.Errorf("homeConfigNames = %v, want %v", got, want)
	}
	// Evaluate configurations.nix with stand-ins: each module name maps to
	// itself, homeManagerConfiguration returns what it was given.
	files := runEmitters(t, s, featureEmitters)
	var mods []string
	for _, u := range model(s).Users {
		mods = append(mods, homeUserModules(u)...)
	}
	var hm strings.Builder
	for _, m := range sortedUnique(mods) {
		q, _ := json.Marshal(m)
		hm.WriteString(string(q) + " = " + string(q) + "; ")
	}
	// nixpkgs stands in as a function returning what it was called with:
	// config must be given, or nixpkgs' pkgs/top-level/impure.nix reads the
	// user's ~/.config/nixpkgs/config.nix under --impure.
	stub := filepath.Join(t.TempDir(), "nixpkgs.nix")
	if err := os.WriteFile(stub, []byte("args: args\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := evalNix(t, `let
  cfg = `+callModule(t, files, pathHomeConfigs, `{
    config.flake = { modules.homeManager = { `+hm.String()+` }; overlays.default = "overlay"; };
    inputs = {
      nixpkgs = `+stub+`;
      home-manager.lib.homeManagerConfiguration = a: {
        inherit (a) modules;
        pkgs = a.pkgs;
        flakeHasInputs = a.extraSpecialArgs.flake ? inputs;
      };
    };
  }`)+`;
in builtins.mapAttrs (_: c: { inherit (c) modules flakeHasInputs; }) cfg.flake.homeConfigurations
  // { pkgsArgs = cfg.flake.homeConfigurations."crs58@x86_64-linux".pkgs; }`)
	equalJSON(t, "homeConfigurations", got, `{
  "pkgsArgs": {"system": "x86_64-linux", "config": {}, "overlays": ["overlay"]},
  "crs58@aarch64-darwin": {"modules": ["users/crs58", "core", "shell", "development", "tools", "users/crs58/secrets"], "flakeHasInputs": true},
  "crs58@x86_64-linux": {"modules": ["users/crs58", "core", "shell", "development", "tools", "users/crs58/secrets"], "flakeHasInputs": true},
  "raquel@aarch64-darwin": {"modules": ["users/raquel", "core", "shell", "users/raquel/secrets"], "flakeHasInputs": true}
}`)
	if !strings.Contains(files[pathHomeConfigs], "overlays = [ config.flake.overlays.default ];") {
		t.Error("standalone pkgs do not use the fleet overlay")
	}

	// standalone = false drops the user's configurations; a fleet where no
	// one is standalone has no configurations.nix.
	no := false
	s.Users[1].Home.Standalone = &no
	if got := homeConfigNames(model(s)); !reflect.DeepEqual(got, want[:2]) {
		t.Errorf("raquel not standalone: names = %v", got)
	}
	s.Users[0].Home.Standalone = &no
	if _, ok := runEmitters(t, s, featureEmitters)[pathHomeConfigs]; ok {
		t.Error("configurations.nix emitted with no standalone user")
	}
}

// TestHomeUserModuleEval evaluates the user modules for both platforms, and
// each user's secrets module: it imports base-sops and points sops-nix at
// the user's file.
func TestHomeUserModuleEval(t *testing.T) {
	files := runEmitters(t, exampleSpec(t, "seed"), featureEmitters)
	for _, c := range []struct {
		user, darwin, want, secrets string
	}{
		{"crs58", "true", `{"home": {"username": "crs58", "homeDirectory": "/Users/crs58", "stateVersion": "25.05"},
  "programs": {"zsh": {"enable": true}, "git": {"settings": {"user": {"name": "Cameron Smith", "email": "crs58@example.org"}}}}}`,
			`{"imports": ["base-sops"], "sops": {"defaultSopsFile": "/repo/secrets/home-manager/users/crs58/secrets.yaml", "secrets": {"github-token": {}, "ssh-signing-key": {}}}}`},
		{"raquel", "false", `{"home": {"username": "raquel", "homeDirectory": "/home/raquel", "stateVersion": "25.05"},
  "programs": {"zsh": {"enable": true}, "git": {"settings": {"user": {"name": "Raquel", "email": "raquel@example.org"}}}}}`,
			`{"imports": ["base-sops"], "sops": {"defaultSopsFile": "/repo/secrets/home-manager/users/raquel/secrets.yaml", "secrets": {"github-token": {}}}}`},
	} {
		home := map[string]string{"true": "/Users/" + c.user, "false": "/home/" + c.user}[c.darwin]
		got := evalNix(t, `let lib = `+nixLib+`; in (`+callModule(t, files, "modules/home/users/"+c.user+"/default.nix", `{ }`)+
			`).flake.modules.homeManager."users/`+c.user+`" { inherit lib; pkgs.stdenv.hostPlatform.isDarwin = `+c.darwin+`; config.home.homeDirectory = "`+home+`"; }`)
		equalJSON(t, c.user, got, c.want)
		got = evalNix(t, `(`+callModule(t, files, "modules/home/users/"+c.user+"/secrets.nix", `{ self = "/repo"; config.flake.modules.homeManager.base-sops = "base-sops"; }`)+
			`).flake.modules.homeManager."users/`+c.user+`/secrets"`)
		equalJSON(t, c.user+" secrets", got, c.secrets)
	}
}

// TestHomeAggregates: exactly the aggregates users use are defined, each by
// its own files; unknown names get a stub under custom/ with a safe file
// name and the name kept as an attribute.
func TestHomeAggregates(t *testing.T) {
	s := exampleSpec(t, "seed")
	s.Users[1].Home.Aggregates = []string{"core", `My "AI"/../tools`, "terminal"}
	files := runEmitters(t, s, featureEmitters)
	defined := map[string]bool{}
	for p := range files {
		if !strings.HasPrefix(p, "modules/home/") || strings.HasPrefix(p, "modules/home/users/") || p == pathHomeConfigs {
			continue
		}
		got := evalNix(t, `builtins.attrNames (`+callModule(t, files, p, `{ inputs = { }; }`)+`).flake.modules.homeManager`)
		for _, n := range got.([]any) {
			defined[n.(string)] = true
		}
	}
	var names []string
	for n := range defined {
		names = append(names, n)
	}
	sort.Strings(names)
	// base-sops comes from emit_secrets.go, not from these emitters.
	want := []string{`My "AI"/../tools`, "core", "development", "shell", "terminal", "tools"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("defined home-manager modules = %q, want %q", names, want)
	}
	if _, ok := files["modules/home/custom/my-ai-tools.nix"]; !ok {
		t.Errorf("custom aggregate file missing; have %v", paths(files, "modules/home/custom/"))
	}
	// The minimal fleet has no users, hence no home-manager at all.
	if got := paths(runEmitters(t, exampleSpec(t, "minimal"), featureEmitters), "modules/home/"); len(got) != 0 {
		t.Errorf("minimal: emitted %v", got)
	}
}

func TestHmSlug(t *testing.T) {
	for in, want := range map[string]string{
		"ai": "ai", "My AI": "my-ai", "../../etc": "etc", "": "aggregate", "日本": "aggregate", "a--b__c": "a-b-c",
	} {
		if got := hmSlug(in); got != want {
			t.Errorf("hmSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestZshDotDirDefinedOnce: programs.zsh.dotDir is types.nullOr types.str in
// home-manager (modules/programs/zsh/default.nix), so two definitions of it merge only while
// they are equal, and an owner who edits one of them gets "conflicting
// definition values". Each user's home therefore defines it exactly once
// wherever zsh is enabled for them (their login shell is zsh, or they have
// the shell aggregate, whose zsh.nix enables it) and never elsewhere.
func TestZshDotDirDefinedOnce(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		shell      string
		aggregates []string
	}{
		// Not empty: an empty list gets the default aggregates, shell among them.
		{"zsh", []string{"core", "shell"}},
		{"zsh", []string{"core"}},
		{"zsh", []string{"development", "tools"}},
		{"bash", []string{"shell"}},
		{"bash", []string{"core"}},
	} {
		var doc map[string]any
		json.Unmarshal(data, &doc)
		u := doc["users"].([]any)[0].(map[string]any)
		u["shell"] = c.shell
		u["home"].(map[string]any)["aggregates"] = c.aggregates
		text, _ := json.Marshal(doc)
		files := runEmitters(t, parseSpec(t, text), featureEmitters)
		defs := strings.Count(files["modules/home/users/crs58/default.nix"], "dotDir =")
		if slices.Contains(c.aggregates, "shell") {
			defs += strings.Count(files["modules/home/shell/zsh.nix"], "dotDir =")
		}
		want := 0
		if c.shell == "zsh" || slices.Contains(c.aggregates, "shell") {
			want = 1
		}
		if defs != want {
			t.Errorf("shell %s, aggregates %v: programs.zsh.dotDir defined %d times for crs58, want %d", c.shell, c.aggregates, defs, want)
		}
	}
}
