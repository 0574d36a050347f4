package sshkey

import (
	"encoding/base64"
	"github.com/fleetyard/fleetyard/gen/bech32"
	"strings"
	"testing"

	"filippo.io/edwards25519"
)

type tsvRow struct{ name, recipient, identity string }

func expectedRows(t *testing.T) []tsvRow {
	var rows []tsvRow
	for _, l := range strings.Split(fixture(t, "expected.tsv"), "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("bad expected.tsv row %q", l)
		}
		rows = append(rows, tsvRow{f[0], f[1], f[2]})
	}
	if len(rows) != 7 {
		t.Fatalf("expected.tsv has %d rows, want 7", len(rows))
	}
	return rows
}

// Every fixture converts to what ssh-to-age printed, and the identity derived
// from the matching private key is ssh-to-age's too.
func TestExpectedTSV(t *testing.T) {
	for _, r := range expectedRows(t) {
		t.Run(r.name, func(t *testing.T) {
			pub := fixture(t, r.name+".pub")
			k, err := ParseKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			if k.Recipient != r.recipient {
				t.Errorf("recipient = %s, want %s", k.Recipient, r.recipient)
			}
			if k.Type != "ssh-ed25519" || k.Comment != r.name+"@fixture" || k.Line != 0 {
				t.Errorf("key = %+v", k)
			}
			seed, serr := opensshSeed(fixture(t, r.name))
			if serr != nil {
				t.Fatal(serr)
			}
			if id := ageIdentity(seed); id != r.identity {
				t.Errorf("identity = %s, want %s", id, r.identity)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	// From ssh-keygen -lf on the fixtures.
	for name, want := range map[string]string{
		"alice.pub":         "SHA256:iW3LDWM9G8B0X2Y7M2E4tr39Zo2bM8U5+rcuh3pVcww",
		"bob.pub":           "SHA256:AMP1KkW3xNZZmSt4/6ObmcZkOPLwB1tgja6LhebjWE4",
		"host-cinnabar.pub": "SHA256:DHn9vDltHhLCpDLKK/zJtWuKYc2xhy49xR9sn+/pQFM",
	} {
		k, err := ParseKey(fixture(t, name))
		if err != nil || k.Fingerprint != want {
			t.Errorf("%s: fingerprint %q, %v; want %s", name, k.Fingerprint, err, want)
		}
	}
}

func TestFixtureUnsupported(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"rsa-user.pub", "RSA keys have no age equivalent (add an ed25519 key: ssh-keygen -t ed25519)"},
		{"ecdsa-user.pub", "ECDSA keys have no age equivalent (add an ed25519 key: ssh-keygen -t ed25519)"},
	} {
		in := fixture(t, c.file)
		keys, errs := Parse(in)
		if len(keys) != 0 || len(errs) != 1 {
			t.Fatalf("%s: %d keys, %d errors", c.file, len(keys), len(errs))
		}
		if got := errs[0].Error(); got != "line 1: "+c.want {
			t.Errorf("%s: %q", c.file, got)
		}
		if errs[0].Private {
			t.Errorf("%s: marked private", c.file)
		}
		if _, err := ParseKey(in); err == nil || err.Error() != c.want {
			t.Errorf("%s: ParseKey error %v", c.file, err)
		}
	}
	// The passphrase only protects the private half; the .pub converts.
	k, err := ParseKey(fixture(t, "encrypted-ed25519.pub"))
	if err != nil || !strings.HasPrefix(k.Recipient, "age1") || len(k.Recipient) != 62 {
		t.Errorf("encrypted-ed25519.pub: %+v %v", k, err)
	}
}

func TestFixturePrivateRefused(t *testing.T) {
	for _, name := range []string{"alice", "encrypted-ed25519", "rsa-user", "ecdsa-user", "host-cinnabar"} {
		in := fixture(t, name)
		if !ContainsPrivate(in) {
			t.Errorf("%s: ContainsPrivate = false", name)
		}
		keys, errs := Parse(in)
		if len(keys) != 0 || len(errs) != 1 || !errs[0].Private || errs[0].Line != 1 {
			t.Fatalf("%s: keys %v errs %v", name, keys, errs)
		}
		if w := leak(in, errs[0].Error()); w != "" {
			t.Errorf("%s: error repeats %q", name, w)
		}
		_, err := ParseKey(in)
		if le, ok := err.(*LineError); !ok || !le.Private || le.Line != 0 {
			t.Errorf("%s: ParseKey err %v", name, err)
		}
	}
	for _, name := range []string{"alice.pub", "rsa-user.pub", "expected.tsv"} {
		// expected.tsv has AGE-SECRET-KEY-1… identities: private.
		if got, want := ContainsPrivate(fixture(t, name)), name == "expected.tsv"; got != want {
			t.Errorf("ContainsPrivate(%s) = %v", name, got)
		}
	}
}

// alicePub is the raw 32-byte key of the alice fixture.
func alicePub(t *testing.T) []byte {
	f := strings.Fields(fixture(t, "alice.pub"))
	b, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil {
		t.Fatal(err)
	}
	return b[len(b)-32:]
}

func TestMalformed(t *testing.T) {
	pub := alicePub(t)
	good := b64(wire("ssh-ed25519", string(pub)))
	if _, err := new(edwards25519.Point).SetBytes(append([]byte{2}, make([]byte, 31)...)); err == nil {
		t.Fatal("y=2 was expected to be off the curve")
	}
	yTwo := append([]byte{2}, make([]byte, 31)...)
	identity := append([]byte{1}, make([]byte, 31)...)
	zero := make([]byte, 32) // y=0: order 4
	minusOne := []byte{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f} // y=-1: order 2
	rsaBlob := b64(wire("ssh-rsa", "\x01\x00\x01", strings.Repeat("\x42", 64)))
	age32 := bech32.Encode("age", pub)

	const (
		hCopy  = "copy the whole line again from the .pub file; it looks cut off or changed"
		hNew   = "generate a new key: ssh-keygen -t ed25519"
		hAge   = "copy the recipient again exactly as age-keygen -y prints it"
		hPaste = "paste a public key line such as the contents of ~/.ssh/id_ed25519.pub (ssh-ed25519 AAAA… comment), or an age1… recipient"
	)
	cases := []struct {
		name, in, msg, hint string
	}{
		{"not base64", "ssh-ed25519 AAAA!!!! c", "the key data is not valid base64", hCopy},
		{"truncated at 4-char boundary", "ssh-ed25519 " + good[:40] + " c", "the key data is truncated", hCopy},
		{"truncated mid-group", "ssh-ed25519 " + good[:45], "the key data is truncated", hCopy},
		{"truncated inside type", "ssh-ed25519 AAAAC3Nz", "the key data is truncated", hCopy},
		{"short length prefix", "ssh-ed25519 AAA=", "the key data is truncated", hCopy},
		{"trailing bytes", "ssh-ed25519 " + b64(append(wire("ssh-ed25519", string(pub)), 0, 0)), "the key data has 2 unexpected bytes after the key", hCopy},
		{"short key", "ssh-ed25519 " + b64(wire("ssh-ed25519", string(pub[:31]))), "the ed25519 key is 31 bytes long; it must be 32", hCopy},
		{"long key", "ssh-ed25519 " + b64(wire("ssh-ed25519", string(pub)+"x")), "the ed25519 key is 33 bytes long; it must be 32", hCopy},
		{"type says ed25519, blob rsa", "ssh-ed25519 " + rsaBlob + " c", "the key type ssh-ed25519 does not match the key data (ssh-rsa)", "do not edit the key type; " + hCopy},
		{"misspelt type", "ssh-ed2559 " + good + " c", "the key type ssh-ed2559 does not match the key data (ssh-ed25519)", "do not edit the key type; " + hCopy},
		{"blob garbage type", "ssh-ed25519 " + b64(wire("\x00\xff", string(pub))), "the key type ssh-ed25519 does not match the key data", "do not edit the key type; " + hCopy},
		{"invalid point", edLine(yTwo, "c"), "the ed25519 key is not a valid curve point", hNew},
		{"identity point", edLine(identity, "c"), "the ed25519 key is a small-order (weak) point that age cannot encrypt to", hNew},
		{"order-4 point", edLine(zero, "c"), "the ed25519 key is a small-order (weak) point that age cannot encrypt to", hNew},
		{"order-2 point", edLine(minusOne, "c"), "the ed25519 key is a small-order (weak) point that age cannot encrypt to", hNew},
		{"unknown type", "ssh-foo " + b64(wire("ssh-foo", "0123456789abcdef0123")) + " c", `unknown key type "ssh-foo"`, "Fleetyard needs an ssh-ed25519 key (ssh-keygen -t ed25519) or an age1… recipient"},
		{"unknown type undecodable", "ssh-foo AAAAAAAAAAAAAAAAAAAAA", `unknown key type "ssh-foo"`, "Fleetyard needs an ssh-ed25519 key (ssh-keygen -t ed25519) or an age1… recipient"},
		{"unknown type long base64 name", "ssh-aaaaaaaaaaaaaaaaaaaaaaaaa " + b64(wire("ssh-aaaaaaaaaaaaaaaaaaaaaaaaa", "xxxxxxxxxxxxxxxxxxxx")), "unknown key type", "Fleetyard needs an ssh-ed25519 key (ssh-keygen -t ed25519) or an age1… recipient"},
		{"only a comment", "alice@laptop", "no public key on this line", hPaste},
		{"only a hostname", "cinnabar.example.com", "no public key on this line", hPaste},
		{"only words", "my work laptop key", "no public key on this line", hPaste},
		{"words before type", "alice laptop " + "ssh-ed25519 " + good, "unexpected words before the key type", "a key line is [options] ssh-ed25519 AAAA… comment, or host ssh-ed25519 AAAA… for known_hosts; remove the extra words"},
		{"type only", "ssh-ed25519", "the key data is missing after ssh-ed25519", hCopy},
		{"missing type", good + " alice", "the key type is missing before the key data", "paste the whole line, starting with ssh-ed25519"},
		{"fingerprint", "256 SHA256:iW3LDWM9G8B0X2Y7M2E4tr39Zo2bM8U5+rcuh3pVcww alice@fixture (ED25519)", "this is a key fingerprint, not the key itself", "paste the public key (the .pub file), not the output of ssh-keygen -l"},
		{"rsa", "ssh-rsa " + rsaBlob + " r", "RSA keys have no age equivalent", "add an ed25519 key: ssh-keygen -t ed25519"},
		{"rsa-sha2-512", "rsa-sha2-512 " + rsaBlob, "RSA keys have no age equivalent", "add an ed25519 key: ssh-keygen -t ed25519"},
		{"ecdsa 521", "ecdsa-sha2-nistp521 AAAAE2VjZHNh", "ECDSA keys have no age equivalent", "add an ed25519 key: ssh-keygen -t ed25519"},
		{"dsa", "ssh-dss AAAAB3NzaC1kc3M=", "DSA keys have no age equivalent", "add an ed25519 key: ssh-keygen -t ed25519"},
		{"ed448", "ssh-ed448 AAAACXNzaC1lZDQ0OA==", "ssh-ed448 keys have no age equivalent", "add an ed25519 key: ssh-keygen -t ed25519"},
		{"sk ed25519", "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t yubi", "security-key (FIDO) SSH keys keep their secret in the hardware token, so no age key can be derived from them", "add a plain ed25519 key: ssh-keygen -t ed25519, or paste an age1… recipient"},
		{"sk ecdsa", "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNr", "security-key (FIDO) SSH keys keep their secret in the hardware token, so no age key can be derived from them", "add a plain ed25519 key: ssh-keygen -t ed25519, or paste an age1… recipient"},
		{"ed25519 cert", "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQ= c", "this is an SSH certificate, not a public key", "paste the public key it certifies instead: the .pub file without -cert in its name"},
		{"rsa cert", "ssh-rsa-cert-v01@openssh.com AAAA", "this is an SSH certificate, not a public key", "paste the public key it certifies instead: the .pub file without -cert in its name"},
		{"sk cert", "sk-ssh-ed25519-cert-v01@openssh.com AAAA", "this is an SSH certificate, not a public key", "paste the public key it certifies instead: the .pub file without -cert in its name"},
		{"unclosed quote", `from="10.0.0.1 ssh-ed25519 ` + good, "the options before the key have an unclosed quote", `close the quote, as in from="10.0.0.0/8" ssh-ed25519 AAAA… comment`},
		{"cert-authority option", "cert-authority,no-pty " + "ssh-ed25519 " + good, "this authorized_keys line has the cert-authority option: the key signs user certificates and is not a user's own key", "paste the user's own ed25519 public key instead"},
		{"@cert-authority", "@cert-authority *.example.com " + "ssh-ed25519 " + good, "this known_hosts line is a certificate authority (@cert-authority), not a host key", "use the machine's own host key: ssh-keyscan -t ed25519 HOST"},
		{"@revoked", "@revoked cinnabar " + "ssh-ed25519 " + good, "this known_hosts line marks a revoked key (@revoked)", "remove it; use the machine's current host key: ssh-keyscan -t ed25519 HOST"},
		{"@other", "@trusted cinnabar " + "ssh-ed25519 " + good, `unknown known_hosts marker "@trusted"`, "only @cert-authority and @revoked exist; remove the marker to use a plain host key line"},
		{"known_hosts rsa", "cinnabar,10.0.0.5 ssh-rsa " + rsaBlob, "RSA keys have no age equivalent", "use the host's ed25519 key instead: ssh-keyscan -t ed25519 HOST"},
		{"hashed known_hosts ecdsa", "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ecdsa-sha2-nistp256 AAAAE2Vj", "ECDSA keys have no age equivalent", "use the host's ed25519 key instead: ssh-keyscan -t ed25519 HOST"},
		{"options rsa", "no-pty ssh-rsa " + rsaBlob, "RSA keys have no age equivalent", "add an ed25519 key: ssh-keygen -t ed25519"},
		{"age bad checksum", age32[:len(age32)-1] + "q", "the age recipient has a wrong checksum", hAge},
		{"age typo", strings.Replace(age32, "y", "x", 1), "the age recipient has a wrong checksum", hAge},
		{"age bad char", "age1" + strings.Repeat("b", 58), "the age recipient contains a character that bech32 does not use", hAge},
		{"age mixed case", "age1" + strings.ToUpper(age32[4:]), "the age recipient mixes upper and lower case", hAge},
		{"age upper", strings.ToUpper(age32), "the age recipient is in upper case", "write it in lower case, exactly as age-keygen -y prints it"},
		{"age short", bech32.Encode("age", pub[:31]), "the age recipient holds 31 bytes; it must hold 32", hAge},
		{"age cut", age32[:30], "the age recipient has a wrong checksum", hAge},
		{"age no data", "age1", "the age recipient has no data part after the last 1", hAge},
		{"age plugin", bech32.Encode("age1yubikey", pub), "this is an age plugin recipient; Fleetyard needs a native X25519 recipient", "use age-keygen -y on an age identity, or paste an ssh-ed25519 public key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keys, errs := Parse("# first line is a comment\n" + c.in + "\n")
			if len(keys) != 0 || len(errs) != 1 {
				t.Fatalf("got keys %+v errs %v", keys, errs)
			}
			e := errs[0]
			if e.Line != 2 || e.Msg != c.msg || e.Hint != c.hint || e.Private {
				t.Errorf("got  line %d %q (%q) private=%v\nwant line 2 %q (%q)", e.Line, e.Msg, e.Hint, e.Private, c.msg, c.hint)
			}
			if w := leak(c.in, e.Error()); w != "" {
				t.Errorf("message repeats input %q", w)
			}
			if _, err := ParseKey(c.in); err == nil || err.Error() != c.msg+" ("+c.hint+")" {
				t.Errorf("ParseKey: %v", err)
			}
		})
	}
}

func TestAccepted(t *testing.T) {
	pub := alicePub(t)
	good := b64(wire("ssh-ed25519", string(pub)))
	const want = "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3"
	cases := []struct{ name, in, comment string }{
		{"pub line", "ssh-ed25519 " + good + " alice@fixture", "alice@fixture"},
		{"no comment", "ssh-ed25519 " + good, ""},
		{"comment with spaces and quotes", "ssh-ed25519 " + good + ` Alice's "work" laptop`, `Alice's "work" laptop`},
		{"tabs and indent", "\t ssh-ed25519\t" + good + "\tc ", "c"},
		{"CRLF", "ssh-ed25519 " + good + " c\r", "c"},
		{"unpadded base64", "ssh-ed25519 " + strings.TrimRight(good, "=") + " c", "c"},
		// authorized_keys options
		{"flag option", "no-pty ssh-ed25519 " + good + " c", "c"},
		{"flag options", "restrict,no-port-forwarding ssh-ed25519 " + good, ""},
		{"quoted spaces and commas", `from="10.0.0.1, 10.0.0.2",command="echo a b, c" ssh-ed25519 ` + good + " deploy key", "deploy key"},
		{"escaped quote", `command="echo \"a b\"",no-pty ssh-ed25519 ` + good + " c", "c"},
		{"environment", `environment="A=b c",permitopen="host:22" ssh-ed25519 ` + good, ""},
		// known_hosts and ssh-keyscan
		{"host", "cinnabar ssh-ed25519 " + good, "cinnabar"},
		{"hosts", "cinnabar,10.0.0.5 ssh-ed25519 " + good, "cinnabar,10.0.0.5"},
		{"host port", "[cinnabar.example.com]:2222 ssh-ed25519 " + good, "[cinnabar.example.com]:2222"},
		{"host with comment", "cinnabar ssh-ed25519 " + good + " note", "note"},
		{"hashed host", "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ssh-ed25519 " + good, ""},
		{"wildcard host", "*.example.com,!bad.example.com ssh-ed25519 " + good, "*.example.com,!bad.example.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := ParseKey(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if k.Recipient != want || k.Comment != c.comment || k.Type != "ssh-ed25519" ||
				k.Fingerprint != "SHA256:iW3LDWM9G8B0X2Y7M2E4tr39Zo2bM8U5+rcuh3pVcww" {
				t.Errorf("got %+v, comment want %q", k, c.comment)
			}
		})
	}
	k, err := ParseKey(want + " # backup key")
	if err != nil || k.Type != "age" || k.Recipient != want || k.Fingerprint != "" || k.Comment != "# backup key" {
		t.Errorf("raw age: %+v %v", k, err)
	}
}

