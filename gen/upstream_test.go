package gen_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/internal/nixtest"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// writeRepo writes files under a fresh directory and returns its path.
func writeRepo(t testing.TB, files []gen.File) string {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "repo")
	for _, f := range files {
		p := filepath.Join(repo, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// TestUpstreamInterfaces evaluates every example's repository with the
// shared check-repo.sh: the flake-parts tree against clan-core's real
// inventory, meta and service-role interfaces, and every darwin machine and
// home-manager user through nix-darwin's and home-manager's own module
// lists (sops-nix included). An unknown option, a wrong type, a failed
// assertion or any module warning fails the test.
func TestUpstreamInterfaces(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			_, files := generateExample(t, ex.name)
			checkUpstream(t, files)
		})
	}
}

// TestUpstreamInterfacesCombinations does the same for the specs in
// testdata/combos: shapes the three examples do not have (a fleet of Macs
// only, NixOS only, keys of every kind with several per person, every
// generator option, every overlay layer, hostile text in every free-text
// field, Hetzner servers of both architectures in several locations). They
// are kept from a hunt over about 95 combinations that found repositories
// which parsed but would not evaluate or check; each also parses with
// nix-instantiate here.
func TestUpstreamInterfacesCombinations(t *testing.T) {
	specs, _ := filepath.Glob(filepath.Join("testdata", "combos", "*.json"))
	if len(specs) == 0 {
		t.Fatal("no testdata/combos/*.json")
	}
	for _, p := range specs {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".json"), func(t *testing.T) {
			_, files := generateFile(t, p)
			repo := checkUpstream(t, files)
			var nixFiles []string
			for _, f := range files {
				if strings.HasSuffix(f.Path, ".nix") {
					nixFiles = append(nixFiles, filepath.Join(repo, filepath.FromSlash(f.Path)))
				}
			}
			if _, errOut, err := nixtest.Run(t, append([]string{"--parse"}, nixFiles...)...); err != nil {
				t.Errorf("nix-instantiate --parse: %v\n%s", err, tail(string(errOut), 2000))
			}
		})
	}
}

// checkUpstream writes files as a repository, runs check-repo.sh on it and
// reports every problem it prints; it returns the repository's path.
func checkUpstream(t *testing.T, files []gen.File) string {
	t.Helper()
	tooltest.Require(t, "nix-instantiate", tooltest.InstallNix)
	bash := tooltest.Require(t, "bash", tooltest.InstallBash)
	script := filepath.Join(tooltest.Shared(t), "tools", "nix-eval", "check-repo.sh")
	up := filepath.Join(os.TempDir(), "fleetyard-upstream")
	repo := writeRepo(t, files)
	cmd := exec.Command(bash, script, repo)
	cmd.Env = append(os.Environ(), "FLEETYARD_UPSTREAM="+up)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("check-repo.sh: %v\n%s", err, tail(errb.String(), 4000))
	}
	for _, p := range upstreamProblems(t, out.Bytes()) {
		t.Error(p)
	}
	return repo
}

// upstreamProblems decodes check-repo.sh's JSON documents and lists every
// non-empty "warnings" or "failed" array, with the path to it.
func upstreamProblems(t *testing.T, out []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bufio.NewReader(bytes.NewReader(out)))
	var problems []string
	docs := 0
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			// The summary line after the last document ("options-eval: ok").
			break
		}
		docs++
		walkJSON("", v, func(path string, key string, val any) {
			if key != "warnings" && key != "failed" {
				return
			}
			if arr, ok := val.([]any); ok && len(arr) > 0 {
				for _, a := range arr {
					problems = append(problems, fmt.Sprintf("%s: %v", path, a))
				}
			}
		})
	}
	if docs < 2 {
		t.Fatalf("check-repo.sh printed %d JSON documents, want 2:\n%s", docs, tail(string(out), 2000))
	}
	sort.Strings(problems)
	return problems
}

func walkJSON(path string, v any, visit func(path, key string, val any)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + "." + k
			visit(p, k, x[k])
			walkJSON(p, x[k], visit)
		}
	case []any:
		for i, e := range x {
			walkJSON(fmt.Sprintf("%s[%d]", path, i), e, visit)
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// TestInputPinsMatchUpstream: the revisions flake.nix pins are the ones
// check-repo.sh evaluates against (shared/upstream/PINS.tsv), so a user's
// first `nix flake check` sees the interfaces CI checked.
func TestInputPinsMatchUpstream(t *testing.T) {
	pins, err := os.ReadFile(filepath.Join(tooltest.Shared(t), "upstream", "PINS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	_, files := generateExample(t, "seed")
	var flake string
	for _, f := range files {
		if f.Path == "flake.nix" {
			flake = string(f.Data)
		}
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(pins)), "\n") {
		fields := strings.Split(line, "\t")
		if len(fields) != 3 {
			t.Fatalf("PINS.tsv line %q: want name, repository, commit", line)
		}
		name, repo, commit := fields[0], fields[1], fields[2]
		switch name {
		case "nixpkgs-lib", "nixfmt":
			continue // flake-parts follows our nixpkgs; nixfmt is a test tool
		case "clan-core":
			want := "https://git.clan.lol/clan/clan-core/archive/" + commit + ".tar.gz"
			if !strings.Contains(flake, `"`+want+`"`) {
				t.Errorf("flake.nix does not pin clan-core to %s", want)
			}
		default:
			want := "github:" + repo + "/" + commit
			if !strings.Contains(flake, `"`+want+`"`) {
				t.Errorf("flake.nix does not pin %s to %s", name, want)
			}
		}
		checked++
	}
	if checked < 6 {
		t.Errorf("checked %d pins, want the 6 flake inputs of PINS.tsv", checked)
	}
}
