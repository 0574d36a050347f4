package sops

import (
	"encoding/base64"
	"errors"
	"github.com/fleetyard/fleetyard/gen/bech32"
	"io"
	"strconv"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// This file writes age v1 files (https://age-encryption.org/v1) for X25519
// recipients. filippo.io/age would do it, but it draws its file key, nonce
// and ephemeral keys from crypto/rand, which cannot be seeded; Fleetyard's
// output must be a pure function of its inputs, so every random byte here
// comes from the caller's reader.

const (
	ageIntro       = "age-encryption.org/v1\n"
	x25519Label    = "age-encryption.org/v1/X25519"
	armorHeader    = "-----BEGIN AGE ENCRYPTED FILE-----\n"
	armorFooter    = "-----END AGE ENCRYPTED FILE-----\n"
	armorColumns   = 64
	ageChunkSize   = 64 * 1024
	ageFileKeySize = 16
)

var b64 = base64.RawStdEncoding

// ParseRecipient decodes an age X25519 recipient (age1…) into its 32-byte
// public key. It checks the Bech32 checksum, so a mistyped key is caught here
// rather than producing a file nobody can open.
func ParseRecipient(s string) ([]byte, error) {
	if up := strings.ToUpper(strings.TrimSpace(s)); strings.HasPrefix(up, "AGE-SECRET-KEY-") || strings.HasPrefix(up, "AGE-PLUGIN-") {
		// Never echo private key material, not even in an error.
		return nil, errors.New("age recipient: this is a private age key (AGE-SECRET-KEY-…); give its public recipient instead (age-keygen -y)")
	}
	shown := s
	if len(shown) > 80 {
		shown = shown[:80] + "…"
	}
	hrp, data, err := bech32.Decode(s)
	if err != nil {
		return nil, errors.New("age recipient " + strconv.Quote(shown) + ": " + err.Error())
	}
	if hrp != "age" {
		return nil, errors.New("age recipient " + strconv.Quote(shown) + ": prefix is " + strconv.Quote(hrp+"1") + ", want \"age1…\" (X25519 recipients only)")
	}
	if len(data) != 32 {
		return nil, errors.New("age recipient " + strconv.Quote(shown) + ": holds " + strconv.Itoa(len(data)) + " bytes, want 32")
	}
	return data, nil
}

// ageEncrypt returns the ASCII-armored age file holding plaintext for one
// X25519 recipient. rand supplies the file key, the ephemeral key and the
// payload nonce, in that order.
func ageEncrypt(plaintext []byte, recipient string, rand io.Reader) ([]byte, error) {
	pub, err := ParseRecipient(recipient)
	if err != nil {
		return nil, err
	}
	return ageEncryptTo(plaintext, recipient, pub, rand)
}

// ageEncryptTo is ageEncrypt for a recipient already parsed into pub (its
// 32-byte public key), so a caller that validated the recipient does not
// decode it twice.
func ageEncryptTo(plaintext []byte, recipient string, pub []byte, rand io.Reader) ([]byte, error) {
	fileKey := make([]byte, ageFileKeySize)
	ephemeral := make([]byte, 32)
	nonce := make([]byte, 16)
	for _, b := range [][]byte{fileKey, ephemeral, nonce} {
		if _, err := io.ReadFull(rand, b); err != nil {
			return nil, wrap("reading randomness", err)
		}
	}

	// X25519 stanza: wrap the file key for the recipient.
	share, err := x25519Base(ephemeral)
	if err != nil {
		return nil, err
	}
	shared, err := x25519Fixed(ephemeral, pub)
	if err != nil {
		return nil, errors.New("age recipient " + strconv.Quote(recipient) + " is not usable: " + err.Error())
	}
	salt := append(append([]byte{}, share...), pub...)
	wrapKey := hkdfSHA256(shared, salt, x25519Label, chacha20poly1305.KeySize)
	wrapped, err := seal(wrapKey, make([]byte, chacha20poly1305.NonceSize), fileKey)
	if err != nil {
		return nil, err
	}

	var hdr strings.Builder
	hdr.WriteString(ageIntro)
	hdr.WriteString("-> X25519 ")
	hdr.WriteString(b64.EncodeToString(share))
	hdr.WriteByte('\n')
	writeWrapped(&hdr, b64.EncodeToString(wrapped))
	hdr.WriteString("---")
	macKey := hkdfSHA256(fileKey, nil, "header", 32)
	mac := hmacSHA256(macKey, []byte(hdr.String()))
	hdr.WriteByte(' ')
	hdr.WriteString(b64.EncodeToString(mac[:]))
	hdr.WriteByte('\n')

	payloadKey := hkdfSHA256(fileKey, nonce, "payload", chacha20poly1305.KeySize)
	body, err := streamSeal(payloadKey, plaintext)
	if err != nil {
		return nil, err
	}

	bin := make([]byte, 0, hdr.Len()+len(nonce)+len(body))
	bin = append(bin, hdr.String()...)
	bin = append(bin, nonce...)
	bin = append(bin, body...)
	return armorEncode(bin), nil
}

// writeWrapped writes a stanza body: base64 in 64-column lines, the last one
// always shorter than 64 (possibly empty), as the age format requires.
func writeWrapped(b *strings.Builder, s string) {
	for len(s) >= armorColumns {
		b.WriteString(s[:armorColumns])
		b.WriteByte('\n')
		s = s[armorColumns:]
	}
	b.WriteString(s)
	b.WriteByte('\n')
}

func seal(key, nonce, plaintext []byte) ([]byte, error) {
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, err
	}
	return aead.Seal(nil, nonce, plaintext, nil), nil
}

// streamSeal is age's STREAM: 64 KiB chunks, nonce = 11-byte big-endian
// counter + a last-chunk flag byte. An empty plaintext is one empty last chunk.
func streamSeal(key, plaintext []byte) ([]byte, error) {
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, err
	}
	var out []byte
	var counter uint64
	for {
		n := min(len(plaintext), ageChunkSize)
		chunk := plaintext[:n]
		plaintext = plaintext[n:]
		var nonce [chacha20poly1305.NonceSize]byte
		for i := 0; i < 8; i++ {
			nonce[10-i] = byte(counter >> (8 * i))
		}
		last := len(plaintext) == 0
		if last {
			nonce[11] = 1
		}
		out = aead.Seal(out, nonce[:], chunk, nil)
		if last {
			return out, nil
		}
		counter++
	}
}

// armorEncode is age's ASCII armor: PEM-like, standard base64 with padding in
// 64-column lines.
func armorEncode(bin []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(bin)
	var b strings.Builder
	b.WriteString(armorHeader)
	for len(enc) > armorColumns {
		b.WriteString(enc[:armorColumns])
		b.WriteByte('\n')
		enc = enc[armorColumns:]
	}
	if enc != "" {
		b.WriteString(enc)
		b.WriteByte('\n')
	}
	b.WriteString(armorFooter)
	return []byte(b.String())
}
