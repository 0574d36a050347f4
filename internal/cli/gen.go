package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/internal/diagtext"
	"github.com/fleetyard/fleetyard/site"
)

func runGen(args []string, env Env) int {
	fs := newFlags("gen", env)
	out := fs.String("o", "", "write the repository into `DIR` (created if missing)")
	tarOut := fs.Bool("tar", false, "write a .tar.gz of the repository to stdout")
	zipOut := fs.Bool("zip", false, "write a .zip of the repository to stdout")
	entropyHex := fs.String("entropy", "", "64 hex digits seeding the sops secret stubs (default: random); reproduces a playground export")
	stamp := fs.String("time", "", "sops lastmodified time, RFC 3339 (default: $SOURCE_DATE_EPOCH or now)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	modes := 0
	for _, on := range []bool{*out != "", *tarOut, *zipOut} {
		if on {
			modes++
		}
	}
	if len(pos) != 1 || modes != 1 {
		fmt.Fprintln(env.Stderr, "fleetyard gen: give exactly one SPEC.json and exactly one of -o DIR, --tar, --zip")
		fs.Usage()
		return exitUsage
	}
	opt, err := genOptions(*entropyHex, *stamp, env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard gen:", err)
		return exitUsage
	}
	spec, code := loadSpec("gen", pos[0], env)
	if spec == nil {
		return code
	}
	files, err := gen.Generate(spec, opt)
	if err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard gen:", err)
		return exitFail
	}
	switch {
	case *tarOut:
		_, err = env.Stdout.Write(archive.TarGz(spec.Spec().Name, files))
	case *zipOut:
		_, err = env.Stdout.Write(archive.Zip(spec.Spec().Name, files))
	default:
		if *entropyHex != "" {
			fmt.Fprintln(env.Stderr, "fleetyard gen: warning: reusing entropy reuses sops data keys; only use --entropy to reproduce a playground export")
		}
		return genInto(*out, pos[0], spec, opt, env)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard gen:", err)
		return exitFail
	}
	return exitOK
}

// genOptions turns the flags into gen.Options. Random entropy is the safe
// default: a fixed value would make every user's secret stubs share
// derivable sops data keys.
func genOptions(entropyHex, stamp string, env Env) (gen.Options, error) {
	var opt gen.Options
	if entropyHex != "" {
		b, err := hex.DecodeString(entropyHex)
		if err != nil || len(b) != 32 {
			return opt, errors.New("--entropy must be 64 hex digits (32 bytes), as shown in the playground's export panel")
		}
		if err := publicEntropy(b); err != nil {
			return opt, err
		}
		opt.Entropy = b
	} else {
		opt.Entropy = make([]byte, 32)
		if _, err := rand.Read(opt.Entropy); err != nil {
			return opt, err
		}
	}
	switch {
	case stamp != "":
		t, err := time.Parse(time.RFC3339, stamp)
		if err != nil {
			return opt, fmt.Errorf("--time %q is not RFC 3339 (example: 2026-01-02T15:04:05Z)", stamp)
		}
		opt.Time = t.UTC().Truncate(time.Second)
	case env.getenv("SOURCE_DATE_EPOCH") != "":
		sec, err := strconv.ParseInt(env.getenv("SOURCE_DATE_EPOCH"), 10, 64)
		if err != nil {
			return opt, errors.New("SOURCE_DATE_EPOCH must be whole seconds since 1970")
		}
		opt.Time = time.Unix(sec, 0).UTC()
	default:
		opt.Time = time.Now().UTC().Truncate(time.Second)
	}
	return opt, nil
}

// publicEntropy refuses entropy that anyone can know: the value printed on
// every documentation page with an example, and all zeros (what a test or
// a careless script would pass). Stubs made from it have data keys anyone
// can derive, and `sops edit` keeps the data key once real secrets go in.
func publicEntropy(b []byte) error {
	switch {
	case bytes.Equal(b, site.DocsEntropy):
		return errors.New("--entropy is the public entropy of Fleetyard's documentation examples: anyone can derive the sops data keys of stubs made from it. Leave --entropy out to draw fresh randomness")
	case bytes.Count(b, []byte{0}) == len(b):
		return errors.New("--entropy is all zeros: anyone can derive the sops data keys of stubs made from it. Leave --entropy out to draw fresh randomness")
	}
	return nil
}

// loadSpec reads and parses a spec ("-" is stdin), printing diagnostics.
// It returns nil and the exit code when the spec is unusable.
func loadSpec(cmd, name string, env Env) (*gen.Fleet, int) {
	data, err := readSpec(name, env)
	if name == "-" {
		name = "<stdin>"
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(env.Stderr, "fleetyard %s: spec %s: no such file; name the fleet.json to read (- reads standard input)\n", cmd, name)
		return nil, exitFail
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said already
		}
		fmt.Fprintf(env.Stderr, "fleetyard %s: spec %s: %v\n", cmd, name, err)
		return nil, exitFail
	}
	spec, diags := gen.Parse(data)
	printDiagnostics(env.Stderr, name, diags)
	if spec == nil || gen.HasErrors(diags) {
		return nil, exitFail
	}
	return spec, exitOK
}

// printDiagnostics writes compiler-style lines editors can jump to.
func printDiagnostics(w io.Writer, file string, diags []gen.Diagnostic) {
	for _, d := range diags {
		io.WriteString(w, diagtext.Format(file, d)+"\n")
	}
}

// genInto writes the generation into dir through the same plan-and-apply
// pipeline as `fleetyard update`: into an empty or new directory that is
// every file; over a repository with a manifest it is an update with the
// given spec (edits merged, files no longer generated removed or refused,
// secrets checked against the new recipients), without the clean-git
// requirement that gen never had.
func genInto(dir, specPath string, spec *gen.Fleet, opt gen.Options, env Env) int {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		fmt.Fprintf(env.Stderr, "fleetyard gen: -o %s: a file is there, not a directory; name a new or existing directory\n", dir)
		return exitUsage
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard gen:", err)
		return exitFail
	}
	if specPath == "-" {
		specPath = ""
	}
	u := &updater{cmd: "gen", dir: dir, specPath: specPath, env: env, force: true, ops: osOps(), newSpec: spec, opt: &opt}
	return u.run()
}

func runValidate(args []string, env Env) int {
	fs := newFlags("validate", env)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	if spec, code := loadSpec("validate", pos[0], env); spec == nil {
		return code
	}
	fmt.Fprintln(env.Stdout, pos[0]+": ok")
	return exitOK
}
