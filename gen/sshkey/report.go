package sshkey

import "strings"

// Report is the logic of `fleetyard keys`: it converts every key in text and
// returns the lines to print.
//
// out has one line per key, "age1…<TAB>SHA256:…<TAB>comment" (the middle
// column is empty for raw age recipients), in input order. errs has one line
// per problem, "line N: message (hint)". ok is true when there was at least
// one key and no problem. Both strings end in a newline when not empty. It
// does no I/O so the CLI and tests share it.
func Report(text string) (out string, errs string, ok bool) {
	keys, lerrs := Parse(text)
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
		e.WriteString("no keys found (" + hintWhatToPaste + ")\n")
	}
	return o.String(), e.String(), len(keys) > 0 && len(lerrs) == 0
}

// oneColumn keeps a comment inside its tab-separated column and harmless on
// a terminal: tabs and other C0/C1 control characters (escape sequences)
// become spaces.
func oneColumn(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			return ' '
		}
		return r
	}, s)
}
