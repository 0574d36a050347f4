package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// madeUpV2 is a pretend version-2 change, to pin down how a real one will be
// written: version 2 moves machines[].targetHost into machines[].deploy.host
// and drops the "description" of the fleet into meta.description.
var madeUpV2 = Migration{
	From: 1,
	Note: "machines[].targetHost moved to machines[].deploy.host; description moved to meta.description",
	Apply: func(doc map[string]any) error {
		machines, _ := doc["machines"].([]any)
		for i, m := range machines {
			obj, ok := m.(map[string]any)
			if !ok {
				return errors.New("machines[" + itoaTest(i) + "] is not an object")
			}
			if th, ok := obj["targetHost"]; ok {
				obj["deploy"] = map[string]any{"host": th}
				delete(obj, "targetHost")
			}
		}
		if d, ok := doc["description"]; ok {
			doc["meta"] = map[string]any{"description": d}
			delete(doc, "description")
		}
		return nil
	},
}

func itoaTest(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestMigrateMadeUpV2(t *testing.T) {
	v1 := `{"version": 1, "name": "x", "description": "d", "machines": [{"name": "a", "class": "nixos", "targetHost": "root@a"}, {"name": "b", "class": "nixos"}]}`
	out, from, notes, err := migrate([]byte(v1), []Migration{madeUpV2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if from != 1 || len(notes) != 1 || !strings.Contains(notes[0], "version 1 -> 2") {
		t.Errorf("from %d, notes %q", from, notes)
	}
	var got, want any
	json.Unmarshal(out, &got)
	json.Unmarshal([]byte(`{"version": 2, "name": "x", "meta": {"description": "d"}, "machines": [{"name": "a", "class": "nixos", "deploy": {"host": "root@a"}}, {"name": "b", "class": "nixos"}]}`), &want)
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("migrated:\n%s\nwant:\n%s", gotJSON, wantJSON)
	}
}

func TestMigrate(t *testing.T) {
	bump := func(from int) Migration {
		return Migration{From: from, Note: "bump", Apply: func(doc map[string]any) error {
			doc["steps"] = append(migAsList(doc["steps"]), from)
			return nil
		}}
	}
	tests := []struct {
		name      string
		in        string
		steps     []Migration
		current   int
		wantSame  bool   // returned the input bytes untouched
		wantErr   string // substring
		wantSteps string // JSON of doc.steps after migration
	}{
		{"current version untouched", `{"version": 1, "name": "x"}`, nil, 1, true, "", ""},
		{"not json left for Parse", `{"version": 1,`, nil, 1, true, "", ""},
		{"no version left for Parse", `{"name": "x"}`, nil, 1, true, "", ""},
		{"version not a number left for Parse", `{"version": "one"}`, nil, 1, true, "", ""},
		{"newer than understood", `{"version": 3}`, nil, 1, false, "spec version 3, but this Fleetyard reads versions up to 1", ""},
		{"chain 1 to 3", `{"version": 1}`, []Migration{bump(2), bump(1)}, 3, false, "", "[1,2]"},
		{"missing step is a bug", `{"version": 1}`, []Migration{bump(2)}, 3, false, "no migration from spec version 1 to 2", ""},
		{"failing step", `{"version": 1}`, []Migration{{From: 1, Apply: func(map[string]any) error { return errors.New("boom") }}}, 2, false, "migrating fleet.json from version 1 to 2: boom", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, _, err := migrate([]byte(tt.in), tt.steps, tt.current)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantSame && string(out) != tt.in {
				t.Errorf("out = %q, want the input unchanged", out)
			}
			if tt.wantSteps != "" {
				var doc struct {
					Version int             `json:"version"`
					Steps   json.RawMessage `json:"steps"`
				}
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatal(err)
				}
				var steps bytes.Buffer
				json.Compact(&steps, doc.Steps)
				if steps.String() != tt.wantSteps || doc.Version != tt.current {
					t.Errorf("steps %s version %d, want %s version %d", doc.Steps, doc.Version, tt.wantSteps, tt.current)
				}
			}
		})
	}
}

func migAsList(v any) []any { l, _ := v.([]any); return l }

// The shipped migration table must chain from version 1 to SpecVersion with
// no gaps, or Migrate would fail on an old repository.
func TestMigrationsChain(t *testing.T) {
	for v := 1; v < SpecVersion; v++ {
		if findMigration(migrations, v) == nil {
			t.Errorf("no migration from version %d", v)
		}
	}
	if len(migrations) != SpecVersion-1 {
		t.Errorf("%d migrations for %d versions", len(migrations), SpecVersion)
	}
}
