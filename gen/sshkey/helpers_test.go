package sshkey

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"github.com/fleetyard/fleetyard/gen/bech32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Test-only helpers. Nothing here may move into the package: deriving
// identities from private keys is something Fleetyard never does for users.

// fixture reads a throwaway key from testdata/ssh (a copy of
// /work/shared/fixtures/ssh).
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ssh", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sshString is one SSH wire-format string.
func sshString(b []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(b)))
	return append(out, b...)
}

// wire concatenates SSH strings.
func wire(parts ...string) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, sshString([]byte(p))...)
	}
	return out
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// edLine is an ssh-ed25519 .pub line for the 32 raw key bytes.
func edLine(pub []byte, comment string) string {
	s := "ssh-ed25519 " + b64(wire("ssh-ed25519", string(pub)))
	if comment != "" {
		s += " " + comment
	}
	return s
}

// opensshSeed extracts the ed25519 seed from an unencrypted openssh-key-v1
// private key file (PROTOCOL.key in OpenSSH).
func opensshSeed(text string) ([]byte, error) {
	var body strings.Builder
	in := false
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "-----BEGIN OPENSSH PRIVATE KEY-----":
			in = true
		case l == "-----END OPENSSH PRIVATE KEY-----":
			in = false
		case in:
			body.WriteString(l)
		}
	}
	b, err := base64.StdEncoding.DecodeString(body.String())
	if err != nil {
		return nil, err
	}
	const magic = "openssh-key-v1\x00"
	if !strings.HasPrefix(string(b), magic) {
		return nil, errors.New("not openssh-key-v1")
	}
	b = b[len(magic):]
	next := func() []byte {
		s, rest, ok := readString(b)
		if !ok {
			b = nil
			return nil
		}
		b = rest
		return s
	}
	cipher, _, _ := string(next()), next(), next() // cipher, kdf, kdf options
	if cipher != "none" {
		return nil, errors.New("encrypted private key")
	}
	if len(b) < 4 || binary.BigEndian.Uint32(b) != 1 {
		return nil, errors.New("want exactly one key")
	}
	b = b[4:]
	next() // public key
	b = next()
	if len(b) < 8 || binary.BigEndian.Uint32(b) != binary.BigEndian.Uint32(b[4:]) {
		return nil, errors.New("bad check bytes")
	}
	b = b[8:]
	if typ := string(next()); typ != "ssh-ed25519" {
		return nil, errors.New("not ed25519: " + typ)
	}
	next() // public key again
	priv := next()
	if len(priv) != 64 {
		return nil, errors.New("bad private key length")
	}
	return priv[:32], nil
}

// ageIdentity is what ssh-to-age -private-key prints: SHA-512(seed)[:32],
// not clamped, bech32 HRP AGE-SECRET-KEY-, upper case.
func ageIdentity(seed []byte) string {
	h := sha512.Sum512(seed)
	return strings.ToUpper(bech32.Encode("age-secret-key-", h[:32]))
}

// leak returns a 16-character run of base64 characters that out shares with
// input, or "". Messages must never repeat key material.
func leak(input, out string) string {
	run := 0
	for i := 0; i < len(out); i++ {
		c := out[i]
		if isAlnum(c) || c == '+' || c == '/' || c == '=' {
			run++
		} else {
			run = 0
		}
		if run >= 16 {
			if w := out[i-15 : i+1]; strings.Contains(input, w) {
				return w
			}
		}
	}
	return ""
}
