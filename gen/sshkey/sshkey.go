// Package sshkey turns pasted SSH public keys into age recipients, the way
// ssh-to-age does, for sops-nix and clan.
//
// It reads authorized_keys lines (with options), known_hosts and ssh-keyscan
// lines, .pub files and raw age1… recipients, one key per line, and explains
// every line it cannot use. The SSH wire format is parsed by hand rather than
// with golang.org/x/crypto/ssh, which would add about 0.45 MB (brotli) to the
// browser build.
//
// Private key material (OpenSSH, PEM, PKCS#8, PuTTY, age identities) is
// refused as a whole block with one error, and no message ever repeats any
// part of the input's key material.
package sshkey

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"github.com/fleetyard/fleetyard/gen/bech32"
	"strconv"
	"strings"

	"filippo.io/edwards25519"
)

// Key is one parsed public key.
type Key struct {
	// Line is the 1-based line in the input text (0 for ParseKey).
	Line int
	// Type is "ssh-ed25519" or "age" (a raw age1… recipient).
	Type string
	// Recipient is the age1… X25519 recipient, identical to what ssh-to-age
	// prints for the same SSH key.
	Recipient string
	// Fingerprint is "SHA256:…" as ssh-keygen -l prints it; empty for raw
	// age recipients.
	Fingerprint string
	// Comment is the text after the key. For a known_hosts or ssh-keyscan
	// line without one it is the host field (unless hashed), so the key can
	// still be told apart.
	Comment string
}

// LineError is a per-line problem. Its message never contains the input's
// key material.
type LineError struct {
	// Line is 1-based; 0 when from ParseKey.
	Line int
	// Msg says what is wrong.
	Msg string
	// Hint says how to fix it.
	Hint string
	// Private is set when the line (or block) was private key material; it
	// was dropped.
	Private bool
}

// WrongType reports whether the key is refused for its type alone (RSA,
// ECDSA, DSA, a security key): a well-formed key that no age key can be
// derived from.
func (e *LineError) WrongType() bool { return e.Hint == hintNewEd25519 || e.Hint == hintSK }

// Error returns "line N: msg (hint)", without the line part for ParseKey.
func (e *LineError) Error() string {
	var sb strings.Builder
	if e.Line > 0 {
		sb.WriteString("line ")
		sb.WriteString(strconv.Itoa(e.Line))
		sb.WriteString(": ")
	}
	sb.WriteString(e.Msg)
	if e.Hint != "" {
		sb.WriteString(" (")
		sb.WriteString(e.Hint)
		sb.WriteByte(')')
	}
	return sb.String()
}

// MaxInput bounds the text Parse reads: 1 MiB holds over a thousand RSA
// keys or ten thousand ed25519 keys, far more than anyone pastes, and keeps
// the work (a point decompression per ed25519 key) under a second.
const MaxInput = 1 << 20

// Parse reads any number of lines. Blank lines and lines starting with # are
// skipped. It returns the keys it could convert and one error per line it
// could not, both in line order. Text longer than [MaxInput] is refused
// whole, with one error (Line 0).
func Parse(text string) ([]Key, []*LineError) {
	if len(text) > MaxInput {
		return nil, []*LineError{{
			Msg:  "the input is larger than the limit of 1 MiB",
			Hint: "give public keys only, as in .pub files or authorized_keys; a thousand keys fit well under the limit",
		}}
	}
	if len(text) >= 2 && (text[0] == 0xff && text[1] == 0xfe || text[0] == 0xfe && text[1] == 0xff) {
		return nil, []*LineError{{Line: 1, Msg: "the input is UTF-16 text", Hint: "save it as UTF-8 (PowerShell: Out-File -Encoding utf8)"}}
	}
	var keys []Key
	var errs []*LineError
	block := privNone
	// A byte order mark, as Windows editors save UTF-8.
	for i, line := range splitLines(strings.TrimPrefix(text, "\ufeff")) {
		n := i + 1
		if block != privNone {
			in, last := blockContinues(block, line)
			if in {
				if last {
					block = privNone
				}
				continue
			}
			block = privNone
		}
		if kind := privateKind(line); kind != privNone {
			msg, hint := privateError(kind)
			errs = append(errs, &LineError{Line: n, Msg: msg, Hint: hint, Private: true})
			if !(kind == privPEM && isPEMEnd(line[strings.Index(line, "BEGIN "):])) {
				block = kind
			}
			continue
		}
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		k, err := parseLine(t)
		if err != nil {
			err.Line = n
			errs = append(errs, err)
			continue
		}
		k.Line = n
		keys = append(keys, k)
	}
	return keys, errs
}

