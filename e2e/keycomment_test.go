package e2e

import (
	"strconv"
	"testing"
	"time"
)

// TestPlaygroundKeyCommentPrintable: a key's comment is shown under the key
// field as the user typed it, except for characters that are not printable.
// A bidi override (U+202E) in a comment would otherwise make the text around
// it display in another order than it is written. `fleetyard keys` prints
// the same comment with the same rule (strconv.IsPrint).
func TestPlaygroundKeyCommentPrintable(t *testing.T) {
	requireBuilt(t, "playground")
	ctx, p := newTab(t)
	openPlayground(t, ctx, "")
	field := `#fy-panel-form [data-path="users[0].sshKeys"]`
	pgWait(t, ctx, "the key field", `document.querySelector(`+jsString(field)+`)`, 5*time.Second)
	line := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT \u202eevil\u202c@host\u00a0x"
	setField(t, ctx, field, line)
	comment := `(() => { const c = document.querySelector(` + jsString(field) + `).closest(".fy-keys").querySelector(".fy-key-comment"); return c ? c.textContent : "" })()`
	// The field held the seed's key; its check result comes after a debounce.
	pgWait(t, ctx, "the new key's comment", comment+`.includes("evil")`, 10*time.Second)
	if got, want := pgEval[string](t, ctx, comment), " evil @host x"; got != want {
		t.Errorf("comment shown as %s, want %s", strconv.QuoteToASCII(got), strconv.QuoteToASCII(want))
	}
	p.AssertClean(t)
}
