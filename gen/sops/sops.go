// Package sops writes files in the format of sops (github.com/getsops/sops)
// without importing it: AES-256-GCM values, the MAC, and a data key wrapped
// for age X25519 recipients. Every random byte comes from the caller's
// reader, so the same inputs give the same bytes everywhere (CLI, wasm, docs).
//
// The layout matches what sops 3.13.3 writes, so `sops -d`, `sops edit` and
// `sops updatekeys` accept the files, and a later `sops edit` changes only
// what the user edits.
package sops

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/fleetyard/fleetyard/gen/yaml"
)

// Version is the sops version recorded in the metadata.
const Version = "3.13.3"

// UnencryptedSuffix marks keys whose values stay in clear text.
const UnencryptedSuffix = "_unencrypted"

const (
	dataKeySize = 32
	nonceSize   = 32 // sops uses 32-byte GCM nonces, not the usual 12
)

// EncryptValue encrypts one string leaf as sops does: AES-256-GCM with a
// 32-byte nonce and additionalData (the key path joined by ":" plus a
// trailing ":"), printed as ENC[AES256_GCM,data:…,iv:…,tag:…,type:str].
func EncryptValue(key, nonce []byte, plaintext, additionalData string) (string, error) {
	if len(key) != dataKeySize {
		return "", errors.New("sops: data key is " + strconv.Itoa(len(key)) + " bytes, want " + strconv.Itoa(dataKeySize))
	}
	if len(nonce) != nonceSize {
		return "", errors.New("sops: nonce is " + strconv.Itoa(len(nonce)) + " bytes, want " + strconv.Itoa(nonceSize))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCMWithNonceSize(block, nonceSize)
	if err != nil {
		return "", err
	}
	sealed := gcm.Seal(nil, nonce, []byte(plaintext), []byte(additionalData))
	ct, tag := sealed[:len(sealed)-gcm.Overhead()], sealed[len(sealed)-gcm.Overhead():]
	enc := base64.StdEncoding
	return "ENC[AES256_GCM,data:" + enc.EncodeToString(ct) +
		",iv:" + enc.EncodeToString(nonce) +
		",tag:" + enc.EncodeToString(tag) +
		",type:str]", nil
}

// EncryptYAML encrypts doc for recipients (age1… X25519 recipients, in the
// order sops should list them) and returns the YAML file sops would write.
//
// Leaves must be strings (yaml.Scalar); they are encrypted with type str.
// Empty strings and values under keys ending in _unencrypted stay as they
// are. Aliases are refused (sops would expand them; we keep files literal).
// now gives sops' lastmodified (UTC, whole seconds). rand supplies the data
// key, then one nonce per encrypted value, the MAC nonce, then the age
// stanzas.
func EncryptYAML(doc *yaml.Map, recipients []string, rand io.Reader, now time.Time) ([]byte, error) {
	if doc == nil {
		return nil, errors.New("sops: nil document")
	}
	if doc.Get("sops") != nil {
		return nil, errors.New("sops: the document already has a top-level \"sops\" key, which sops reserves for its metadata")
	}
	if len(recipients) == 0 {
		return nil, errors.New("sops: no recipients: nobody could decrypt the file; give at least one age key")
	}
	// Each recipient is decoded once, here, and its key reused for its
	// stanza below.
	pubs := make([][]byte, len(recipients))
	seen := make(map[string]bool, len(recipients))
	for i, r := range recipients {
		if seen[r] {
			return nil, errors.New("sops: recipient " + r + " listed twice")
		}
		seen[r] = true
		pub, err := ParseRecipient(r)
		if err != nil {
			return nil, errors.New("sops: " + err.Error())
		}
		pubs[i] = pub
	}

	key := make([]byte, dataKeySize)
	if _, err := io.ReadFull(rand, key); err != nil {
		return nil, wrap("sops: reading randomness", err)
	}
	e := &encrypter{key: key, rand: rand, mac: sha512.New()}
	out := e.mapping(doc, nil)
	if e.err != nil {
		return nil, e.err
	}

	meta, err := metadata(key, e.mac.Sum(nil), recipients, pubs, rand, now)
	if err != nil {
		return nil, err
	}
	out.Add("sops", meta)
	return yaml.Print(yaml.Document{Body: out}, 4)
}

// metadata builds the sops: block. Keys are in the alphabetical order sops
// writes them.
func metadata(key, macSum []byte, recipients []string, pubs [][]byte, rand io.Reader, now time.Time) (*yaml.Map, error) {
	lastModified := Timestamp(now)
	nonce := make([]byte, nonceSize)
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return nil, wrap("sops: reading randomness", err)
	}
	mac, err := EncryptValue(key, nonce, strings.ToUpper(hex.EncodeToString(macSum)), lastModified)
	if err != nil {
		return nil, err
	}
	ages := &yaml.Seq{}
	for i, r := range recipients {
		armored, err := ageEncryptTo(key, r, pubs[i], rand)
		if err != nil {
			return nil, errors.New("sops: " + err.Error())
		}
		item := &yaml.Map{}
		item.Add("enc", yaml.Scalar{Value: string(armored), Style: yaml.Literal})
		item.Add("recipient", yaml.Str(r))
		ages.Items = append(ages.Items, item)
	}
	m := &yaml.Map{}
	m.Add("age", ages)
	m.Add("lastmodified", yaml.Str(lastModified))
	m.Add("mac", yaml.Str(mac))
	m.Add("unencrypted_suffix", yaml.Str(UnencryptedSuffix))
	m.Add("version", yaml.Str(Version))
	return m, nil
}