// ParseKey reads exactly one key (surrounding blank and # lines are
// allowed). The error, when not nil, is a *LineError with Line 0.
func ParseKey(s string) (Key, error) {
	keys, errs := Parse(s)
	if len(errs) > 0 {
		e := *errs[0]
		e.Line = 0
		return Key{}, &e
	}
	switch len(keys) {
	case 0:
		return Key{}, &LineError{Msg: "no key found", Hint: hintWhatToPaste}
	case 1:
		k := keys[0]
		k.Line = 0
		return k, nil
	default:
		return Key{}, &LineError{
			Msg:  "found " + strconv.Itoa(len(keys)) + " keys where one was expected",
			Hint: "put each key in its own list entry",
		}
	}
}

// splitLines splits on \n, \r\n and lone \r, as editors count lines.
func splitLines(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			out = append(out, text[start:i])
			start = i + 1
		case '\r':
			out = append(out, text[start:i])
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(out, text[start:])
}

// Messages. Hints name the command that fixes the problem.
const (
	hintNewEd25519  = "add an ed25519 key: ssh-keygen -t ed25519"
	hintHostEd25519 = "use the host's ed25519 key instead: ssh-keyscan -t ed25519 HOST"
	hintWhatToPaste = "paste a public key line such as the contents of ~/.ssh/id_ed25519.pub (ssh-ed25519 AAAA… comment), or an age1… recipient"
	hintCopyAgain   = "copy the whole line again from the .pub file; it looks cut off or changed"
	hintAgeCopy     = "copy the recipient again exactly as age-keygen -y prints it"

	msgRSA   = "RSA keys have no age equivalent"
	msgECDSA = "ECDSA keys have no age equivalent"
	msgDSA   = "DSA keys have no age equivalent"
	msgSK    = "security-key (FIDO) SSH keys keep their secret in the hardware token, so no age key can be derived from them"
	hintSK   = "add a plain ed25519 key: ssh-keygen -t ed25519, or paste an age1… recipient"
	msgCert  = "this is an SSH certificate, not a public key"
	hintCert = "paste the public key it certifies instead: the .pub file without -cert in its name"
)

// parseLine reads one non-blank, non-comment, non-private line.
func parseLine(line string) (Key, *LineError) {
	f := fields(line, 4)
	if len(f) == 0 {
		return Key{}, &LineError{Msg: "no public key on this line", Hint: hintWhatToPaste}
	}
	if strings.HasPrefix(strings.ToLower(f[0].s), "age1") {
		return parseAgeLine(f[0].s, strings.TrimSpace(line[f[0].end:]))
	}
	if f[0].s[0] == '@' {
		return Key{}, markerError(f[0].s)
	}
	if f[0].unclosed {
		return Key{}, &LineError{
			Msg:  "the options before the key have an unclosed quote",
			Hint: `close the quote, as in from="10.0.0.0/8" ssh-ed25519 AAAA… comment`,
		}
	}
	// The key type is the first field of a .pub line, or the second after
	// authorized_keys options or a known_hosts host list.
	ti := -1
	for i := 0; i < len(f) && i < 2; i++ {
		if knownType(f[i].s) {
			ti = i
			break
		}
	}
	if ti < 0 {
		return Key{}, explainNoType(f)
	}
	typ := f[ti].s
	var prefix string
	if ti == 1 {
		prefix = f[0].s
		if isOptions(prefix) && hasOption(prefix, "cert-authority") {
			return Key{}, &LineError{
				Msg:  "this authorized_keys line has the cert-authority option: the key signs user certificates and is not a user's own key",
				Hint: "paste the user's own ed25519 public key instead",
			}
		}
	}
	if len(f) <= ti+1 {
		return Key{}, &LineError{Msg: "the key data is missing after " + typ, Hint: hintCopyAgain}
	}
	if e := unsupportedType(typ); e != nil {
		if e.Hint == hintNewEd25519 && prefix != "" && !isOptions(prefix) {
			// A known_hosts / ssh-keyscan line: the machine almost always
			// has an ed25519 host key too.
			e.Hint = hintHostEd25519
		}
		return Key{}, e
	}
	// typ is ssh-ed25519 here.
	blob, e := decodeBlob(f[ti+1].s)
	if e != nil {
		return Key{}, e
	}
	recipient, e := ed25519Recipient(typ, blob)
	if e != nil {
		return Key{}, e
	}
	comment := strings.TrimSpace(line[f[ti+1].end:])
	if comment == "" && prefix != "" && !isOptions(prefix) && prefix[0] != '|' {
		comment = prefix
	}
	sum := sha256.Sum256(blob)
	return Key{
		Type:        typ,
		Recipient:   recipient,
		Fingerprint: "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:]),
		Comment:     comment,
	}, nil
}

