package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen/sshkey"
)

func runKeys(args []string, env Env) int {
	fs := newFlags("keys", env)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(env.Stderr, "fleetyard keys reads the keys from standard input: fleetyard keys < %s\n", fs.Arg(0))
		return exitUsage
	}
	// Read one byte past the limit, so sshkey refuses oversize input with
	// its message instead of this command reading all of it first.
	text, err := io.ReadAll(io.LimitReader(env.Stdin, sshkey.MaxInput+1))
	if err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard keys:", err)
		return exitFail
	}
	out, errs, ok := keysReport(string(text))
	io.WriteString(env.Stdout, out)
	io.WriteString(env.Stderr, errs)
	if !ok {
		return exitFail
	}
	return exitOK
}

// keysReport converts every key in text (sshkey.Parse) and returns what
// `fleetyard keys` prints.
//
// out has one line per key, "age1…<TAB>SHA256:…<TAB>comment" (the middle
// column is empty for raw age recipients), in input order. errs has one line
// per problem, "line N: message (hint)". ok is true when there was at least
// one key and no problem. Both strings end in a newline when not empty.
func keysReport(text string) (out string, errs string, ok bool) {
	keys, lerrs := sshkey.Parse(text)
	var o, e strings.Builder
	for _, k := range keys {
		o.WriteString(k.Recipient)
		o.WriteByte('\t')
		o.WriteString(k.Fingerprint)
		o.WriteByte('\t')
		o.WriteString(oneColumn(k.Comment))
		o.WriteByte('\n')
	}
	for _, le := range lerrs {
		e.WriteString(le.Error())
		e.WriteByte('\n')
	}
	if len(keys) == 0 && len(lerrs) == 0 {
		e.WriteString("no keys found on stdin (pipe in public key lines, as in `fleetyard keys < ~/.ssh/id_ed25519.pub`, or age1… recipients)\n")
	}
	return o.String(), e.String(), len(keys) > 0 && len(lerrs) == 0
}

// oneColumn keeps a key comment inside its tab-separated column and harmless
// on a terminal: every character that is not printable becomes a space. That
// covers tabs, line breaks and the C0/C1 controls that start escape
// sequences, and also the bidi overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) that would make a comment display in another order than it
// is written. "Printable" is strconv.IsPrint, the notion gen/internal/echo
// uses for diagnostics (that package is internal to gen, so this command
// cannot import it).
func oneColumn(s string) string {
	return strings.Map(func(r rune) rune {
		if !strconv.IsPrint(r) {
			return ' '
		}
		return r
	}, s)
}
