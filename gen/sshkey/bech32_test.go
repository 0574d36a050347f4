package sshkey

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
		hrp, data, err := bech32Decode(s)
		if err == errBech32Padding {
			// Valid bech32 whose 5-bit data is not whole bytes: the
			// checksum passed, which is what this vector tests.
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got := bech32Encode(hrp, data); got != strings.ToLower(s) {
			t.Errorf("re-encode %q = %q", s, got)
		}
	}
	invalid := []struct {
		s    string
		want error
	}{
		{"\x201nwldj5", errBech32Char},
		{"\x7f1axkwrx", errBech32Char},
		{"pzry9x8gf2tvdw0s3jn54khce6mua7l", errBech32Sep},
		{"1pzry9x8gf2tvdw0s3jn54khce6mua7l", errBech32Sep},
		{"x1b4n0q5v", errBech32Char},
		{"li1dgmt3", errBech32Sep},
		{"de1lg7wt\xff", errBech32Char},
		{"A1G7SGD8", errBech32Checksum},
		{"10a06t8", errBech32Sep},
		{"1qzzfhee", errBech32Sep},
		{"a12UEL5L", errBech32Case},
	}
	for _, c := range invalid {
		if _, _, err := bech32Decode(c.s); err != c.want {
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
		s := bech32Encode("age", data)
		hrp, got, err := bech32Decode(s)
		if err != nil || hrp != "age" || !bytes.Equal(got, data) {
			t.Fatalf("n=%d: %q -> %q %x %v", n, s, hrp, got, err)
		}
		up := strings.ToUpper(s)
		if _, got, err := bech32Decode(up); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("upper n=%d: %v", n, err)
		}
		// Every single-character substitution in the data part must be caught.
		for i := len("age1"); i < len(s); i++ {
			b := []byte(s)
			b[i] = bech32Charset[(strings.IndexByte(bech32Charset, s[i])+1)%32]
			if _, _, err := bech32Decode(string(b)); err == nil {
				t.Fatalf("n=%d: corrupted %q accepted", n, b)
			}
		}
	}
}