// unsupportedType explains every key type other than ssh-ed25519.
func unsupportedType(typ string) *LineError {
	switch {
	case typ == "ssh-ed25519":
		return nil
	case strings.HasSuffix(typ, "-cert-v01@openssh.com"):
		return &LineError{Msg: msgCert, Hint: hintCert}
	case strings.HasPrefix(typ, "sk-"):
		return &LineError{Msg: msgSK, Hint: hintSK}
	case typ == "ssh-rsa" || strings.HasPrefix(typ, "rsa-sha2-"):
		return &LineError{Msg: msgRSA, Hint: hintNewEd25519}
	case strings.HasPrefix(typ, "ecdsa-sha2-"):
		return &LineError{Msg: msgECDSA, Hint: hintNewEd25519}
	case typ == "ssh-dss":
		return &LineError{Msg: msgDSA, Hint: hintNewEd25519}
	}
	return &LineError{Msg: typ + " keys have no age equivalent", Hint: hintNewEd25519}
}

// knownType lists the SSH public key algorithm names OpenSSH and common
// tools write, so they are recognised whatever follows them.
func knownType(s string) bool {
	switch s {
	case "ssh-ed25519", "ssh-rsa", "ssh-dss", "ssh-ed448", "rsa-sha2-256", "rsa-sha2-512":
		return true
	}
	// Prefix matches must also be safe to echo, so that messages naming the
	// type never repeat key material glued onto a known prefix.
	return (strings.HasPrefix(s, "ecdsa-sha2-") || strings.HasPrefix(s, "sk-ssh-") ||
		strings.HasPrefix(s, "sk-ecdsa-") || strings.HasSuffix(s, "-cert-v01@openssh.com")) &&
		safeEcho(s) != ""
}

// explainNoType says what a line without a recognised key type is.
func explainNoType(f []field) *LineError {
	for _, x := range f {
		if strings.HasPrefix(x.s, "SHA256:") || strings.HasPrefix(x.s, "MD5:") {
			return &LineError{
				Msg:  "this is a key fingerprint, not the key itself",
				Hint: "paste the public key (the .pub file), not the output of ssh-keygen -l",
			}
		}
	}
	for i, x := range f {
		if i >= 2 && knownType(x.s) {
			return &LineError{
				Msg:  "unexpected words before the key type",
				Hint: "a key line is [options] ssh-ed25519 AAAA… comment, or host ssh-ed25519 AAAA… for known_hosts; remove the extra words",
			}
		}
	}
	for i, x := range f {
		blob, err := decodeBase64(x.s)
		if err != nil || len(x.s) < 16 {
			continue
		}
		inner, _, ok := readString(blob)
		if !ok || !typeLike(string(inner)) {
			continue
		}
		// The field is SSH key data. Whatever precedes it is the type
		// (misspelled or unknown) or a host/options field with no type.
		if i > 0 && typeLike(f[i-1].s) && !knownType(string(inner)) {
			return unknownType(f[i-1].s)
		}
		if i > 0 && typeLike(f[i-1].s) {
			return mismatch(f[i-1].s, string(inner))
		}
		return &LineError{
			Msg:  "the key type is missing before the key data",
			Hint: "paste the whole line, starting with ssh-ed25519",
		}
	}
	for i := 0; i+1 < len(f); i++ {
		if typeLike(f[i].s) && len(f[i+1].s) >= 16 && isBase64Run(f[i+1].s) {
			return unknownType(f[i].s)
		}
	}
	return &LineError{Msg: "no public key on this line", Hint: hintWhatToPaste}
}

func unknownType(typ string) *LineError {
	msg := "unknown key type"
	if s := safeEcho(typ); s != "" {
		msg = `unknown key type "` + s + `"`
	}
	return &LineError{Msg: msg, Hint: "Fleetyard needs an ssh-ed25519 key (ssh-keygen -t ed25519) or an age1… recipient"}
}

