package fileid

import (
	"fmt"
	"hash/crc64"
	"testing"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		data string
		want string
	}{
		// CRC-64/XZ's check value ("123456789") is 995dc9bbdf1939fa: Go's
		// ECMA table with its inversions is that CRC.
		{"123456789", "9-995dc9bbdf1939fa"},
		{"", "0-0000000000000000"},
	} {
		if got := Of([]byte(tc.data)); got != tc.want {
			t.Errorf("Of(%q) = %s, want %s", tc.data, got, tc.want)
		}
	}
	// One changed byte, a swap, and a longer text all change the ID.
	seen := map[string]string{}
	for _, s := range []string{"test-clan", "test-clam", "tset-clan", "test-clan\n", "test-clan-prod"} {
		id := Of([]byte(s))
		if other, dup := seen[id]; dup {
			t.Errorf("%q and %q have the same ID %s", s, other, id)
		}
		seen[id] = s
		if want := fmt.Sprintf("%d-%016x", len(s), crc64.Checksum([]byte(s), table)); id != want {
			t.Errorf("Of(%q) = %s, want %s", s, id, want)
		}
	}
}
