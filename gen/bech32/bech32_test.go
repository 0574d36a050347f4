package bech32

import (
	"bytes"
	"strings"
	"testing"
)

// BIP-173 test vectors: valid strings must verify and re-encode to themselves
// (lower-cased); invalid ones must fail for the stated reason.
func TestBech32Vectors(t *testing.T) {
	valid := []string{
		"A12UEL5L",
		"a12uel5l",
		"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
	}
	for _, s := range valid {
		hrp, data, err := Decode(s)
		if err == ErrPadding {
			// Valid bech32 whose 5-bit data is not whole bytes: the
			// checksum passed, which is what this vector tests.
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got := Encode(hrp, data); got != strings.ToLower(s) {
			t.Errorf("re-encode %q = %q", s, got)
		}
	}
	invalid := []struct {
		s    string
		want error
	}{
		{"\x201nwldj5", ErrChar},
		{"\x7f1axkwrx", ErrChar},
		{"pzry9x8gf2tvdw0s3jn54khce6mua7l", ErrSeparator},
		{"1pzry9x8gf2tvdw0s3jn54khce6mua7l", ErrSeparator},
		{"x1b4n0q5v", ErrChar},
		{"li1dgmt3", ErrSeparator},
		{"de1lg7wt\xff", ErrChar},
		{"A1G7SGD8", ErrChecksum},
		{"10a06t8", ErrSeparator},
		{"1qzzfhee", ErrSeparator},
		{"a12UEL5L", ErrCase},
	}
	for _, c := range invalid {
		if _, _, err := Decode(c.s); err != c.want {
			t.Errorf("%q: err = %v, want %v", c.s, err, c.want)
		}
	}
}

func TestBech32RoundTrip(t *testing.T) {
	for n := 0; n <= 40; n++ {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i*37 + n)
		}
		s := Encode("age", data)
		hrp, got, err := Decode(s)
		if err != nil || hrp != "age" || !bytes.Equal(got, data) {
			t.Fatalf("n=%d: %q -> %q %x %v", n, s, hrp, got, err)
		}
		up := strings.ToUpper(s)
		if _, got, err := Decode(up); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("upper n=%d: %v", n, err)
		}
		// Every single-character substitution in the data part must be caught.
		for i := len("age1"); i < len(s); i++ {
			b := []byte(s)
			b[i] = charset[(strings.IndexByte(charset, s[i])+1)%32]
			if _, _, err := Decode(string(b)); err == nil {
				t.Fatalf("n=%d: corrupted %q accepted", n, b)
			}
		}
	}
}
