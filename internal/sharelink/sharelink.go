// Package sharelink encodes a fleet spec into a URL fragment and back, so a
// playground link carries the whole spec without any server seeing it
// (browsers never send the fragment).
//
// The form is "<version>.<base64url(raw DEFLATE(spec JSON))>" with version 1.
// Go's compress/flate output is deterministic for a given level, so the same
// spec gives the same link from the CLI, the docs build and the wasm module.
package sharelink

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Version is the current link format version.
const Version = "1"

// MaxFragment is the longest fragment Encode produces. Longer links are
// truncated by some browsers, chat tools and mail clients; past it users are
// told to download fleet.json instead.
const MaxFragment = 8000

// MaxSpec bounds the spec a link carries, both ways. Decode stops
// decompressing past it, so a crafted link (deflate expands up to about
// 1000:1, so 8000 characters can carry 6 MB) cannot hand the playground a
// spec far larger than any link Encode makes. Encode refuses longer specs,
// so every link it makes opens. Real specs compress 2 to 20 times (the
// 60-machine example: 50 KB to 2.6 KB), so a link that fits MaxFragment
// carries at most a few hundred KB of a real spec.
const MaxSpec = 1 << 20

// ErrTooLarge is returned by Encode when the compressed spec does not fit in
// MaxFragment characters.
var ErrTooLarge = errors.New("share: the spec is too large for a link; download fleet.json and share the file instead")

// Encode returns the fragment for spec (without the leading '#').
func Encode(spec []byte) (string, error) {
	if len(spec) > MaxSpec {
		return "", ErrTooLarge
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return "", err
	}
	w.Write(spec)
	w.Close()
	frag := Version + "." + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	if len(frag) > MaxFragment {
		return "", ErrTooLarge
	}
	return frag, nil
}

// Decode returns the spec JSON carried by a fragment made by Encode.
func Decode(frag string) ([]byte, error) {
	ver, payload, ok := strings.Cut(frag, ".")
	if !ok {
		return nil, errors.New("share: not a Fleetyard link (expected <version>.<data>)")
	}
	if ver != Version {
		return nil, errors.New("share: " + versionName(ver) + " is not supported; this playground reads version " + Version)
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, errors.New("share: the link is damaged (bad base64); copy it again in full")
	}
	r := flate.NewReader(bytes.NewReader(raw))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, MaxSpec+1))
	if len(out) > MaxSpec {
		return nil, errors.New("share: the link expands to more than 1 MiB of spec, more than any link Fleetyard makes; refusing to open it")
	}
	if err != nil {
		return nil, errors.New("share: the link is damaged (bad compressed data); copy it again in full")
	}
	return out, nil
}

// versionName names a link's version in an error message. A few digits (a
// link made by a newer playground) are repeated; anything else is text of
// unknown shape from whoever wrote the link, so it is not echoed at all and
// cannot put control characters or a pasted secret on the page.
func versionName(ver string) string {
	if ver == "" || len(ver) > 4 || strings.Trim(ver, "0123456789") != "" {
		return "this link format"
	}
	return "link format version " + strconv.Quote(ver)
}
