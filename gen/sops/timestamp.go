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
// layout the generator prints. The calendar is computed from the Unix time
// (civil below) rather than by t.Date and t.Clock, which would link
// time's zone lookup and local-zone set-up (about 14 KB of wasm) for a
// time that is always shown in UTC.
func Timestamp(t time.Time) string {
	sec := t.Unix()
	days := sec / 86400
	if sec%86400 < 0 {
		days-- // floor: the day an instant before 1970 falls in
	}
	y, mo, d := civil(days)
	s := int(sec - days*86400)
	b := make([]byte, 0, 20)
	b = pad(b, y, 4)
	b = append(b, '-')
	b = pad(b, mo, 2)
	b = append(b, '-')
	b = pad(b, d, 2)
	b = append(b, 'T')
	b = pad(b, s/3600, 2)
	b = append(b, ':')
	b = pad(b, s/60%60, 2)
	b = append(b, ':')
	b = pad(b, s%60, 2)
	return string(append(b, 'Z'))
}

// civil is the proleptic Gregorian date of the day days after 1970-01-01,
// by counting 400-year eras of 146097 days from 0000-03-01 (so that the
// leap day ends a year).
func civil(days int64) (year, month, day int) {
	z := days + 719468 // days since 0000-03-01
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097                                  // day of the era, [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of the era, [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of the March-based year, [0, 365]
	mp := (5*doy + 2) / 153                                // month counted from March, [0, 11]
	day = int(doy - (153*mp+2)/5 + 1)
	month = int(mp + 3)
	if month > 12 {
		month -= 12
	}
	year = int(yoe + era*400)
	if month <= 2 {
		year++
	}
	return year, month, day
}

// daysFrom is civil's inverse: the days from 1970-01-01 to the date (out of
// range months and days give some other date, which ParseTimestamp's round
// trip refuses).
func daysFrom(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	m := int64(month) - 3
	if m < 0 {
		m += 12
	}
	doy := (153*m+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
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
	t := time.Unix(daysFrom(n[0], n[1], n[2])*86400+int64(n[3]*3600+n[4]*60+n[5]), 0).UTC()
	// Out-of-range fields (month 13, second 61) give another instant: a
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
