// Command fleetyard generates a clan + flake-parts Nix fleet repository from a
// fleet spec, and builds and serves the Fleetyard site.
//
//	fleetyard gen [-o DIR | --tar | --zip] SPEC.json
//	fleetyard validate SPEC.json
//	fleetyard schema
//	fleetyard keys < keys.txt
//	fleetyard build [-o public]
//	fleetyard serve [-addr 127.0.0.1:8080]
package main

import (
	"os"
	"runtime/debug"

	"github.com/fleetyard/fleetyard/internal/cli"
)

func main() {
	// Generation allocates about ten times the repository it writes and
	// keeps little: with the collector's default target, a 1000-machine
	// fleet spent about as much CPU collecting as generating. A process
	// that lives for one command can hold a few more MB instead (the
	// playground's worker does the same, static/ts/worker.ts).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(cli.Main(os.Args[1:], processEnv()))
}

// processEnv is the process's own streams and environment, which the
// commands read through cli.Env ($SOURCE_DATE_EPOCH for gen's --time).
func processEnv() cli.Env {
	return cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}
