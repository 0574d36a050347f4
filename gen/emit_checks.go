package gen

import (
	"slices"
	"strconv"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// Pattern 8: the test harness. Each category is a file under modules/checks/
// emitted only when its toggle is on. `nix flake check --no-build`
// evaluates every check derivation (catching evaluation errors) but runs
// none; `nix flake check` builds them, which runs the nix-unit tests (inside
// the nix-unit check's build), the validation scripts and the VM tests.

// checksPattern is pattern 8, the test harness: nix-unit tests gathered
// from every pattern, validation scripts, VM tests.
var checksPattern = pattern{
	name: "test-harness", page: true,
	inputs: func(s *fleet) []string {
		if s.Checks.NixUnit {
			return []string{inNixUnit}
		}
		return nil
	},
	bootstrap: checksBootstrap,
	emit:      emitChecks,
}

func emitChecks(b *build) {
	s := b.spec
	if s.Checks.NixUnit {
		b.addNix("modules/checks/nix-unit.nix", checksNixUnitFile(s))
	}
	if s.Checks.Integration && hasClass(s, classNixOS) {
		b.addNix("modules/checks/integration.nix", checksIntegrationFile(s))
	}
	if s.Checks.Validation {
		b.addNix("modules/checks/validation.nix", checksValidationFile(s))
	}
	if s.Checks.Performance {
		b.add("modules/checks/performance.nix", fixedChecksPerformance)
	}
}

// sortedNames returns the names of ms, sorted (what builtins.attrNames gives).
func sortedNames(ms []*machine) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	slices.Sort(out)
	return out
}

// unitTest is one nix-unit test { expr; expected; } with a comment.
func unitTest(name, comment string, expr, expected nix.Expr) nix.Binding {
	return nix.Binding{
		Comment: []string{comment},
		Path:    []string{name},
		Value:   nix.Set(nix.Bind(expr, "expr"), nix.Bind(expected, "expected")),
	}
}

// missingFrom is `builtins.filter (n: !(builtins.hasAttr n <set>)) [ names ]`:
// expected to be [ ], and when it is not the failure lists what is missing.
func missingFrom(set nix.Expr, names []string) nix.Expr {
	has := nix.Call(nix.Sel(nix.Ident("builtins"), "hasAttr"), nix.Ident("n"), set)
	return nix.Call(nix.Sel(nix.Ident("builtins"), "filter"), nix.Lambda{Param: "n", Body: nix.Not{X: has}}, nix.Strs(names...))
}

// selfModules is self.modules.<class>.
func selfModules(name string) nix.Expr { return nix.Sel(nix.Ident("self"), "modules", name) }

func checksNixUnitFile(s *fleet) nix.File {
	var tests []nix.Binding
	for _, p := range patterns {
		if p.tests != nil {
			tests = append(tests, p.tests(s)...)
		}
	}
	return nix.File{
		Header: []string{
			"Evaluation tests (nix-unit). They run inside the checks.<system>.nix-unit build:",
			"`nix flake check`, or alone with `nix build .#checks.<system>.nix-unit`",
			"(`nix flake check --no-build` only evaluates that derivation, it runs no test).",
			"They check the shape of the flake, not the machines' full configurations.",
		},
		Body: nix.Module([]string{"config", "inputs", "self"}, nix.Set(
			nix.Bind(nix.List{ref("inputs.nix-unit.modules.flake.default")}, "imports"),
			nix.Bind(nix.Module([]string{"pkgs"}, nix.Set(
				// nix-unit lib/modules.nix: nix-unit.package defaults to the
				// nix-unit flake's own packages.<system>.nix-unit, built from
				// source (nixComponents of the followed nixpkgs); nixpkgs
				// has it as pkgs/by-name/ni/nix-unit, which Hydra builds.
				nix.Binding{
					Comment: []string{"nixpkgs' nix-unit, from the binary cache: the module's default is the nix-unit",
						"flake's own package, which the first check would compile."},
					Path:  []string{"nix-unit", "package"},
					Value: ref("pkgs.nix-unit"),
				},
				// nix-unit lib/modules/flake/system.nix: the check runs
				// nix-unit in the build sandbox with --override-input for
				// each entry of nix-unit.inputs only; allowNetwork makes it a
				// fixed-output build, which may fetch. self is the flake
				// itself, not an input to override (nix-unit's own example
				// and clan-core's lib/flake-inputs.nix leave it out).
				nix.Binding{
					Comment: []string{
						"The test derivation evaluates the flake in the build sandbox. The flake's inputs",
						"are passed in as store paths; their own inputs (clan-core's systems, nix-select,",
						"data-mesher, …) are only in flake.lock, so the check may fetch them.",
					},
					Path:  []string{"nix-unit", "inputs"},
					Value: nix.Call(ref("builtins.removeAttrs"), nix.Ident("inputs"), nix.Strs("self")),
				},
				nix.Bind(nix.Bool(true), "nix-unit", "allowNetwork"),
				nix.Bind(nix.Set(tests...), "nix-unit", "tests"),
			)), "perSystem"),
		)),
	}
}