func mismatch(typ, inner string) *LineError {
	msg := "the key type does not match the key data"
	if safeEcho(typ) != "" {
		msg = "the key type " + typ + " does not match the key data"
		if s := safeEcho(inner); s != "" && knownType(s) {
			msg += " (" + s + ")"
		}
	}
	return &LineError{Msg: msg, Hint: "do not edit the key type; " + hintCopyAgain}
}

// markerError explains known_hosts markers: neither names the machine's own
// host key, so neither can be a machine's age recipient.
func markerError(m string) *LineError {
	switch m {
	case "@cert-authority":
		return &LineError{
			Msg:  "this known_hosts line is a certificate authority (@cert-authority), not a host key",
			Hint: "use the machine's own host key: ssh-keyscan -t ed25519 HOST",
		}
	case "@revoked":
		return &LineError{
			Msg:  "this known_hosts line marks a revoked key (@revoked)",
			Hint: "remove it; use the machine's current host key: ssh-keyscan -t ed25519 HOST",
		}
	}
	msg := "unknown known_hosts marker"
	if s := safeEcho(m); s != "" {
		msg = `unknown known_hosts marker "` + s + `"`
	}
	return &LineError{Msg: msg, Hint: "only @cert-authority and @revoked exist; remove the marker to use a plain host key line"}
}

// decodeBase64 accepts the padded form ssh-keygen writes and, for a cut-off
// copy, the unpadded form, so the error can say "truncated" rather than
// "not base64".
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil && len(s)%4 != 0 && isBase64Run(s) && !strings.Contains(s, "=") {
		b, err = base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			// One character past a 4-character group cannot be base64:
			// the copy was cut there.
			b, err = base64.RawStdEncoding.DecodeString(s[:len(s)-len(s)%4])
		}
	}
	return b, err
}

func decodeBlob(s string) ([]byte, *LineError) {
	b, err := decodeBase64(s)
	if err != nil {
		return nil, &LineError{Msg: "the key data is not valid base64", Hint: hintCopyAgain}
	}
	return b, nil
}

// readString reads one SSH wire-format string: a 4-byte big-endian length,
// then that many bytes.
func readString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, false
	}
	return b[4 : 4+n], b[4+n:], true
}

// ed25519Recipient checks the blob of an ssh-ed25519 key and converts it.
func ed25519Recipient(typ string, blob []byte) (string, *LineError) {
	truncated := &LineError{Msg: "the key data is truncated", Hint: hintCopyAgain}
	inner, rest, ok := readString(blob)
	if !ok {
		return "", truncated
	}
	if string(inner) != typ {
		return "", mismatch(typ, string(inner))
	}
	pub, rest, ok := readString(rest)
	if !ok {
		return "", truncated
	}
	if len(pub) != 32 {
		return "", &LineError{
			Msg:  "the ed25519 key is " + strconv.Itoa(len(pub)) + " bytes long; it must be 32",
			Hint: hintCopyAgain,
		}
	}
	if len(rest) > 0 {
		return "", &LineError{
			Msg:  "the key data has " + strconv.Itoa(len(rest)) + " unexpected bytes after the key",
			Hint: hintCopyAgain,
		}
	}
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return "", &LineError{Msg: "the ed25519 key is not a valid curve point", Hint: "generate a new key: ssh-keygen -t ed25519"}
	}
	// A small-order point gives the all-zero X25519 shared secret, which age
	// refuses; ssh-to-age would still print a recipient for it.
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return "", &LineError{
			Msg:  "the ed25519 key is a small-order (weak) point that age cannot encrypt to",
			Hint: "generate a new key: ssh-keygen -t ed25519",
		}
	}
	return bech32.Encode("age", p.BytesMontgomery()), nil
}

// parseAgeLine accepts a native X25519 age recipient; the rest of the line is
// its comment.
func parseAgeLine(s, comment string) (Key, *LineError) {
	hrp, data, err := bech32.Decode(s)
	if err != nil {
		return Key{}, &LineError{Msg: "the age recipient " + err.Error(), Hint: hintAgeCopy}
	}
	if hrp != "age" {
		// age1<plugin>1…: the identity lives in a plugin that sops-nix and
		// clan's activation script cannot call.
		return Key{}, &LineError{
			Msg:  "this is an age plugin recipient; Fleetyard needs a native X25519 recipient",
			Hint: "use age-keygen -y on an age identity, or paste an ssh-ed25519 public key",
		}
	}
	if s != strings.ToLower(s) {
		return Key{}, &LineError{Msg: "the age recipient is in upper case", Hint: "write it in lower case, exactly as age-keygen -y prints it"}
	}
	if len(data) != 32 {
		return Key{}, &LineError{
			Msg:  "the age recipient holds " + strconv.Itoa(len(data)) + " bytes; it must hold 32",
			Hint: hintAgeCopy,
		}
	}
	return Key{Type: "age", Recipient: s, Comment: comment}, nil
}

