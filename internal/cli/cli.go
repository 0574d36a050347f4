// Package cli implements the fleetyard commands: flag parsing, file and
// terminal I/O, exit codes. The work itself is done by gen and site.
package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// Env is the process environment a command runs in, injectable for tests.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads an environment variable; nil means no variables.
	Getenv func(string) string
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the input was bad or the work failed
	exitUsage = 2 // the command line was bad
)

type command struct {
	name, args, help string
	run              func(args []string, env Env) int
}

func commands() []command {
	return []command{
		{"gen", "[-o DIR | --tar | --zip] [--entropy HEX] [--time RFC3339] SPEC.json", "generate the repository (archives go to stdout)", runGen},
		{"update", "[-n] [--force] [--spec NEW.json] DIR", "regenerate DIR in place, three-way merging your edits; -n previews", runUpdate},
		{"validate", "SPEC.json", "check a spec; prints file:line:col: path: message", runValidate},
		{"schema", "", "print the JSON Schema of fleet.json", runSchema},
		{"keys", "< KEYS", "derive age recipients from SSH public keys on stdin", runKeys},
		{"build", "[-o DIR] [--no-minify]", "build the site (docs + playground) into DIR (default public)", runBuild},
		{"serve", "[-addr HOST:PORT] [-o DIR]", "build, serve with the production headers, rebuild on file events, live-reload pages", runServe},
	}
}

// Main runs the command line args (without the program name) and returns the
// process exit code.
func Main(args []string, env Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(env.Stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], env)
		}
	}
	fmt.Fprintf(env.Stderr, "fleetyard: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: fleetyard <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n            %s\n", c.name, c.args, c.help)
	}
}

// newFlags makes a FlagSet that reports errors instead of exiting, with a
// usage line for the command.
func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		for _, c := range commands() {
			if c.name == name {
				fmt.Fprintf(env.Stderr, "Usage: fleetyard %s %s\n", name, c.args)
			}
		}
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed lets flags follow positional arguments
// (`fleetyard gen spec.json --tar`), which the flag package alone refuses.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "-" || !strings.HasPrefix(rest[0], "-") {
			pos = append(pos, rest[0])
			args = rest[1:]
			continue
		}
		args = rest
	}
}
