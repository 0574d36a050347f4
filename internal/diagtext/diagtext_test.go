package diagtext

import (
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		file string
		d    gen.Diagnostic
		want string
	}{
		{"everything", "fleet.json",
			gen.Diagnostic{Path: "machines[0].name", Line: 3, Col: 14, Severity: gen.Error, Message: "bad name", Hint: "use a-z"},
			"fleet.json:3:14: machines[0].name: bad name\n\thint: use a-z"},
		{"warning", "fleet.json",
			gen.Diagnostic{Path: "users", Line: 7, Col: 2, Severity: gen.Warning, Message: "no users"},
			"fleet.json:7:2: warning: users: no users"},
		{"no position", "<stdin>",
			gen.Diagnostic{Path: "machines", Severity: gen.Error, Message: "two machines named web"},
			"<stdin>: machines: two machines named web"},
		{"no file", "",
			gen.Diagnostic{Path: "name", Line: 1, Col: 9, Severity: gen.Error, Message: "too long"},
			"1:9: name: too long"},
		{"no file, no position, no path", "",
			gen.Diagnostic{Severity: gen.Error, Message: "the spec is empty"},
			"the spec is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.file, tt.d); got != tt.want {
				t.Errorf("Format:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
