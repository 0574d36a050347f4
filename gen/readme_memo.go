package gen

import (
	"bytes"

	"github.com/fleetyard/fleetyard/gen/internal/affix"
)

// The README's users, access and bootstrap sections are most of its cost (a
// fifth of a keystroke's regeneration of large.json) and read the whole
// fleet except the members the README shows only around them: the fleet's
// name and description (its title and first paragraph) and the machines'
// descriptions (the machines table). The playground's most common
// keystrokes type into those (e2e's TestMeasure types into the name), so the
// Cache keeps the sections with the fleet.json they were written from, and
// reuses them while fleet.json differs from it in those members alone.
// fleet.json spells out every spec field, and the fleet (the model every
// section reads) is a function of the spec, so equal fleet.json up to those
// lines means equal sections. TestIncrementalMatchesScratch edits names and
// descriptions at random and compares with generating from scratch.

// readmeMiddle returns the sections remembered for spec, or nil.
func (c *Cache) readmeMiddle(spec []byte) []byte {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readmeSpec == nil || !equalButReadmeText(c.readmeSpec, spec) {
		return nil
	}
	return c.readmeText
}

func (c *Cache) setReadmeMiddle(spec, text []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.readmeSpec, c.readmeText = spec, text
	c.mu.Unlock()
}

// equalButReadmeText reports whether two fleet.json texts, as fleetJSON
// writes them (two-space indentation, one member per line, the machines
// array a top-level member), differ at most in the fleet's "name" and
// "description" and the "description" members of machines. Those are JSON
// strings, so each is one line.
//
// A keystroke changes a line or two of a text of thousands: the lines
// before the first differing byte and after the last are skipped eight
// bytes at a time (in wasm, a third of what comparing every line cost),
// and only the lines between are held to the rules, starting in or out of
// the machines array as the lines before leave it.
func equalButReadmeText(a, b []byte) bool {
	p := affix.Prefix(a, b)
	if p == len(a) && p == len(b) {
		return true
	}
	start := bytes.LastIndexByte(a[:p], '\n') + 1 // the first differing line
	q := affix.Suffix(a[start:], b[start:])
	ea, eb := len(a)-q, len(b)-q
	// Out to the end of the line the common suffix starts in: the same
	// bytes follow in both, so the regions end on the same line boundary.
	if ea > start && a[ea-1] != '\n' {
		if i := bytes.IndexByte(a[ea:], '\n'); i >= 0 {
			ea, eb = ea+i+1, eb+i+1
		} else {
			ea, eb = len(a), len(b)
		}
	}
	return equalLinesButReadmeText(a[start:ea], b[start:eb], inMachinesAfter(a[:start]))
}

// inMachinesAfter reports whether the line after head (whole lines) is
// inside the machines array: head opens it and does not close it.
func inMachinesAfter(head []byte) bool {
	i := bytes.LastIndex(head, nlMachinesOpenNL)
	if i < 0 && !bytes.HasPrefix(head, machinesOpenNL) {
		return false
	}
	rest := head[i+len(nlMachinesOpenNL):]
	if i < 0 {
		rest = head[len(machinesOpenNL):]
	}
	return !bytes.HasPrefix(rest, arrayClose) && !bytes.Contains(rest, nlArrayClose)
}

// equalLinesButReadmeText is equalButReadmeText's rule, line by line, from
// a point in or out of the machines array.
func equalLinesButReadmeText(a, b []byte, inMachines bool) bool {
	for len(a) > 0 && len(b) > 0 {
		la, ra, _ := bytes.Cut(a, nl)
		lb, rb, _ := bytes.Cut(b, nl)
		a, b = ra, rb
		switch {
		case bytes.Equal(la, lb):
			switch {
			case bytes.Equal(la, machinesOpen):
				inMachines = true
			case inMachines && (bytes.Equal(la, arrayClose) || bytes.Equal(la, arrayCloseComma)):
				inMachines = false
			}
		case inMachines && bytes.HasPrefix(la, machineDescription) && bytes.HasPrefix(lb, machineDescription):
		case !inMachines && bytes.HasPrefix(la, fleetName) && bytes.HasPrefix(lb, fleetName):
		case !inMachines && bytes.HasPrefix(la, fleetDescription) && bytes.HasPrefix(lb, fleetDescription):
		default:
			return false
		}
	}
	return len(a) == 0 && len(b) == 0
}

var (
	nl                 = []byte{'\n'}
	machinesOpen       = []byte(`  "machines": [`)
	machinesOpenNL     = []byte("  \"machines\": [\n")
	nlMachinesOpenNL   = []byte("\n  \"machines\": [\n")
	nlArrayClose       = []byte("\n  ]")
	arrayClose         = []byte(`  ]`)
	arrayCloseComma    = []byte(`  ],`)
	machineDescription = []byte(`      "description": `)
	fleetName          = []byte(`  "name": `)
	fleetDescription   = []byte(`  "description": `)
)

// readmeSizeHint is what the README's buffer is grown to before writing:
// a little more than the last README (a keystroke changes it by a few
// bytes), or, without one, two and a half times fleet.json plus 16 KB (the
// examples' READMEs are 2.2 (1000 synthetic machines) to 2.5 (large.json)
// times their fleet.json past the fixed text; twice fell short for both).
// Grown once, the buffer is never doubled and copied midway
// (bytes.growSlice: a 268 KB allocation per keystroke on large.json when
// the estimate fell short, 2.4 MB for a cold 1000-machine generation).
func (c *Cache) readmeSizeHint(spec []byte) int {
	n := 5*len(spec)/2 + 16<<10
	if c == nil {
		return n
	}
	c.mu.Lock()
	last := c.readmeLen
	c.mu.Unlock()
	return max(n, last+last/16)
}

// setReadmeLen remembers the length of the README just written.
func (c *Cache) setReadmeLen(n int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.readmeLen = n
	c.mu.Unlock()
}
