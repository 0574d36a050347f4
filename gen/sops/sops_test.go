package sops

import (
	"bytes"
	"crypto/ecdh"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
	yv3 "go.yaml.in/yaml/v3"

	"github.com/fleetyard/fleetyard/gen/yaml"
	"github.com/fleetyard/fleetyard/internal/tooltest"
)

// Known answer from formats.md, computed with sops' own cipher.
func TestEncryptValueKnownAnswer(t *testing.T) {
	key := bytes.Repeat([]byte{0x42}, 32)
	nonce := make([]byte, 32)
	for i := range nonce {
		nonce[i] = byte(i)
	}
	got, err := EncryptValue(key, nonce, "hunter2", "password:")
	if err != nil {
		t.Fatal(err)
	}
	want := "ENC[AES256_GCM,data:zj1yXEaKLg==,iv:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,tag:vqzz1VZgKBnnKLNhO6TJ8g==,type:str]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, err := EncryptValue(key[:16], nonce, "x", ""); err == nil {
		t.Error("a 16-byte key was accepted")
	}
	if _, err := EncryptValue(key, nonce[:12], "x", ""); err == nil {
		t.Error("a 12-byte nonce was accepted")
	}
}

func TestParseRecipient(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	r := id.Recipient().String()
	if _, err := ParseRecipient(r); err != nil {
		t.Errorf("valid recipient refused: %v", err)
	}
	bad := map[string]string{
		"typo":        r[:len(r)-1] + typo(r[len(r)-1]),
		"mixed case":  "AGE1" + r[4:],
		"private key": id.String(),
		"not bech32":  "age1!!!!!!!",
		"empty":       "",
		"ssh key":     "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK",
		"short":       "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
		"bech32 junk": "age1zzzzzzzzzzzzzzzzzzzz",
	}
	for name, s := range bad {
		if _, err := ParseRecipient(s); err == nil {
			t.Errorf("%s: %q accepted", name, s)
		} else if strings.Contains(err.Error(), id.String()[15:30]) {
			t.Errorf("%s: error echoes private key material: %v", name, err)
		}
	}
}

func typo(c byte) string {
	if c == 'q' {
		return "p"
	}
	return "q"
}