// overlayLayerKeys returns the nixpkgsOverlayLayers keys emit_overlays
// defines for s, sorted.
func overlayLayerKeys(s *fleet) []string {
	keys := []string{layerChannels, layerHotfixes, layerOverrides}
	if len(s.Overlays.FlakeOverlays) > 0 {
		keys = append(keys, layerFlakeInputs)
	}
	slices.Sort(keys)
	return keys
}

// integrationScript is the Python test run in each VM; it names no machine,
// so no fleet text is pasted into code.
const integrationScript = `start_all()
for m in machines:
    m.wait_for_unit("sshd.service")
    m.wait_for_open_port(22)
    hostname = m.succeed("hostname").strip()
    assert hostname == m.name, f"hostname is {hostname!r}, expected {m.name!r}"
`

func checksIntegrationFile(s *fleet) nix.File {
	var checks []nix.Binding
	for _, m := range machinesOf(s, classNixOS) {
		name := "integration-" + m.Name
		checks = append(checks, nix.Bind(nix.Call(ref("pkgs.testers.runNixOSTest"), nix.Set(
			nix.Bind(nix.Str(name), "name"),
			nix.Bind(nix.Set(
				nix.Bind(nix.Bool(true), "services", "openssh", "enable"),
				nix.Bind(nix.Str(m.Name), "networking", "hostName"),
			), "nodes", m.Name),
			nix.Bind(nix.Str(integrationScript), "testScript"),
		)), name))
	}
	return nix.File{
		Header: []string{
			"VM tests (Linux with KVM only, built by `nix flake check`, skipped by --no-build).",
			"Kept light on purpose: each boots a small VM with the machine's hostname and sshd",
			"and checks both, not the machine's full configuration (that needs its clan vars",
			"and disks). Extend a test's node with more of the machine's settings as needed.",
		},
		Body: nix.Module([]string{"lib"}, nix.Set(
			nix.Bind(nix.Module([]string{"pkgs"}, nix.Set(
				nix.Bind(nix.Call(ref("lib.optionalAttrs"), ref("pkgs.stdenv.hostPlatform.isLinux"), nix.Set(checks...)), "checks"),
			)), "perSystem"),
		)),
	}
}

// validationSopsScript checks that the clan keyring (sops/users/*/key.json)
// and the .sops.yaml anchors agree: every keyring key is anchored as &<name>
// or &<name>-user, or for a second or later key &<name>-2, &<name>-user-3
// (anchorsFor), and every &<u>-user[-N] anchor of a user in the keyring is
// one of that user's keys (users outside the keyring only have the anchor). Names are
// [a-z0-9_-] and keys bech32, so they are safe inside grep -E patterns.
const validationSopsScript = `
fail=0
if [ ! -e "$src/.sops.yaml" ]; then
  echo "no .sops.yaml in the repository: nothing to compare"
  touch "$out"
  exit 0
fi
for dir in "$src"/sops/users/*/; do
  name=$(basename "$dir")
  for key in $(jq -r '.[].publickey' "$dir/key.json"); do
    if ! grep -Eq "&($name|$name-user)(-[0-9]+)?[[:space:]]+$key([[:space:]]|$)" "$src/.sops.yaml"; then
      echo "sops/users/$name/key.json has $key, but .sops.yaml has no &$name or &$name-user anchor with it" >&2
      fail=1
    fi
  done
done
while read -r name key; do
  file="$src/sops/users/$name/key.json"
  # Only admins are in the clan keyring; other users have an anchor alone.
  [ -e "$file" ] || continue
  if ! jq -e --arg k "$key" 'any(.[]; .publickey == $k)' "$file" >/dev/null; then
    echo ".sops.yaml anchor &$name-user is $key, but sops/users/$name/key.json does not list it" >&2
    fail=1
  fi
done < <(sed -nE 's/.*&([a-z0-9_-]+)-user(-[0-9]+)?[[:space:]]+(age1[0-9a-z]+).*/\1 \3/p' "$src/.sops.yaml")
if [ "$fail" -ne 0 ]; then exit 1; fi
touch "$out"
`