func TestParseKeyCounts(t *testing.T) {
	alice, bob := fixture(t, "alice.pub"), fixture(t, "bob.pub")
	if _, err := ParseKey("\n# nothing\n"); err == nil || err.Error() != "no key found (paste a public key line such as the contents of ~/.ssh/id_ed25519.pub (ssh-ed25519 AAAA… comment), or an age1… recipient)" {
		t.Errorf("empty: %v", err)
	}
	if _, err := ParseKey(alice + bob); err == nil || err.Error() != "found 2 keys where one was expected (put each key in its own list entry)" {
		t.Errorf("two: %v", err)
	}
	if _, err := ParseKey("# mine\n\n" + alice); err != nil {
		t.Errorf("comment + key: %v", err)
	}
	// The first problem is reported, without a line number.
	_, err := ParseKey(alice + fixture(t, "rsa-user.pub"))
	if le, ok := err.(*LineError); !ok || le.Line != 0 || le.Msg != msgRSA {
		t.Errorf("key + rsa: %v", err)
	}
}

// A realistic paste: comments, blank lines, CRLF, ssh-keyscan output with
// all host key types, a private key in the middle, and keys after it.
func TestMultiLinePaste(t *testing.T) {
	alice, bob, carol := strings.TrimSpace(fixture(t, "alice.pub")), strings.TrimSpace(fixture(t, "bob.pub")), strings.TrimSpace(fixture(t, "carol.pub"))
	f := func(name string) string { return strings.Fields(fixture(t, name))[1] }
	priv := strings.TrimSpace(fixture(t, "admin")) // 7 lines
	lines := []string{
		"# team keys",                        // 1
		alice,                                // 2
		"",                                   // 3
		fixture(t, "rsa-user.pub")[:392],     // 4 (no newline)
		bob + "\r",                           // 5
		"just a note",                        // 6
		"# cinnabar:22 SSH-2.0-OpenSSH_9.6",  // 7
		"cinnabar ssh-ecdsa-sha2-nistp256 x", // 8 (unknown-looking type)
		"cinnabar " + "ecdsa-sha2-nistp256 " + f("ecdsa-user.pub"), // 9
		"cinnabar ssh-ed25519 " + f("host-cinnabar.pub"),           // 10
		priv,  // 11..17
		carol, // 18
		"AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W", // 19
		"age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny",             // 20
	}
	in := strings.Join(lines, "\n")
	keys, errs := Parse(in)
	type kl struct {
		line      int
		recipient string
		comment   string
	}
	var gotK []kl
	for _, k := range keys {
		gotK = append(gotK, kl{k.Line, k.Recipient, k.Comment})
	}
	wantK := []kl{
		{2, "age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3", "alice@fixture"},
		{5, "age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny", "bob@fixture"},
		{10, "age1uwyhqz4mxlqwkjvhr23zy4aeq0359azp6fw7fq7wx73z0kdsla7qjc36x5", "cinnabar"},
		{18, "age1zuq85j9uwut0r97t4pzjhn9t3ypslds76uursc2rqk3ts8hkns9sz3kpj5", "carol@fixture"},
		{20, "age1df3u0c0gvzpy0hqkudv7exh982aks2llu9tjgvmc6e9ul87egeys63l8ny", ""},
	}
	if len(gotK) != len(wantK) {
		t.Fatalf("keys = %v", gotK)
	}
	for i := range wantK {
		if gotK[i] != wantK[i] {
			t.Errorf("key %d = %v, want %v", i, gotK[i], wantK[i])
		}
	}
	var gotE []string
	for _, e := range errs {
		s := e.Error()
		if e.Private {
			s = "PRIVATE " + s
		}
		gotE = append(gotE, s)
		if w := leak(in, e.Error()); w != "" {
			t.Errorf("error repeats input %q", w)
		}
	}
	wantE := []string{
		"line 4: RSA keys have no age equivalent (add an ed25519 key: ssh-keygen -t ed25519)",
		"line 6: no public key on this line (" + hintWhatToPaste + ")",
		"line 8: no public key on this line (" + hintWhatToPaste + ")",
		"line 9: ECDSA keys have no age equivalent (use the host's ed25519 key instead: ssh-keyscan -t ed25519 HOST)",
		"PRIVATE line 11: private key refused: this is an SSH private key; it was dropped and not stored (paste the public key instead: the .pub file, or ssh-keygen -y -f KEYFILE)",
		"PRIVATE line 19: private key refused: this is an age identity (secret key); it was dropped and not stored (paste its public age1… recipient instead: age-keygen -y KEYFILE)",
	}
	if strings.Join(gotE, "\n") != strings.Join(wantE, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(gotE, "\n"), strings.Join(wantE, "\n"))
	}
}