// TestAgeEncryptDecrypts checks our age writer against filippo.io/age for
// several plaintext sizes, including the 64 KiB chunk boundaries.
func TestAgeEncryptDecrypts(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	rand := KeyStream([]byte("test seed"), "age")
	for _, n := range []int{0, 1, 32, 64*1024 - 1, 64 * 1024, 64*1024 + 1, 2*64*1024 + 5} {
		pt := bytes.Repeat([]byte{byte(n)}, n)
		armored, err := ageEncrypt(pt, id.Recipient().String(), rand)
		if err != nil {
			t.Fatal(err)
		}
		r, err := age.Decrypt(armor.NewReader(bytes.NewReader(armored)), id)
		if err != nil {
			t.Fatalf("size %d: filippo.io/age cannot decrypt: %v", n, err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("size %d: %v", n, err)
		}
		if !bytes.Equal(got, pt) {
			t.Errorf("size %d: plaintext differs", n)
		}
	}
}

func TestKeyStreamDeterministic(t *testing.T) {
	read := func(seed, info string) []byte {
		b := make([]byte, 100)
		io.ReadFull(KeyStream([]byte(seed), info), b)
		return b
	}
	if !bytes.Equal(read("s", "a"), read("s", "a")) {
		t.Error("same seed and info give different streams")
	}
	if bytes.Equal(read("s", "a"), read("s", "b")) || bytes.Equal(read("s", "a"), read("t", "a")) {
		t.Error("different seed or info give the same stream")
	}
	// Reads in pieces continue the same stream.
	r := KeyStream([]byte("s"), "a")
	var parts []byte
	for _, n := range []int{1, 15, 16, 68} {
		b := make([]byte, n)
		io.ReadFull(r, b)
		parts = append(parts, b...)
	}
	if !bytes.Equal(parts, read("s", "a")) {
		t.Error("split reads differ from one read")
	}
}

var fixedTime = time.Date(2025, 11, 20, 10, 30, 45, 999, time.FixedZone("x", 3600))

func sampleDoc() *yaml.Map {
	nested := &yaml.Map{}
	nested.Add("inner", yaml.Str("deep value"))
	nested.Add("list", &yaml.Seq{Items: []yaml.Node{yaml.Str("a"), yaml.Str(""), yaml.Str("c: d")}})
	nested.Add("note_unencrypted", yaml.Str("kept in clear"))
	doc := &yaml.Map{}
	doc.Add("github-token", yaml.Str("REPLACE_ME"))
	doc.Add("empty", yaml.Str(""))
	doc.Add("weird \"key\"", yaml.Str("multi\nline\tvalue ü"))
	doc.Add("nested", nested)
	return doc
}

func TestEncryptYAMLStructure(t *testing.T) {
	ids := []*age.X25519Identity{mustIdentity(t), mustIdentity(t)}
	recips := []string{ids[0].Recipient().String(), ids[1].Recipient().String()}
	out, err := EncryptYAML(sampleDoc(), recips, KeyStream([]byte("seed"), "f"), fixedTime)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := EncryptYAML(sampleDoc(), recips, KeyStream([]byte("seed"), "f"), fixedTime)
	if !bytes.Equal(out, again) {
		t.Error("same inputs gave different bytes")
	}
	var v map[string]any
	if err := yv3.Unmarshal(out, &v); err != nil {
		t.Fatalf("output is not YAML: %v\n%s", err, out)
	}
	if v["empty"] != "" {
		t.Errorf("empty string was encrypted: %v", v["empty"])
	}
	if !strings.HasPrefix(v["github-token"].(string), "ENC[AES256_GCM,data:") {
		t.Errorf("value not encrypted: %v", v["github-token"])
	}
	n := v["nested"].(map[string]any)
	if n["note_unencrypted"] != "kept in clear" {
		t.Errorf("_unencrypted value changed: %v", n["note_unencrypted"])
	}
	meta := v["sops"].(map[string]any)
	if meta["lastmodified"] != "2025-11-20T09:30:45Z" || meta["version"] != "3.13.3" || meta["unencrypted_suffix"] != "_unencrypted" {
		t.Errorf("metadata: %v", meta)
	}
	ages := meta["age"].([]any)
	if len(ages) != 2 {
		t.Fatalf("want 2 age stanzas, got %d", len(ages))
	}
	// The metadata block is laid out as sops writes it.
	if !bytes.Contains(out, []byte("\nsops:\n    age:\n        - enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n")) ||
		!bytes.Contains(out, []byte("            -----END AGE ENCRYPTED FILE-----\n          recipient: "+recips[0]+"\n")) ||
		!bytes.HasSuffix(out, []byte("    unencrypted_suffix: _unencrypted\n    version: 3.13.3\n")) {
		t.Errorf("sops block layout differs from sops':\n%s", out)
	}
	// Every stanza holds the same 32-byte data key, readable with its identity.
	var keys [][]byte
	for i, a := range ages {
		enc := a.(map[string]any)["enc"].(string)
		r, err := age.Decrypt(armor.NewReader(strings.NewReader(enc)), ids[i])
		if err != nil {
			t.Fatalf("stanza %d: %v", i, err)
		}
		k, _ := io.ReadAll(r)
		if len(k) != 32 {
			t.Fatalf("data key is %d bytes", len(k))
		}
		keys = append(keys, k)
		if _, err := age.Decrypt(armor.NewReader(strings.NewReader(enc)), ids[1-i]); err == nil {
			t.Errorf("stanza %d opens with the other identity", i)
		}
	}
	if !bytes.Equal(keys[0], keys[1]) {
		t.Error("stanzas hold different data keys")
	}
}

func TestEncryptYAMLErrors(t *testing.T) {
	r := mustIdentity(t).Recipient().String()
	withSops := (&yaml.Map{}).Add("sops", yaml.Str("x"))
	withAlias := (&yaml.Map{}).Add("a", yaml.Scalar{Anchor: "x", Value: "v"}).Add("b", yaml.Alias("x"))
	tests := []struct {
		name   string
		doc    *yaml.Map
		recips []string
		want   string
	}{
		{"no recipients", sampleDoc(), nil, "no recipients"},
		{"bad recipient", sampleDoc(), []string{"age1nope"}, "age recipient"},
		{"duplicate", sampleDoc(), []string{r, r}, "twice"},
		{"sops key", withSops, []string{r}, "reserves"},
		{"alias", withAlias, []string{r}, "not supported"},
	}
	for _, tt := range tests {
		_, err := EncryptYAML(tt.doc, tt.recips, KeyStream(nil, ""), fixedTime)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func mustIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRealSopsDecrypts is the real check: sops itself decrypts what we
// write with each authorized identity (verifying the MAC), and refuses an
// identity that is not a recipient.
func TestRealSopsDecrypts(t *testing.T) {
	sops := tooltest.Require(t, "sops", tooltest.InstallSops)
	ids := []*age.X25519Identity{mustIdentity(t), mustIdentity(t)}
	outsider := mustIdentity(t)
	recips := []string{ids[0].Recipient().String(), ids[1].Recipient().String()}
	out, err := EncryptYAML(sampleDoc(), recips, KeyStream([]byte("seed"), "real"), fixedTime)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	want, err := yaml.Print(yaml.Document{Body: sampleDoc()}, 4)
	if err != nil {
		t.Fatal(err)
	}
	var wantV any
	yv3.Unmarshal(want, &wantV)
	for i, id := range append(ids, outsider) {
		keyFile := filepath.Join(dir, "key.txt")
		os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600)
		cmd := exec.Command(sops, "-d", file)
		cmd.Env = append(os.Environ(), "SOPS_AGE_KEY_FILE="+keyFile, "SOPS_AGE_KEY=", "SOPS_AGE_SSH_PRIVATE_KEY_FILE=/nonexistent")
		cmd.Dir = dir
		got, err := cmd.CombinedOutput()
		if i == 2 {
			if err == nil || !strings.Contains(string(got), "data key") {
				t.Errorf("sops with an identity that is not a recipient: err %v, want a data key failure:\n%s", err, got)
			}
			continue
		}
		if err != nil {
			t.Fatalf("sops -d with identity %d: %v\n%s\nfile:\n%s", i, err, got, out)
		}
		var gotV any
		if err := yv3.Unmarshal(got, &gotV); err != nil {
			t.Fatal(err)
		}
		if !equalYAML(gotV, wantV) {
			t.Errorf("sops -d gave\n%s\nwant\n%s", got, want)
		}
	}
}

func equalYAML(a, b any) bool {
	x, _ := yv3.Marshal(a)
	y, _ := yv3.Marshal(b)
	return bytes.Equal(x, y)
}

// TestRealAgeDecryptsStanza decrypts a data-key stanza with the age CLI.
func TestRealAgeDecryptsStanza(t *testing.T) {
	ageBin := tooltest.Require(t, "age", tooltest.InstallAge)
	id := mustIdentity(t)
	plain := []byte("0123456789abcdef0123456789abcdef")
	armored, err := ageEncrypt(plain, id.Recipient().String(), KeyStream([]byte("x"), "y"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.txt")
	os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600)
	cmd := exec.Command(ageBin, "-d", "-i", keyFile)
	cmd.Stdin = bytes.NewReader(armored)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("age -d: %v: %s\n%s", err, stderr.String(), armored)
	}
	if !bytes.Equal(got, plain) {
		t.Errorf("age -d gave %q", got)
	}
}

func BenchmarkEncryptYAML(b *testing.B) {
	id, _ := age.GenerateX25519Identity()
	recips := []string{id.Recipient().String()}
	doc := sampleDoc()
	for b.Loop() {
		if _, err := EncryptYAML(doc, recips, KeyStream([]byte("seed"), "bench"), fixedTime); err != nil {
			b.Fatal(err)
		}
	}
}

// TestX25519 checks our ladder against RFC 7748's vectors and crypto/ecdh.
func TestX25519(t *testing.T) {
	h := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// RFC 7748 section 5.2.
	got, err := x25519(h("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), h("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))
	if err != nil || hex.EncodeToString(got) != "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" {
		t.Errorf("RFC 7748 vector 1: %x %v", got, err)
	}
	// RFC 7748 section 6.1: Alice's public key, by both fixed-base paths
	// (x25519Base takes the ladder first, then the tables).
	ladder := func(s []byte) ([]byte, error) { return x25519(s, basePoint[:]) }
	for _, base := range []func([]byte) ([]byte, error){ladder, x25519BaseTable, x25519Base} {
		got, _ = base(h("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
		if hex.EncodeToString(got) != "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a" {
			t.Errorf("RFC 7748 base point vector: %x", got)
		}
	}
	// Random agreement with crypto/ecdh.
	r := KeyStream([]byte("x25519"), "vectors")
	for range 50 {
		a, b := make([]byte, 32), make([]byte, 32)
		io.ReadFull(r, a)
		io.ReadFull(r, b)
		ka, _ := ecdh.X25519().NewPrivateKey(a)
		kb, _ := ecdh.X25519().NewPrivateKey(b)
		want, _ := ka.ECDH(kb.PublicKey())
		pa, _ := x25519BaseTable(a)
		pl, _ := ladder(a)
		got, err := x25519(a, kb.PublicKey().Bytes())
		if err != nil || !bytes.Equal(got, want) || !bytes.Equal(pa, ka.PublicKey().Bytes()) || !bytes.Equal(pl, pa) {
			t.Fatalf("disagrees with crypto/ecdh for %x", a)
		}
	}
	// Low-order point (u = 0) is refused.
	if _, err := x25519(h("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), make([]byte, 32)); err == nil {
		t.Error("low-order point accepted")
	}
}

// StubKeyStream binds every input: path, recipient set (not its order) and
// time. Length prefixes keep fields from running into each other.
func TestStubKeyStreamBindsItsInputs(t *testing.T) {
	read := func(r io.Reader) []byte {
		b := make([]byte, 64)
		io.ReadFull(r, b)
		return b
	}
	seed := []byte("0123456789abcdef0123456789abcdef")
	a, b := "age1aaa", "age1bbb"
	base := read(StubKeyStream(seed, "p", []string{a, b}, fixedTime))
	if !bytes.Equal(base, read(StubKeyStream(seed, "p", []string{b, a}, fixedTime))) {
		t.Error("the order of the recipients changed the stream; only the set may")
	}
	if !bytes.Equal(base, read(StubKeyStream(seed, "p", []string{a, b}, fixedTime.Add(3e8)))) {
		t.Error("a sub-second difference changed the stream; sops records whole seconds")
	}
	for name, other := range map[string][]byte{
		"recipient removed": read(StubKeyStream(seed, "p", []string{a}, fixedTime)),
		"recipient added":   read(StubKeyStream(seed, "p", []string{a, b, "age1ccc"}, fixedTime)),
		"time":              read(StubKeyStream(seed, "p", []string{a, b}, fixedTime.Add(time.Second))),
		"path":              read(StubKeyStream(seed, "q", []string{a, b}, fixedTime)),
		"entropy":           read(StubKeyStream([]byte("another seed"), "p", []string{a, b}, fixedTime)),
		"old derivation":    read(KeyStream(seed, "fleetyard sops p")),
	} {
		if bytes.Equal(base, other) {
			t.Errorf("%s: same stream", name)
		}
	}
	// Without length prefixes, these two would join to the same info.
	if bytes.Equal(read(StubKeyStream(seed, "ab", []string{"c"}, fixedTime)), read(StubKeyStream(seed, "a", []string{"bc"}, fixedTime))) {
		t.Error("path and recipient run into each other")
	}
}

// BenchmarkX25519Base compares the two fixed-base paths (x25519Base): the
// ladder, and the tables once built. Under WebAssembly the first table
// multiplication also builds the tables; see ladderFirst.
func BenchmarkX25519Base(b *testing.B) {
	s := KeyStream([]byte("x25519"), "bench")
	scalar := make([]byte, 32)
	io.ReadFull(s, scalar)
	b.Run("ladder", func(b *testing.B) {
		for b.Loop() {
			x25519(scalar, basePoint[:])
		}
	})
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			x25519BaseTable(scalar)
		}
	})
}