// field is one whitespace-separated field; end is its end offset in the line.
type field struct {
	s        string
	end      int
	unclosed bool
}

// fields splits the first max fields of line on spaces and tabs. Double
// quotes group (authorized_keys options such as command="a b"), with \" as
// an escaped quote inside them.
func fields(line string, max int) []field {
	var out []field
	i := 0
	for len(out) < max {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		start := i
		inQuote := false
		for i < len(line) && (inQuote || (line[i] != ' ' && line[i] != '\t')) {
			switch {
			case inQuote && line[i] == '\\' && i+1 < len(line):
				i++
			case line[i] == '"':
				inQuote = !inQuote
			}
			i++
		}
		out = append(out, field{s: line[start:i], end: i, unclosed: inQuote})
	}
	return out
}

// optionFlags are the authorized_keys options that take no value; options
// with a value contain '=' and hostnames never do.
var optionFlags = []string{
	"agent-forwarding", "cert-authority", "no-agent-forwarding", "no-port-forwarding",
	"no-pty", "no-touch-required", "no-user-rc", "no-x11-forwarding", "port-forwarding",
	"pty", "restrict", "user-rc", "verify-required", "x11-forwarding",
}

// isOptions tells an authorized_keys options field from a known_hosts host list.
func isOptions(s string) bool {
	if strings.HasPrefix(s, "|") {
		return false // a hashed known_hosts entry, |1|salt=|hash=
	}
	if strings.ContainsAny(s, `="`) {
		return true
	}
	for _, o := range strings.Split(s, ",") {
		found := false
		for _, f := range optionFlags {
			if strings.EqualFold(o, f) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// hasOption reports whether the options field has the flag name, outside quotes.
func hasOption(opts, name string) bool {
	inQuote := false
	start := 0
	for i := 0; i <= len(opts); i++ {
		if i < len(opts) && opts[i] == '"' {
			inQuote = !inQuote
		}
		if i == len(opts) || (opts[i] == ',' && !inQuote) {
			if strings.EqualFold(opts[start:i], name) {
				return true
			}
			start = i + 1
		}
	}
	return false
}

// looksLikeKeyLine is true for a line that is clearly a public key line
// (type first or after an options/host field, or an age1… recipient).
func looksLikeKeyLine(line string) bool {
	f := fields(strings.TrimSpace(line), 2)
	if len(f) == 0 {
		return false
	}
	if strings.HasPrefix(f[0].s, "age1") || knownType(f[0].s) {
		return true
	}
	return len(f) > 1 && knownType(f[1].s)
}

// typeLike matches SSH algorithm names: lower-case words joined by '-',
// optionally @domain. Such names can be echoed in messages safely.
func typeLike(s string) bool {
	if len(s) < 3 || len(s) > 64 || !strings.Contains(s, "-") || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-.@_", c) >= 0) {
			return false
		}
	}
	return true
}

// safeEcho returns s when it may appear in a message: short, plain name
// characters, no run of 16 or more base64 characters (which could be key
// material), and nothing the private key detector flags (AGE-PLUGIN-…).
// Otherwise it returns "". It is stricter than gen/internal/echo, which
// sits above this package and cannot be used here; what it lets through is
// also safe by echo's rules.
func safeEcho(s string) string {
	if len(s) == 0 || len(s) > 64 {
		return ""
	}
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || strings.IndexByte("-.@_:+/=", c) >= 0) {
			return ""
		}
		if isAlnum(c) || c == '+' || c == '/' || c == '=' {
			run++
			if run >= 16 {
				return ""
			}
		} else {
			run = 0
		}
	}
	if ContainsPrivate(s) {
		return ""
	}
	return s
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isBase64Run reports whether s consists only of base64 alphabet characters.
func isBase64Run(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '+' && s[i] != '/' && s[i] != '=' {
			return false
		}
	}
	return true
}