func checksValidationFile(s *fleet) nix.File {
	checks := []nix.Binding{checksNamingBinding}
	if names := homeConfigNames(s); len(names) > 0 {
		checks = append(checks, nix.Binding{
			Comment: []string{"Every standalone home configuration of fleet.json is exposed."},
			Path:    []string{"validation-home-configurations"},
			Value: nix.Call(nix.Ident("report"), nix.Str("validation-home-configurations"),
				nix.Call(ref("map"), nix.Lambda{Param: "n", Body: nix.Interp(`homeConfigurations."`, nix.Ident("n"), `" is missing`)},
					missingFrom(nix.SelectOr{X: nix.Ident("self"), Attrs: []string{"homeConfigurations"}, Default: nix.Set()}, names))),
		})
	}
	checks = append(checks, checksSopsKeysBinding)
	header := []string{
		"Structural checks (pkgs.runCommand): naming, exposed home configurations, and",
		"agreement between .sops.yaml and the clan keyring.",
	}
	if hasClass(s, classDarwin) {
		checks = append(checks, checksDarwinBinding)
		header = []string{
			"Structural checks (pkgs.runCommand): naming, exposed home configurations,",
			"agreement between .sops.yaml and the clan keyring, and the Macs' configurations.",
		}
	}
	return nix.File{
		Header: header,
		Body: nix.Module([]string{"self"}, nix.Set(
			nix.Bind(nix.Module([]string{"pkgs", "lib"}, nix.Let{
				Binds: []nix.Binding{checksReportBinding},
				Body:  nix.Set(nix.Bind(nix.Set(checks...), "checks")),
			}), "perSystem"),
		)),
	}
}

// The parts of checksValidationFile no spec value changes, as static data
// (composite literals, not calls rebuilding them at every generation).
var (
	checksNamingBinding = nix.Binding{
		Comment: []string{"Machine names double as hostnames, vars directories and Terraform keys."},
		Path:    []string{"validation-naming"},
		Value: nix.Apply{Fn: nix.Ident("report"), Args: []nix.Expr{
			&nix.String{Parts: []nix.Part{{Text: "validation-naming"}}},
			nix.Apply{Fn: nix.Ident("map"), Args: []nix.Expr{
				nix.Lambda{Param: "n", Body: nix.String{Parts: []nix.Part{{Text: "machine name '"}, {Expr: nix.Ident("n")}, {Text: "' does not match ^[a-z0-9-]+$"}}}},
				nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"filter"}}, Args: []nix.Expr{
					nix.Lambda{Param: "n", Body: nix.BinOp{Op: "==", L: nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"match"}}, Args: []nix.Expr{
						&nix.String{Parts: []nix.Part{{Text: "[a-z0-9-]+"}}}, nix.Ident("n"),
					}}, R: nix.Null{}}},
					nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"attrNames"}}, Args: []nix.Expr{
						nix.Select{X: nix.Ident("self"), Attrs: []string{"clan", "inventory", "machines"}},
					}},
				}},
			}},
		}},
	}
	checksSopsKeysBinding = nix.Binding{
		Comment: []string{"The age keys in .sops.yaml are the clan keyring's (sops/users/*/key.json)."},
		Path:    []string{"validation-sops-keys"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"runCommand"}}, Args: []nix.Expr{
			&nix.String{Parts: []nix.Part{{Text: "validation-sops-keys"}}},
			nix.Attrs{Binds: []nix.Binding{{Path: []string{"nativeBuildInputs"}, Value: nix.List{nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"jq"}}}}}},
			nix.String{Parts: []nix.Part{{Text: "shopt -s nullglob\nsrc="}, {Expr: nix.Ident("self")}, {Text: validationSopsScript}}},
		}},
	}
	// Nix's flake check forces the toplevel of every nixosConfigurations
	// entry (src/nix/flake.cc) but knows no darwinConfigurations: this
	// forces each Mac's config.system.build.toplevel.drvPath, which
	// evaluates the whole configuration and nix-darwin's assertions
	// (modules/system: toplevel throws on a failed one), and builds nothing
	// for macOS. clan's vars need not exist: it skips the missing ones
	// (clanCore/vars/secret/sops/generators-to-sops.nix, pathExists).
	checksDarwinBinding = nix.Binding{
		Comment: []string{
			"Every Mac's configuration evaluates, nix-darwin's assertions included: `nix flake check`",
			"evaluates no darwinConfigurations by itself. Nothing is built for macOS.",
		},
		Path: []string{"validation-darwin"},
		Value: nix.Apply{Fn: nix.Ident("report"), Args: []nix.Expr{
			&nix.String{Parts: []nix.Part{{Text: "validation-darwin"}}},
			nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"concatLists"}}, Args: []nix.Expr{
				nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mapAttrsToList"}}, Args: []nix.Expr{
					nix.Lambda{Param: "name", Body: nix.Lambda{Param: "c", Body: nix.Apply{
						Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"addErrorContext"}},
						Args: []nix.Expr{
							nix.String{Parts: []nix.Part{{Text: "while evaluating the Mac "}, {Expr: nix.Ident("name")}}},
							nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"seq"}}, Args: []nix.Expr{
								nix.Select{X: nix.Ident("c"), Attrs: []string{"config", "system", "build", "toplevel", "drvPath"}},
								nix.List{},
							}},
						},
					}}},
					nix.Select{X: nix.Ident("self"), Attrs: []string{"darwinConfigurations"}},
				}},
			}},
		}},
	}
	checksReportBinding = nix.Binding{
		Comment: []string{"A check that passes when failures is [ ] and otherwise prints each failure."},
		Path:    []string{"report"},
		Value: nix.Lambda{Param: "name", Body: nix.Lambda{Param: "failures", Body: nix.Apply{
			Fn: nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"runCommand"}},
			Args: []nix.Expr{nix.Ident("name"), nix.Attrs{}, nix.If{
				Cond: nix.BinOp{Op: "==", L: nix.Ident("failures"), R: nix.List{}},
				Then: &nix.String{Parts: []nix.Part{{Text: "touch $out"}}},
				Else: nix.String{Parts: []nix.Part{
					{Text: "printf '%s\\n' "},
					{Expr: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"escapeShellArgs"}}, Args: []nix.Expr{nix.Ident("failures")}}},
					{Text: " >&2; exit 1"},
				}},
			}},
		}}},
	}
)

