package gen

import (
	"bytes"
	"strings"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
)

// Replaying a pattern. A person typing into a machine's description changes
// one JSON string; most patterns never read it, yet every keystroke ran
// them all, building their trees and looking every file up in the memo to
// find the bytes they printed last time. A pattern declares the fields it
// ignores (pattern.ignores, held true by TestPatternIgnoresFields), and
// when the Cache's parse says the text changed only inside such a field
// (jsonpos.ReparseAt), the pattern's previous files are put again as they
// are.

// A fleetEdit says how a fleet's text differs from the one the Cache parsed
// before it: only inside the value of field (a typed field, or 0 for any
// other), when base is that fleet's id.
// base is 0 when the difference is unknown (a full parse, another text in
// between, no Cache).
type fleetEdit struct {
	base  uint64
	field fieldSet
}

// patternRun is what a pattern wrote the last time it ran or was replayed:
// for which fleet, with which options, its files in order, and the Cache
// entries it used (replaying keeps them, for the keystroke after that
// changes what the pattern reads).
type patternRun struct {
	fleet   uint64
	opt     Options
	files   []File
	touched []toucher
}

// fieldOf returns the typed field the value at the end of path is, or 0.
func fieldOf(path []jsonpos.Step) fieldSet {
	for i, name := range typedFields {
		if pathIs(path, name) {
			return 1 << i
		}
	}
	return 0
}

// pathIs reports whether path is the field name: member keys joined by
// dots, an array element written [], so the description of any machine is
// "machines[].description". A key that holds a dot or a bracket is never
// one of name's.
func pathIs(path []jsonpos.Step, name string) bool {
	for _, st := range path {
		if st.Elem {
			if !strings.HasPrefix(name, "[]") {
				return false
			}
			name = name[2:]
			continue
		}
		name = strings.TrimPrefix(name, ".")
		end := strings.IndexAny(name, ".[")
		if end < 0 {
			end = len(name)
		}
		if name[:end] != st.Key {
			return false
		}
		name = name[end:]
	}
	return name == ""
}

// replay puts the files pattern p wrote for the fleet this one was edited
// from, when they are sure to be the same bytes: the edit is inside a field
// p ignores and the options are the same. It reports whether it did.
func (b *build) replay(p *pattern) bool {
	c, ed := b.cache, b.spec.edit
	if c == nil || ed.base == 0 || ed.field == 0 || p.ignores&ed.field == 0 {
		return false
	}
	c.mu.Lock()
	run := c.runs[patternIndex(p)]
	ok := run != nil && run.fleet == ed.base && sameOptions(run.opt, b.opt)
	if ok {
		// Every remembered kind rotates with files (Cache.rotate).
		for _, e := range run.touched {
			e.touch(c.files.gen)
		}
		run.fleet = b.spec.id
		c.replays++
	}
	c.mu.Unlock()
	if !ok {
		return false
	}
	for _, f := range run.files {
		b.put(f.Path, f.Data, f.Mode)
	}
	return true
}

// record runs pattern p's emitter, remembering its files and the entries
// it used for replay. Two generations recording at once through one Cache
// share its log, so one may keep the other's entries and miss some of its
// own: later keystrokes may then print what was forgotten, never other
// bytes (a remembered value is a function of its key).
func (b *build) record(p *pattern) {
	c := b.cache
	if c == nil || p.ignores == 0 || b.spec.id == 0 {
		p.emit(b)
		return
	}
	run := &patternRun{fleet: b.spec.id, opt: b.opt}
	c.mu.Lock()
	if prev := c.runs; prev != nil && prev[patternIndex(p)] != nil {
		// Sized as the last run: growing them from nothing was a tenth of
		// what a generation that changes everything allocates.
		last := prev[patternIndex(p)]
		run.files = make([]File, 0, len(last.files))
		run.touched = make([]toucher, 0, len(last.touched))
	}
	c.log = &run.touched
	c.mu.Unlock()
	b.run = run
	p.emit(b)
	b.run = nil
	c.mu.Lock()
	c.log = nil
	if c.runs == nil {
		c.runs = make([]*patternRun, len(patterns))
	}
	if b.err == nil {
		c.runs[patternIndex(p)] = run
	} else {
		c.runs[patternIndex(p)] = nil
	}
	c.mu.Unlock()
}

// patternIndex is p's place in patterns.
func patternIndex(p *pattern) int {
	for i, q := range patterns {
		if q == p {
			return i
		}
	}
	panic("gen: pattern " + p.name + " is not in the table")
}

func sameOptions(a, b Options) bool {
	return bytes.Equal(a.Entropy, b.Entropy) && a.Time.Equal(b.Time)
}

// A fieldSet is a set of typed fields: the fields people type into, letter
// by letter, which few patterns read.
type fieldSet uint16

const (
	fName fieldSet = 1 << iota
	fDomain
	fDescription
	fMachineDescription
	fTargetHost
	fFullName
	fEmail
	fHotfixReason
	fOverrideReason
	fPackageDescription
	fPromptDescription
	fScript
)

// typedFields names the typed fields as fieldOf does, in bit order.
var typedFields = [...]string{
	"name", "domain", "description",
	"machines[].description", "machines[].targetHost",
	"users[].fullName", "users[].email",
	"overlays.hotfixes[].reason", "overlays.overrides[].reason", "overlays.packages[].description",
	"vars[].prompts[].description", "vars[].script",
}

const (
	fleetTexts   = fName | fDomain | fDescription
	machineTexts = fMachineDescription | fTargetHost
	userTexts    = fFullName | fEmail
	overlayTexts = fHotfixReason | fOverrideReason | fPackageDescription
	varsTexts    = fPromptDescription | fScript
)

// The patterns' ignores: an ignores list, not a readers list, so that a new
// pattern replays nothing until its fields are declared here.
func init() {
	// clan.meta holds name and domain; the inventory a machine's
	// description and targetHost.
	clanPattern.ignores = fDescription | userTexts | overlayTexts | varsTexts
	// A machine's module names its description in its header and says
	// where it has no targetHost; NixOS accounts carry the full name.
	machinesPattern.ignores = fleetTexts | fEmail | overlayTexts | varsTexts
	basePattern.ignores = fleetTexts | machineTexts | userTexts | overlayTexts | varsTexts
	// The vars modules and their stubs are the secrets pattern's.
	secretsPattern.ignores = fleetTexts | machineTexts | userTexts | overlayTexts
	// home-manager modules carry git's name and email.
	homePattern.ignores = fleetTexts | machineTexts | overlayTexts | varsTexts
	// The Terraform deploy key is named after the fleet.
	terranixPattern.ignores = fDomain | fDescription | machineTexts | userTexts | overlayTexts | varsTexts
	overlaysPattern.ignores = fleetTexts | machineTexts | userTexts | varsTexts
	// Mac accounts carry the full name, and their SSH key link the fleet's.
	darwinPattern.ignores = fDomain | fDescription | machineTexts | fEmail | overlayTexts | varsTexts
	zerotierPattern.ignores = fleetTexts | machineTexts | userTexts | overlayTexts | varsTexts
	checksPattern.ignores = fleetTexts | machineTexts | userTexts | overlayTexts | varsTexts
	// The README reads nearly everything.
	readmePattern.ignores = fEmail | overlayTexts | varsTexts
}
