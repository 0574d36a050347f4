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

	"github.com/fleetyard/fleetyard/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
