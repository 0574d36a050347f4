package cli

import (
	"fmt"
	"io"

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
	text, err := io.ReadAll(env.Stdin)
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
