package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fleetyard/fleetyard/internal/nixtest"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// Helpers shared by the package's white-box tests: one family for every
// emitter's test file (emit_<pattern>_test.go).
//
// Emitter tests run the emitters alone (runEmitters, not Generate), so they
// test exactly those files and no other pattern's state, then check the
// Nix they wrote with the real nix-instantiate: parsed, and where it can be
// done without nixpkgs (not available offline), evaluated with small
// builtins-only stand-ins for lib, pkgs and inputs (evalNix, nixLib).

// exampleNames are the examples under content/examples/ every emitter is
// tried on.
var exampleNames = []string{"minimal", "seed", "large"}

// wiringEmitters write the repository's structure (skeleton, clan, machines,
// base, darwin multi-user, zerotier), in Generate's order.
var wiringEmitters = []func(*build){emitSkeleton, emitClan, emitMachines, emitBase, emitDarwin, emitZerotier}

// featureEmitters write the optional patterns (overlays, home-manager,
// terranix, checks) and the README, in Generate's order.
var featureEmitters = []func(*build){emitOverlays, emitHome, emitTerranix, emitChecks, emitReadme}

// featurePrefixes are the paths featureEmitters own.
var featurePrefixes = []string{"modules/nixpkgs/", "pkgs/by-name/", "modules/home/", "modules/terranix/", "modules/checks/", "README.md"}

// plainEmitters are every emitter but emitSecrets (which needs Options'
// entropy for its stubs) and emitManifest.
var plainEmitters = append(append([]func(*build){}, wiringEmitters...), featureEmitters...)

// exampleSpec parses content/examples/<name>.json, failing the test on any
// error diagnostic.
func exampleSpec(t testing.TB, name string) *Spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return parseSpec(t, data)
}

// parseSpec parses data with Parse, failing the test on any error
// diagnostic. Every valid fleet has an admin; emitter tests are about other
// fields, so a spec written without one gets the fixture admin.
func parseSpec(t testing.TB, data []byte) *Spec {
	t.Helper()
	if !bytes.Contains(data, []byte(`"admins"`)) && !bytes.Contains(data, []byte(`"admin":true`)) {
		data = append([]byte(`{`+adm), bytes.TrimPrefix(bytes.TrimSpace(data), []byte("{"))...)
	}
	s, diags := Parse(data)
	if s == nil || HasErrors(diags) {
		t.Fatalf("spec does not parse: %+v", diags)
	}
	return s.Spec()
}

// model normalizes s in place and resolves it, as Parse does, without
// validating: tests that build or edit a spec in Go go through it.
func model(s *Spec) *fleet {
	normalize(s)
	return resolve(s, nil)
}

// fleetOf is model for the public API.
func fleetOf(s *Spec) *Fleet { return &Fleet{m: model(s)} }

// runEmitters runs emitters in order on s and returns path -> contents.
func runEmitters(t testing.TB, s *Spec, emitters []func(*build)) map[string]string {
	t.Helper()
	b := &build{spec: model(s), files: map[string]File{}}
	for _, e := range emitters {
		e(b)
		if b.err != nil {
			t.Fatalf("emit: %v", b.err)
		}
	}
	out := map[string]string{}
	for p, f := range b.files {
		out[p] = string(f.Data)
	}
	return out
}

// paths lists the paths of files that start with prefix ("" for all),
// sorted.
func paths(files map[string]string, prefix string) []string {
	var out []string
	for p := range files {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// evalNix evaluates expr strictly with nix-instantiate and decodes the JSON
// result.
func evalNix(t testing.TB, expr string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(nixtest.EvalJSON(t, expr), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// equalJSON compares a decoded JSON value (an evalNix result) with a JSON
// literal.
func equalJSON(t testing.TB, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("%s:\n got %s\nwant %s", what, g, want)
	}
}

// nixExpr wraps Nix source in parentheses so it can be embedded in an
// expression.
func nixExpr(src string) string { return "(\n" + src + "\n)" }

// nixFile is nixExpr of a generated file, failing when it was not
// generated.
func nixFile(t testing.TB, files map[string]string, path string) string {
	t.Helper()
	src, ok := files[path]
	if !ok {
		t.Fatalf("%s was not generated", path)
	}
	return nixExpr(src)
}

// callModule applies a flake-parts module file to args, or returns it when
// it is a plain attribute set.
func callModule(t testing.TB, files map[string]string, path, args string) string {
	t.Helper()
	return "(let m = " + nixFile(t, files, path) + "; in if builtins.isFunction m then m " + args + " else m)"
}

// nixLib is a builtins-only stand-in for the parts of nixpkgs' lib the
// generated modules use, with the same semantics except escapeShellArg,
// which does not escape single quotes inside its argument (no test passes
// one through it where that would change the result; the validation
// checks' failure messages are read unescaped).
const nixLib = `rec {
  mkOption = o: o;
  mkDefault = x: x;
  mkAfter = x: x;
  types = { attrsOf = t: t; listOf = t: t; raw = "raw"; };
  concatLists = builtins.concatLists;
  concatMap = builtins.concatMap;
  mapAttrsToList = f: set: map (n: f n set.${n}) (builtins.attrNames set);
  attrValues = builtins.attrValues;
  elem = builtins.elem;
  optional = c: x: if c then [ x ] else [ ];
  optionalAttrs = c: s: if c then s else { };
  throwIf = c: msg: x: if c then throw msg else x;
  trim = s: let m = builtins.match "[[:space:]]*(.*[^[:space:]])[[:space:]]*" s; in if m == null then "" else builtins.head m;
  getAttrs = names: set: builtins.listToAttrs (map (n: { name = n; value = set.${n}; }) names);
  filterAttrs = pred: set: builtins.listToAttrs (map (n: { name = n; value = set.${n}; })
    (builtins.filter (n: pred n set.${n}) (builtins.attrNames set)));
  mapAttrs = builtins.mapAttrs;
  mapAttrs' = f: set: builtins.listToAttrs (map (n: f n set.${n}) (builtins.attrNames set));
  nameValuePair = name: value: { inherit name value; };
  escapeShellArg = s: "'" + s + "'";
  escapeShellArgs = l: builtins.concatStringsSep " " (map escapeShellArg l);
  getExe = d: "/bin/" + d.name;
  platforms.all = [ "all" ];
  composeExtensions = f: g: final: prev: let fp = f final prev; in fp // g final (prev // fp);
  composeManyExtensions = builtins.foldl' composeExtensions (final: prev: { });
}`

// writeFile writes data to path, creating its directory.
func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeExe writes an executable shell script to path.
func writeExe(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// runBash runs script with bash -euo pipefail, PATH set to dir then the
// system's, HOME to dir, and env added; it returns stdout+stderr and the
// error.
func runBash(t *testing.T, dir, script string, env ...string) (string, error) {
	t.Helper()
	bash := tooltest.Require(t, "bash", tooltest.InstallBash)
	cmd := exec.Command(bash, "-euo", "pipefail", "-c", script)
	cmd.Env = append([]string{"PATH=" + dir + ":/usr/bin:/bin", "HOME=" + dir}, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// fixtureKey is a throwaway test identity: its age recipient and identity.
type fixtureKey struct{ Recipient, Identity string }

// fixtureKeys reads testdata/secrets/age-identities.tsv: name -> key.
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

// secretsOptions are fixed entropy and time, for stubs that are the same on
// every run.
func secretsOptions() Options {
	e := make([]byte, 32)
	for i := range e {
		e[i] = byte(0xA0 + i)
	}
	return Options{Entropy: e, Time: time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC)}
}
