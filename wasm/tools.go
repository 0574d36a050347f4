//go:build fytools || !(js && wasm)

package main

// The rarely used calls: downloads (archive, changes) and share links. They
// link compression (archive/zip, compress/flate) and the update merge, which
// the generator module the playground loads at start does not need: only
// the full module (-tags fytools) builds this file, and native builds, whose
// tests compare it with the CLI.

import (
	"errors"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
	"github.com/fleetyard/fleetyard/gen/update"
	"github.com/fleetyard/fleetyard/internal/sharelink"
)

// archive returns the .tar.gz or .zip the CLI writes for the same inputs:
// root directory = spec name.
func (s *session) archive(specJSON, entropyHex, timeRFC3339, format string) ([]byte, error) {
	opt, err := s.options(entropyHex, timeRFC3339)
	if err != nil {
		return nil, err
	}
	spec, diags := s.cache.Parse([]byte(specJSON))
	if spec == nil || gen.HasErrors(diags) {
		return nil, errors.New("the spec has errors; fix the diagnostics before exporting")
	}
	files, err := gen.Generate(spec, opt)
	if err != nil {
		return nil, err
	}
	switch format {
	case "tar.gz":
		return archive.TarGz(spec.Spec().Name, files), nil
	case "zip":
		return archive.Zip(spec.Spec().Name, files), nil
	}
	return nil, errors.New("archive format must be \"tar.gz\" or \"zip\"")
}

// changes returns the playground's "Update my repo" download: a .zip of the
// files the spec generates differently from the starting point (baseJSON,
// the repository's recorded spec), with UPDATE.txt naming the
// `fleetyard update` command that merges them into the repository.
func (s *session) changes(specJSON, baseJSON, entropyHex, timeRFC3339 string) ([]byte, error) {
	opt, err := s.options(entropyHex, timeRFC3339)
	if err != nil {
		return nil, err
	}
	spec, diags := s.cache.Parse([]byte(specJSON))
	if spec == nil || gen.HasErrors(diags) {
		return nil, errors.New("the spec has errors; fix the diagnostics before downloading the changes")
	}
	baseText, _, _, err := gen.Migrate([]byte(baseJSON))
	if err != nil {
		return nil, err
	}
	base, diags := gen.Parse(baseText)
	if base == nil || gen.HasErrors(diags) {
		return nil, errors.New("the starting point's fleet.json does not validate; load the repository's fleet.json again, or use Download instead")
	}
	return update.Download(spec, base, opt)
}

func shareEncode(specJSON string) ShareResult {
	frag, err := sharelink.Encode([]byte(specJSON))
	if err != nil {
		return ShareResult{Error: err.Error(), TooLarge: errors.Is(err, sharelink.ErrTooLarge)}
	}
	return ShareResult{OK: true, Value: frag}
}

func shareDecode(frag string) ShareResult {
	spec, err := sharelink.Decode(frag)
	if err != nil {
		return ShareResult{Error: err.Error()}
	}
	return ShareResult{OK: true, Value: string(spec)}
}
