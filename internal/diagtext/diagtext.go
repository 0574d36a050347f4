// Package diagtext is the one text form of a gen.Diagnostic, shared by the
// CLI (validate, gen, update) and the docs build, so a diagnostic reads the
// same wherever it is printed. The playground shows diagnostics as
// structured data (wasm returns them as JSON) and does not use it.
//
// Format belongs on gen.Diagnostic itself; it lives here until gen has it.
package diagtext

import (
	"strconv"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
)

// Format returns d as a compiler-style line that editors can jump to,
// "file:line:col: warning: path: message", followed by "\n\thint: …" when
// d has a hint. file names the spec and may be empty; the position is left
// out when d has none, "warning: " when d is an error, the path when d is
// about the spec as a whole. The result has no trailing newline.
//
// gen.Parse has already made every message and hint safe to print, so the
// text is written as it is.
func Format(file string, d gen.Diagnostic) string {
	var b strings.Builder
	pos := file
	if d.Line > 0 {
		if pos != "" {
			pos += ":"
		}
		pos += strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Col)
	}
	if pos != "" {
		b.WriteString(pos + ": ")
	}
	if d.Severity == gen.Warning {
		b.WriteString("warning: ")
	}
	if d.Path != "" {
		b.WriteString(d.Path + ": ")
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString("\n\thint: " + d.Hint)
	}
	return b.String()
}