// checksBootstrap: running the checks. It lists only the checks this
// repository has: the formatting check always (treefmt-nix's flake module
// adds checks.<system>.treefmt, flake-module.nix flakeCheck), the others by
// their toggles, the VM tests only with NixOS machines. Plain lines, no
// joining or wrapping code: this runs in the size-budgeted wasm module.
func checksBootstrap(s *fleet) []readmeStep {
	vm := s.Checks.Integration && hasClass(s, classNixOS)
	return []readmeStep{{rank: stepCheck, title: "Check the flake", body: func(w *mdWriter) {
		w.WriteString("`nix flake check` builds every check of the system it runs on; `--no-build` only\n" +
			"evaluates them, and runs no test. The checks:\n" +
			"\n")
		if s.Checks.NixUnit {
			w.line("- the nix-unit tests (they run inside the `nix-unit` check's build)")
		}
		if s.Checks.Validation && hasClass(s, classDarwin) {
			w.line("- the validation scripts, one of which evaluates every Mac's configuration (`validation-darwin`:\n" +
				"  nix-darwin's own assertions run, nothing is built for macOS)")
		} else if s.Checks.Validation {
			w.line("- the validation scripts")
		}
		// nixpkgs' nixfmt, whatever version the lock has: Fleetyard prints for
		// 1.4.0 and the layouts 1.1 to 1.3 agree on (nixfmt_test.go).
		w.line("- the formatting check (treefmt with the nixfmt of this flake's nixpkgs; should a newer\n" +
			"  nixfmt lay a file out differently, `nix fmt` rewrites it)")
		if s.Checks.Performance {
			w.line("- the performance placeholder (it measures nothing)")
		}
		// nixpkgs' nixos/lib/testing/run.nix: the test's derivation has
		// requiredSystemFeatures "nixos-test" and, on a Linux host, "kvm",
		// which Nix offers only where /dev/kvm exists.
		if vm {
			w.line("- the VM tests, on Linux with KVM only (`/dev/kvm`): a Linux machine without it (a cloud VM\n" +
				"  without nested virtualisation, a container) refuses to build them, and the whole check\n" +
				"  fails there; use `nix flake check --no-build` (evaluation only) there, and build each other\n" +
				"  check alone (`nix build .#checks.<system>.<name>`, as below)")
		}
		w.line()
		w.code("nix flake check", "nix flake check --no-build")
		// Nix's flake check (src/nix/flake.cc, checkNixOSConfiguration)
		// forces config.system.build.toplevel of every nixosConfigurations
		// entry, which evaluates the assertions; nixpkgs' ssh module asserts
		// on each programs.ssh.knownHosts key, and clan's sshd service fills
		// those from public vars, which throw "Please run `clan vars
		// generate`" until they exist (clanCore/vars/public/in_repo.nix).
		if n := len(machinesOf(s, classNixOS)); n > 0 {
			w.line("Both also evaluate every NixOS machine (", strconv.Itoa(n), " here), in one process: they need")
			w.WriteString("`clan vars generate` to have run for all of them (a machine without its vars stops the\n" +
				"check with \"Please run `clan vars generate`\"), and a large fleet takes minutes and\n" +
				"gigabytes of memory. One check alone needs neither:\n" +
				"\n")
			w.code("nix build .#checks.$(nix eval --impure --raw --expr builtins.currentSystem).treefmt   # the formatting check")
		}
	}}}
}
