package diff3

import (
	"fmt"
	"strings"
)

// Unified returns a unified diff from a to b with context lines around
// each change, headed "--- aName" / "+++ bName"; it is empty when the texts
// are equal. A last line without a newline is followed by the usual
// "\ No newline at end of file" marker, so the diff can be applied by patch.
func Unified(aName, bName string, a, b []byte, context int) string {
	la, lb := Lines(a), Lines(b)
	m := Match(la, lb)
	type op struct {
		kind byte // ' ', '-', '+'
		line string
	}
	var ops []op
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case i < len(la) && m[i] == j:
			ops = append(ops, op{' ', la[i]})
			i, j = i+1, j+1
		case i < len(la) && m[i] < 0:
			ops = append(ops, op{'-', la[i]})
			i++
		default:
			ops = append(ops, op{'+', lb[j]})
			j++
		}
	}
	var sb strings.Builder
	// Walk the ops, cutting hunks where more than 2*context equal lines
	// separate changes.
	ai, bi := 0, 0 // line numbers (0-based) at ops[k]
	for k := 0; k < len(ops); {
		if ops[k].kind == ' ' {
			ai, bi, k = ai+1, bi+1, k+1
			continue
		}
		start := k - context
		if start < 0 {
			start = 0
		}
		// back up the line counters to the hunk start
		sa, sbn := ai, bi
		for x := k - 1; x >= start; x-- {
			sa, sbn = sa-1, sbn-1
		}
		end := k
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end += min(context, run-end)
				break
			}
			end = run
		}
		na, nb := 0, 0
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				na++
			}
			if o.kind != '-' {
				nb++
			}
		}
		if sb.Len() == 0 {
			fmt.Fprintf(&sb, "--- %s\n+++ %s\n", aName, bName)
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(sa, na), hunkRange(sbn, nb))
		for _, o := range ops[start:end] {
			sb.WriteByte(o.kind)
			sb.WriteString(o.line)
			if !strings.HasSuffix(o.line, "\n") {
				sb.WriteString("\n\\ No newline at end of file\n")
			}
		}
		for _, o := range ops[k:end] {
			if o.kind != '+' {
				ai++
			}
			if o.kind != '-' {
				bi++
			}
		}
		k = end
	}
	return sb.String()
}

// hunkRange formats "start,count" the way diff does: 1-based, and for an
// empty range the line before it.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
