package sshkey

import "strings"

// Private key detection. Every check is a fixed marker, never a heuristic on
// the key bytes, so ContainsPrivate and Parse agree on what they refuse.

// privKind is the kind of private material a line starts.
type privKind int

const (
	privNone    privKind = iota
	privPEM              // -----BEGIN … PRIVATE KEY----- up to its END line
	privPuTTY            // PuTTY-User-Key-File-N: up to Private-MAC:
	privAge              // AGE-SECRET-KEY-1… or AGE-PLUGIN-…-1…
	privOpenSSH          // an OpenSSH key body pasted without its BEGIN line
)

// opensshMagic64 is "openssh-key-v1" in base64: the first characters of every
// OpenSSH private key body, even when the BEGIN line was not copied.
const opensshMagic64 = "b3BlbnNzaC1rZXktdjE"

// privateKind reports whether line holds the start of (or a whole) private key.
func privateKind(line string) privKind {
	if isPEMBegin(line) {
		return privPEM
	}
	if strings.Contains(line, "PuTTY-User-Key-File-") || strings.Contains(line, "Private-Lines:") {
		return privPuTTY
	}
	if hasAgeSecret(line) {
		return privAge
	}
	if strings.Contains(line, opensshMagic64) {
		return privOpenSSH
	}
	return privNone
}

// isPEMBegin matches "-----BEGIN <anything> PRIVATE KEY-----" (OpenSSH, RSA,
// EC, DSA, PKCS#8, ENCRYPTED) and the ssh.com "---- BEGIN SSH2 ENCRYPTED
// PRIVATE KEY ----" form.
func isPEMBegin(line string) bool {
	i := strings.Index(line, "-----BEGIN ")
	if i < 0 {
		i = strings.Index(line, "---- BEGIN ")
	}
	return i >= 0 && strings.Contains(line[i:], "PRIVATE KEY")
}

// isPEMEnd matches the END line of a private block.
func isPEMEnd(line string) bool {
	i := strings.Index(line, "-----END ")
	if i < 0 {
		i = strings.Index(line, "---- END ")
	}
	return i >= 0 && strings.Contains(line[i:], "PRIVATE KEY")
}

// hasAgeSecret finds age identities in either case (bech32 allows both).
// AGE-PLUGIN- in upper case is always an identity; in lower case it is only
// one when followed by "<name>-1<data>", because "age-plugin-yubikey" is
// also the name of a program people mention in comments.
func hasAgeSecret(line string) bool {
	if strings.Contains(line, "AGE-PLUGIN-") || indexFold(line, "AGE-SECRET-KEY-1") >= 0 {
		return true
	}
	for rest := line; ; {
		i := indexFold(rest, "AGE-PLUGIN-")
		if i < 0 {
			return false
		}
		rest = rest[i+len("AGE-PLUGIN-"):]
		j := 0
		for j < len(rest) && (isAlnum(rest[j]) || strings.IndexByte(".+_-", rest[j]) >= 0) {
			j++
		}
		name := rest[:j]
		if k := strings.LastIndex(name, "-1"); k >= 0 && len(name)-k-2 >= 6 {
			return true
		}
	}
}

// indexFold is strings.Index of an upper-case ASCII marker in s, ignoring
// case, without the copy strings.ToUpper would make: every string of a
// spec goes through here.
func indexFold(s, marker string) int {
	for i := 0; i+len(marker) <= len(s); i++ {
		if s[i]&^0x20 == marker[0] && strings.EqualFold(s[i:i+len(marker)], marker) {
			return i
		}
	}
	return -1
}

// ContainsPrivate reports whether text holds private key material anywhere:
// an OpenSSH/PEM/PKCS#8 private key (encrypted or not), a PuTTY key file, or
// an age identity. Callers use it to drop such text before it is stored,
// shared or echoed.
func ContainsPrivate(text string) bool { return firstPrivate(text) != privNone }

// Private reports whether text holds private key material, with the
// message and hint that refuse it: fixed strings, nothing from text.
func Private(text string) (msg, hint string, found bool) {
	kind := firstPrivate(text)
	if kind == privNone {
		return "", "", false
	}
	msg, hint = privateError(kind)
	return msg, hint, true
}

// firstPrivate returns the kind of the first line of text that holds
// private key material.
func firstPrivate(text string) privKind {
	// Every marker has a '-' but the OpenSSH body's: most names and words
	// are answered here.
	if strings.IndexByte(text, '-') < 0 && !strings.Contains(text, opensshMagic64) {
		return privNone
	}
	for text != "" {
		line := text
		if i := strings.IndexAny(text, "\r\n"); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if k := privateKind(line); k != privNone {
			return k
		}
	}
	return privNone
}

// privateError is the one error for a private block. Messages are fixed
// strings: nothing from the input.
func privateError(kind privKind) (msg, hint string) {
	switch kind {
	case privPuTTY:
		return "private key refused: this is a PuTTY private key file; it was dropped and not stored",
			"paste the public key instead: puttygen KEYFILE -O public-openssh"
	case privAge:
		return "private key refused: this is an age identity (secret key); it was dropped and not stored",
			"paste its public age1… recipient instead: age-keygen -y KEYFILE"
	default:
		return "private key refused: this is an SSH private key; it was dropped and not stored",
			"paste the public key instead: the .pub file, or ssh-keygen -y -f KEYFILE"
	}
}

// blockContinues reports whether line still belongs to a private block of
// the given kind that began on an earlier line, and whether it is the last
// line of it. A line that is itself a public key line ends the block without
// being consumed, so a truncated private key cannot swallow the keys after it.
func blockContinues(kind privKind, line string) (inBlock, last bool) {
	if looksLikeKeyLine(line) {
		return false, false
	}
	switch kind {
	case privPEM:
		if isPEMEnd(line) {
			return true, true
		}
	case privPuTTY:
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "Private-MAC:") || strings.HasPrefix(t, "Private-Hash:") {
			return true, true
		}
	default:
		// Single-line identities and bare OpenSSH bodies: only more of the
		// same (base64 body lines, more identities, a stray END line).
		t := strings.TrimSpace(line)
		if isPEMEnd(t) || privateKind(t) != privNone {
			return true, false
		}
		return t != "" && isBase64Run(t), false
	}
	return true, false
}