// Each private block gives exactly one Private error at its first line, and
// the public key after it still converts with the right line number.
func TestPrivateBlocks(t *testing.T) {
	body := func(seed byte, n int) string {
		var lines []string
		for i := 0; i < n; i++ {
			b := make([]byte, 48)
			for j := range b {
				b[j] = seed + byte(i*48+j)*7
			}
			lines = append(lines, b64(b))
		}
		return strings.Join(lines, "\n")
	}
	alice := strings.TrimSpace(fixture(t, "alice"))
	aliceBody := strings.Join(strings.Split(alice, "\n")[1:6], "\n")
	cases := []struct {
		name, in string
		kind     privKind
	}{
		{"openssh", alice, privOpenSSH},
		{"openssh encrypted", strings.TrimSpace(fixture(t, "encrypted-ed25519")), privOpenSSH},
		{"openssh rsa", strings.TrimSpace(fixture(t, "rsa-user")), privOpenSSH},
		{"pem rsa encrypted", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,9F2B0D1A3C4E5F60718293A4B5C6D7E8\n\n" + body(1, 6) + "\n-----END RSA PRIVATE KEY-----", privPEM},
		{"pem ec", "-----BEGIN EC PRIVATE KEY-----\n" + body(2, 3) + "\n-----END EC PRIVATE KEY-----", privPEM},
		{"pkcs8", "-----BEGIN PRIVATE KEY-----\n" + body(3, 2) + "\n-----END PRIVATE KEY-----", privPEM},
		{"pkcs8 encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body(4, 4) + "\n-----END ENCRYPTED PRIVATE KEY-----", privPEM},
		{"ssh.com", "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"k\"\n" + body(5, 4) + "\n---- END SSH2 ENCRYPTED PRIVATE KEY ----", privPEM},
		{"indented", "    -----BEGIN OPENSSH PRIVATE KEY-----\n    " + strings.ReplaceAll(aliceBody, "\n", "\n    ") + "\n    -----END OPENSSH PRIVATE KEY-----", privPEM},
		{"flattened to one line", strings.ReplaceAll(alice, "\n", " "), privPEM},
		{"putty v3", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-20240101\nPublic-Lines: 2\n" + body(6, 2) + "\nPrivate-Lines: 1\n" + body(7, 1) + "\nPrivate-MAC: 5f1a9e0c3b7d2a4f6e8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a", privPuTTY},
		{"putty v2 encrypted", "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: aes256-cbc\nComment: rsa-key\nPublic-Lines: 3\n" + body(8, 3) + "\nPrivate-Lines: 2\n" + body(9, 2) + "\nPrivate-MAC: 0123456789abcdef0123456789abcdef01234567", privPuTTY},
		{"age keys.txt", "# created: 2024-01-01T00:00:00Z\n# public key: age1ycdpdgpsev0regsv2vcaar77n33nq7t29davuemcxf3pse2mpsvql7hap3\nAGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W", privAge},
		{"two age identities", "AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W\nAGE-SECRET-KEY-1PDS6JJFKQR95M4XJNTXSJT2D9PRFUED8JCQ8VSW88LN457RUDDVS2CADXS", privAge},
		{"age identity lower case", "age-secret-key-1alk83qzf3d8mcx2u6vs0j7cdkutv62cvj7y52ndx98gud3w4egvswerz3w", privAge},
		{"age plugin identity", "AGE-PLUGIN-YUBIKEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP9S3J5E", privAge},
		{"age plugin identity lower", "age-plugin-yubikey-1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgp9s3j5e", privAge},
		{"bare openssh body", aliceBody, privOpenSSH},
		{"body and END", aliceBody + "\n-----END OPENSSH PRIVATE KEY-----", privOpenSSH},
		{"secret after a public key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT AGE-SECRET-KEY-1ALK83QZF3D8MCX2U6VS0J7CDKUTV62CVJ7Y52NDX98GUD3W4EGVSWERZ3W", privAge},
		{"truncated, no END", strings.Join(strings.Split(alice, "\n")[:3], "\n"), privPEM},
	}
	bob := strings.TrimSpace(fixture(t, "bob.pub"))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lead := 0
			if strings.HasPrefix(c.in, "#") {
				lead = 2 // age keys.txt: the secret is on line 3
			}
			if !ContainsPrivate(c.in) {
				t.Fatal("ContainsPrivate = false")
			}
			in := c.in + "\n" + bob + "\n"
			keys, errs := Parse(in)
			if len(errs) != 1 {
				t.Fatalf("%d errors: %v", len(errs), errs)
			}
			e := errs[0]
			if !e.Private || e.Line != 1+lead {
				t.Errorf("error %+v", e)
			}
			msg, hint := privateError(c.kind)
			if e.Msg != msg || e.Hint != hint {
				t.Errorf("got %q (%q)", e.Msg, e.Hint)
			}
			if w := leak(c.in, e.Error()); w != "" {
				t.Errorf("error repeats %q", w)
			}
			n := strings.Count(c.in, "\n") + 2
			if len(keys) != 1 || keys[0].Line != n || keys[0].Comment != "bob@fixture" {
				t.Errorf("keys %+v, want bob on line %d", keys, n)
			}
		})
	}
}

