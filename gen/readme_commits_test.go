package gen

// The README's clan steps, run as a user pastes them into a fresh git
// checkout with a stand-in for clan that commits what it writes, as the
// real one does.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// readmeStepCode returns the lines of the first code block of the bootstrap
// step titled title ("### N. title"), and false when there is no such step.
func readmeStepCode(md, title string) ([]string, bool) {
	return readmeStepBlocks(md, title, false)
}

// readmeStepAllCode is the lines of every code block of step title.
func readmeStepAllCode(md, title string) ([]string, bool) {
	return readmeStepBlocks(md, title, true)
}

func readmeStepBlocks(md, title string, all bool) ([]string, bool) {
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "### ") || !strings.HasSuffix(l, ". "+title) {
			continue
		}
		var code []string
		in, found := false, false
		for _, c := range lines[i+1:] {
			switch {
			case !in && (strings.HasPrefix(c, "### ") || strings.HasPrefix(c, "## ")):
				return code, found
			case !in && strings.HasPrefix(c, "```"):
				in = true
			case in && strings.HasPrefix(c, "```"):
				if !all {
					return code, true
				}
				in, found = false, true
			case in:
				code = append(code, c)
			}
		}
		return code, found
	}
	return nil, false
}

// fakeClan stands in for clan-cli's commands the bootstrap runs before any
// machine exists. Like clan, it writes under sops/ and vars/ and commits
// what it wrote when the flake directory is a git checkout: clan-core
// pkgs/clan-cli/clan_lib/git/__init__.py (commit_files), called by
// clan_cli/secrets/groups.py (add_user), clan_cli/secrets/secrets.py
// (encrypt_secret, `clan secrets set`), clan_cli/secrets/machines.py
// (add_machine, the machine keys `clan vars generate` creates) and
// clan_lib/vars/generator.py (after each generator).
const fakeClan = `#!/bin/sh
set -e
commit() {
  [ -e .git ] || return 0
  git add -- "$@"
  git diff --cached --quiet -- "$@" || git commit -q -m "clan: $*" -- "$@"
}
case "$1 $2" in
"secrets groups")
  [ "$3" = add-user ] || exit 2
  mkdir -p "sops/groups/$4/users"
  ln -sfn "../../../users/$5" "sops/groups/$4/users/$5"
  commit "sops/groups/$4/users/$5" ;;
"secrets set")
  name=$(printf '%s\n' "$@" | tail -n 1)
  mkdir -p "sops/secrets/$name"
  cat > "sops/secrets/$name/secret"
  commit "sops/secrets/$name" ;;
"vars generate")
  mkdir -p sops/machines/m sops/secrets/m-age.key vars/per-machine/m/openssh
  echo '[{"publickey": "age1x", "type": "age"}]' > sops/machines/m/key.json
  echo enc > sops/secrets/m-age.key/secret
  commit sops/machines/m sops/secrets/m-age.key
  echo enc > vars/per-machine/m/openssh/secret
  commit vars/per-machine/m/openssh ;;
*) echo "fake clan: $*: not modelled" >&2; exit 2 ;;
esac
`

// fakeNix stands in for `nix develop`: like Nix, its first evaluation of a
// flake without a lock file writes flake.lock next to flake.nix (Nix's
// lockFlake writes the lock it computed when writeLockFile is on, the
// default), and nothing commits it.
const fakeNix = `#!/bin/sh
set -e
[ "$1" = develop ] || { echo "fake nix: $*: not modelled" >&2; exit 2; }
[ -e flake.lock ] || echo '{"nodes": {}, "root": "root", "version": 7}' > flake.lock
`

// fakeSops stands in for `sops FILE`: it opens the file in $EDITOR and
// writes it back encrypted, so the file changes and must be committed.
const fakeSops = `#!/bin/sh
set -e
[ $# -eq 1 ] && [ -f "$1" ] || { echo "fake sops: $*: not modelled" >&2; exit 2; }
sed 's/REPLACE_ME/the-real-value/' "$1" > "$1.new" && mv "$1.new" "$1"
`

// TestReadmeClanStepsCommitOnce runs the README's git step and then its
// steps up to clan vars (the dev shell, admins group, cloud secrets, home
// secrets) in the checkout it made, with stand-ins for clan, nix and sops.
// clan commits its own files (fakeClan cites where), so a README that also
// runs `git add vars sops && git commit` after `clan vars generate` fails
// there: git finds nothing to commit and exits 1. What clan does not write
// (flake.lock, the edited home secrets) the README must commit itself, or
// it stays behind as a change only this checkout has. Every step must
// succeed and leave the working tree clean.
func TestReadmeClanStepsCommitOnce(t *testing.T) {
	sh := tooltest.Require(t, "sh", tooltest.InstallSh)
	git := tooltest.Require(t, "git", tooltest.InstallGit)
	md := runEmitters(t, exampleSpec(t, "seed"), plainEmitters)["README.md"]

	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	bin := filepath.Join(dir, "bin")
	for _, d := range []string{filepath.Join(repo, "sops", "users", "admin"), bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "sops", "users", "admin", "key.json"), []byte("[]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"clan": fakeClan, "nix": fakeNix, "sops": fakeSops} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The users' home secrets, as the export has them: a value of
	// secretPlaceholder each (encryptStub).
	for _, u := range exampleSpec(t, "seed").Users {
		if len(u.Secrets) > 0 {
			writeFile(t, filepath.Join(repo, userSecretsFile(u.Name)), u.Secrets[0]+": "+secretPlaceholder+"\n")
		}
	}
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+filepath.Dir(git)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+dir, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
	run := func(script string) (string, error) {
		cmd := exec.Command(sh, "-e", "-c", script)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// The checkout made by the README's own first step: clan commits only
	// where the flake has a .git (clan_lib/git/__init__.py, commit_file).
	for _, title := range []string{
		"Put the repository in git",
		"Enter the development shell",
		"Put the admins in the clan admins group",
		"Store the Hetzner Cloud token and the Terraform state passphrase",
		"Put the real values in the users' home secrets",
		"Generate the machines' secrets (clan vars)",
	} {
		code, ok := readmeStepCode(md, title)
		if !ok {
			t.Fatalf("README has no step %q with a code block", title)
		}
		// The pasted token of `clan secrets set … # paste the token`.
		script := strings.ReplaceAll(strings.Join(code, "\n"), "# paste the token", "< /dev/null")
		if out, err := run(script); err != nil {
			t.Errorf("step %q fails in a git checkout where clan commits its own files: %v\n%s\n%s", title, err, script, out)
		}
	}
	if out, err := run("git status --porcelain"); err != nil || out != "" {
		t.Errorf("the steps leave uncommitted changes (%v):\n%s", err, out)
	}
}
