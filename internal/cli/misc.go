package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/sshkey"
)

func runSchema(args []string, env Env) int {
	if len(args) != 0 {
		newFlags("schema", env).Usage()
		return exitUsage
	}
	env.Stdout.Write(schema())
	return exitOK
}

func runKeys(args []string, env Env) int {
	fs := newFlags("keys", env)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	// Read one byte past the limit, so sshkey refuses oversize input with
	// its message instead of this command reading all of it first.
	text, err := io.ReadAll(io.LimitReader(env.Stdin, sshkey.MaxInput+1))
	if err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard keys:", err)
		return exitFail
	}
	out, errs, ok := sshkey.Report(string(text))
	io.WriteString(env.Stdout, out)
	io.WriteString(env.Stderr, errs)
	if !ok {
		return exitFail
	}
	return exitOK
}

// readSpec reads a spec file ("-" is stdin) up to one byte past
// gen.MaxSpecBytes: gen.Parse refuses anything longer, so reading more
// would only cost memory.
func readSpec(name string, env Env) ([]byte, error) {
	var r io.Reader = env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return io.ReadAll(io.LimitReader(r, gen.MaxSpecBytes+1))
}
