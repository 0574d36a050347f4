package sops

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestTimestampMatchesTimeFormat holds the hand-written layout to time's
// RFC 3339 output over random instants of years 0–9999 (before 1970 too),
// zones and sub-second parts, and the edges of days, leap days and eras.
func TestTimestampMatchesTimeFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	zones := []*time.Location{time.UTC, time.FixedZone("x", -7*3600-1800), time.FixedZone("y", 14*3600)}
	const first, last = -62167219200, 253402300799 // 0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z
	var instants []time.Time
	for _, s := range []int64{first, last, -1, 0, 1, 86399, 86400, -86400, -86401, 951782400, 951868799, 4107542400, -2203891200, -62162035201} {
		instants = append(instants, time.Unix(s, 0), time.Unix(s, 999999999))
	}
	for range 20000 {
		instants = append(instants, time.Unix(first+r.Int64N(last-first+1), r.Int64N(1e9)))
	}
	for i, at := range instants {
		at = at.In(zones[i%len(zones)])
		want := at.UTC().Truncate(time.Second).Format(time.RFC3339)
		if got := Timestamp(at); got != want {
			t.Fatalf("Timestamp(%v) = %s, want %s", at, got, want)
		}
		back, ok := ParseTimestamp(want)
		if !ok || !back.Equal(at.Truncate(time.Second)) {
			t.Fatalf("ParseTimestamp(%s) = %v, %v; want %v", want, back, ok, at.Truncate(time.Second))
		}
	}
}

func TestParseTimestampRefuses(t *testing.T) {
	for _, s := range []string{"", "2026-01-02T15:04:05", "2026-01-02T15:04:05.000Z", "2026-01-02T15:04:05+01:00",
		"2026-13-02T15:04:05Z", "2026-02-30T15:04:05Z", "2026-01-02T24:00:00Z", "2026-01-02T15:04:60Z", "20x6-01-02T15:04:05Z", "+026-01-02T15:04:05Z"} {
		if _, ok := ParseTimestamp(s); ok {
			t.Errorf("ParseTimestamp(%q) accepted it", s)
		}
	}
}
