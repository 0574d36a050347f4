package cli

import (
	"io"
	"os"

	"github.com/fleetyard/fleetyard/gen"
)

func runSchema(args []string, env Env) int {
	if len(args) != 0 {
		newFlags("schema", env).Usage()
		return exitUsage
	}
	env.Stdout.Write(schema())
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
