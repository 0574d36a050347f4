package sops

import (
	"strconv"
	"time"
)

// Timestamp is t as sops writes lastmodified: RFC 3339 in UTC, whole
// seconds ("2026-01-02T15:04:05Z"), the same text as
// t.UTC().Truncate(time.Second).Format(time.RFC3339) for years 0–9999.
// It is written by hand because time's layout formatter and parser are
// about 10 KB of the brotli-compressed wasm module, and this is the only
// layout the generator prints.
func Timestamp(t time.Time) string {
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b := make([]byte, 0, 20)
	b = pad(b, y, 4)
	b = append(b, '-')
	b = pad(b, int(mo), 2)
	b = append(b, '-')
	b = pad(b, d, 2)
	b = append(b, 'T')
	b = pad(b, h, 2)
	b = append(b, ':')
	b = pad(b, mi, 2)
	b = append(b, ':')
	b = pad(b, s, 2)
	return string(append(b, 'Z'))
}

// ParseTimestamp reads what [Timestamp] writes, and nothing else: the
// playground always sends that form (session.ts), so a strict parser is
// enough and keeps time.Parse out of the wasm module. The CLI's --time
// accepts any RFC 3339 time through time.Parse.
func ParseTimestamp(s string) (time.Time, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	var n [6]int
	for i, f := range [6][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}} {
		v, err := strconv.Atoi(s[f[0]:f[1]])
		if err != nil || v < 0 {
			return time.Time{}, false
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
	// time.Date normalises out-of-range fields (month 13, second 61): a
	// round trip tells those apart from real times.
	if Timestamp(t) != s {
		return time.Time{}, false
	}
	return t, true
}

func pad(b []byte, v, width int) []byte {
	digits := strconv.Itoa(v)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}