func TestNotPrivate(t *testing.T) {
	for _, s := range []string{
		"# made with age-plugin-yubikey",
		"# age-plugin-yubikey-1.0 generated this",
		"# the AGE-SECRET-KEY file lives in ~/.config/sops/age",
		"-----BEGIN PUBLIC KEY-----",
		"---- BEGIN SSH2 PUBLIC KEY ----",
		fixture(t, "alice.pub"),
	} {
		if ContainsPrivate(s) {
			t.Errorf("ContainsPrivate(%q) = true", s)
		}
	}
}

// TestParseTextEncodings: a file saved by a Windows editor starts with a
// byte order mark, which used to make its first key "missing its type";
// UTF-16 (what Windows PowerShell's > writes) is named as such.
func TestParseTextEncodings(t *testing.T) {
	line := "ssh-ed25519 " + b64(wire("ssh-ed25519", string(alicePub(t)))) + " alice@fixture\n"
	keys, errs := Parse("\ufeff" + line + line)
	if len(errs) != 0 || len(keys) != 2 {
		t.Errorf("with a byte order mark: %d keys, errors %v", len(keys), errs)
	}
	for _, bom := range []string{"\xff\xfe", "\xfe\xff"} {
		keys, errs = Parse(bom + "s\x00s\x00h\x00")
		if len(keys) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Msg, "UTF-16") {
			t.Errorf("UTF-16 %q: %d keys, errors %v", bom, len(keys), errs)
		}
	}
}
