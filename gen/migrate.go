package gen

import (
	"errors"
	"strconv"

	"github.com/fleetyard/fleetyard/gen/jsonpos"
	"github.com/fleetyard/fleetyard/gen/jsonw"
)

// SpecVersion is the newest fleet.json "version" this Fleetyard reads.
// Older versions are upgraded by [Migrate] before parsing.
const SpecVersion = 1

// Migration upgrades a fleet.json document by one version. Migrations work
// on the generic JSON tree rather than on [Spec] because the old document
// does not fit the current types (that is why it needs migrating).
type Migration struct {
	// From is the version the migration reads; it writes From+1.
	From int
	// Note says in one line what changed, for the user's log.
	Note string
	// Apply edits doc in place: a JSON object as map[string]any, []any,
	// string, jsonw.Number (a number's text), bool and nil.
	Apply func(doc map[string]any) error
}

// migrations upgrade version i to i+1, in order. Version 1 is the only
// version so far, so there are none; when version 2 comes, its step is added
// here with From: 1 and SpecVersion becomes 2 (see TestMigrateMadeUpV2 for
// the shape).
var migrations []Migration

// Migrate upgrades data to [SpecVersion] and reports the version it started
// from. When no migration is needed it returns data itself, so diagnostics
// keep pointing at the user's own text. Text that is not a JSON object, or
// has no usable version, is returned unchanged for [Parse] to diagnose.
// A version newer than SpecVersion is an error that names the version
// needed.
func Migrate(data []byte) (out []byte, from int, notes []string, err error) {
	return migrate(data, migrations, SpecVersion)
}

func migrate(data []byte, steps []Migration, current int) ([]byte, int, []string, error) {
	// The tree comes from jsonpos, the parser Parse uses anyway, rather
	// than encoding/json's decoder, which would add ~37 KB (brotli) to the
	// playground's wasm for a step that runs once per old repository.
	root, errs := jsonpos.Parse(data)
	if len(errs) > 0 || root == nil || root.Kind != jsonpos.Object {
		return data, 0, nil, nil
	}
	ver := root.Get("version")
	if ver == nil || ver.Kind != jsonpos.Number {
		return data, 0, nil, nil
	}
	v, err := strconv.Atoi(ver.Str)
	if err != nil || v < 1 {
		return data, 0, nil, nil
	}
	if v > current {
		return nil, v, nil, errors.New("fleet.json is spec version " + strconv.Itoa(v) + ", but this Fleetyard reads versions up to " + strconv.Itoa(current) + ": install a newer fleetyard (go install github.com/fleetyard/fleetyard@latest)")
	}
	if v == current {
		return data, v, nil, nil
	}
	doc := generic(root).(map[string]any)
	var notes []string
	for at := v; at < current; at++ {
		step := findMigration(steps, at)
		if step == nil {
			return nil, v, nil, errors.New("no migration from spec version " + strconv.Itoa(at) + " to " + strconv.Itoa(at+1) + " in this Fleetyard; this is a bug, please report it")
		}
		if err := step.Apply(doc); err != nil {
			return nil, v, nil, errors.New("migrating fleet.json from version " + strconv.Itoa(at) + " to " + strconv.Itoa(at+1) + ": " + err.Error())
		}
		doc["version"] = at + 1
		notes = append(notes, "version "+strconv.Itoa(at)+" -> "+strconv.Itoa(at+1)+": "+step.Note)
	}
	return append(jsonw.MarshalIndent(doc), '\n'), v, notes, nil
}

// generic turns a jsonpos tree into plain values: map[string]any, []any,
// string, jsonw.Number, bool, nil (encoding/json's with UseNumber).
func generic(v *jsonpos.Value) any {
	switch v.Kind {
	case jsonpos.Object:
		m := make(map[string]any, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = generic(mem.Value)
		}
		return m
	case jsonpos.Array:
		l := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			l[i] = generic(e)
		}
		return l
	case jsonpos.String:
		return v.Str
	case jsonpos.Number:
		return jsonw.Number(v.Str)
	case jsonpos.Bool:
		return v.Bool
	}
	return nil
}

func findMigration(steps []Migration, from int) *Migration {
	for i := range steps {
		if steps[i].From == from {
			return &steps[i]
		}
	}
	return nil
}