type encrypter struct {
	key  []byte
	rand io.Reader
	mac  hash.Hash
	err  error
}

func (e *encrypter) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// mapping returns a copy of m with its leaves encrypted. path holds the map
// keys above m (sequence indices are not part of sops' additional data).
func (e *encrypter) mapping(m *yaml.Map, path []string) *yaml.Map {
	out := &yaml.Map{}
	for _, ent := range m.Entries {
		p := append(path[:len(path):len(path)], ent.Key)
		out.Entries = append(out.Entries, yaml.Entry{Comment: ent.Comment, Key: ent.Key, Value: e.node(ent.Value, p)})
	}
	return out
}

func (e *encrypter) node(n yaml.Node, path []string) yaml.Node {
	switch v := n.(type) {
	case *yaml.Map:
		if v.Anchor != "" {
			e.fail(errors.New("sops: anchors are not supported in encrypted documents"))
		}
		return e.mapping(v, path)
	case *yaml.Seq:
		if v.Anchor != "" {
			e.fail(errors.New("sops: anchors are not supported in encrypted documents"))
		}
		out := &yaml.Seq{}
		for _, it := range v.Items {
			out.Items = append(out.Items, e.node(it, path))
		}
		return out
	case yaml.Scalar:
		if v.Anchor != "" {
			e.fail(errors.New("sops: anchors are not supported in encrypted documents"))
		}
		// The MAC covers every leaf, encrypted or not.
		e.mac.Write([]byte(v.Value))
		if v.Value == "" || unencrypted(path) {
			return yaml.Str(v.Value)
		}
		nonce := make([]byte, nonceSize)
		if _, err := io.ReadFull(e.rand, nonce); err != nil {
			e.fail(wrap("sops: reading randomness", err))
			return yaml.Str("")
		}
		enc, err := EncryptValue(e.key, nonce, v.Value, strings.Join(path, ":")+":")
		if err != nil {
			e.fail(err)
		}
		return yaml.Str(enc)
	case yaml.Alias:
		e.fail(errors.New("sops: aliases are not supported in encrypted documents"))
		return v
	default:
		// yaml.Node is sealed and its four types are handled above, so
		// only a nil node gets here.
		if n == nil {
			e.fail(errors.New("sops: unsupported node: nil"))
		} else {
			e.fail(errors.New("sops: unsupported node"))
		}
		return yaml.Str("")
	}
}

// unencrypted reports whether any key on the path ends in _unencrypted, the
// rule sops applies.
func unencrypted(path []string) bool {
	for _, k := range path {
		if strings.HasSuffix(k, UnencryptedSuffix) {
			return true
		}
	}
	return false
}
