package gen

import (
	"strings"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// Pattern 2: five overlay layers.
//
// Every layer file contributes to flake.nixpkgsOverlayLayers under a key that
// starts with its layer number. The option module turns that attribute set
// into the flake.nixpkgsOverlays list with attrValues, which returns values
// in key order. That, and not import-tree's file order (alphabetical paths:
// channels, flake-inputs, hotfixes, overrides — layer 5 before layer 2), is
// what fixes the composition order.

// Overlay layer keys; their sort order is the composition order.
const (
	layerChannels    = "1-channels"
	layerHotfixes    = "2-hotfixes"
	layerOverrides   = "4-overrides"
	layerFlakeInputs = "5-flake-inputs"
)

// Paths of the overlay files, relative to the repository root.
const (
	pathOverlayOption = "modules/nixpkgs/overlays-option.nix"
	pathChannels      = "modules/nixpkgs/overlays/channels.nix"
	pathHotfixes      = "modules/nixpkgs/overlays/hotfixes.nix"
	pathOverrides     = "modules/nixpkgs/overlays/overrides.nix"
	pathFlakeInputs   = "modules/nixpkgs/overlays/flake-inputs.nix"
	pathPackagesMod   = "modules/nixpkgs/packages.nix"
	pathCompose       = "modules/nixpkgs/compose.nix"
	pathPerSystemPkgs = "modules/nixpkgs/per-system.nix"
	dirPkgsByName     = "pkgs/by-name/"
)

// overlaysPattern is pattern 2, the five overlay layers, applied to every
// machine's nixpkgs.
var overlaysPattern = pattern{
	name: "overlay-layers", page: true,
	inputs:  overlayInputs,
	machine: func(_ *fleet, _ *machine, mm *machineModule) { mm.bindAt(bindOverlays, machineOverlays) },
	tests:   overlaysTests,
	emit:    emitOverlays,
}

// overlayInputs: the stable channel per platform the fleet runs (layer 1),
// pkgs-by-name for custom packages (layer 3), and every flake-overlay
// input (layer 5, in spec order).
func overlayInputs(s *fleet) []string {
	var in []string
	if hasSystemSuffix(s, "-linux") {
		in = append(in, inLinuxStable)
	}
	if hasSystemSuffix(s, "-darwin") {
		in = append(in, inDarwinStable)
	}
	if len(s.Overlays.Packages) > 0 {
		in = append(in, inPkgsByName)
	}
	for _, f := range s.Overlays.FlakeOverlays {
		in = append(in, f.Input)
	}
	return in
}

func emitOverlays(b *build) {
	s := b.spec
	b.add(pathOverlayOption, fixedOverlayOption)
	b.addNix(pathChannels, channelsFile(s))
	b.addNix(pathHotfixes, hotfixesFile(s))
	b.addNix(pathOverrides, overridesFile(s))
	if len(s.Overlays.FlakeOverlays) > 0 {
		b.addNix(pathFlakeInputs, flakeInputsFile(s))
	}
	if len(s.Overlays.Packages) > 0 {
		b.add(pathPackagesMod, fixedPackagesModule)
		for _, p := range s.Overlays.Packages {
			b.addNix(dirPkgsByName+p.Name+"/package.nix", packageFile(p))
		}
	}
	b.addNix(pathCompose, composeFile(s))
	b.add(pathPerSystemPkgs, fixedPerSystemPkgs)
}

// overlayFn is the overlay function `final: prev: body`.
func overlayFn(body nix.Expr) nix.Expr {
	return nix.Lambda{Param: "final", Body: nix.Lambda{Param: "prev", Body: body}}
}

// layerBinding is nixpkgsOverlayLayers."<key>" = [ overlays… ];
func layerBinding(key string, overlays ...nix.Expr) nix.Binding {
	return nix.Bind(nix.List(overlays), "nixpkgsOverlayLayers", key)
}

// channelsFile is layer 1: pkgs.stable (the platform's stable branch) and
// pkgs.unstable. Only branches whose input flake.nix declares are referenced.
func channelsFile(s *fleet) nix.File {
	linux := inputNeeded(s, inLinuxStable)
	darwin := inputNeeded(s, inDarwinStable)
	channel := func(input string) nix.Expr {
		return nix.Call(nix.Ident("channel"), nix.Sel(nix.Ident("inputs"), input))
	}
	var stable nix.Expr
	switch {
	case linux && darwin:
		stable = nix.If{
			Cond: ref("prev.stdenv.hostPlatform.isDarwin"),
			Then: channel(inDarwinStable),
			Else: channel(inLinuxStable),
		}
	case darwin:
		stable = channel(inDarwinStable)
	case linux:
		stable = channel(inLinuxStable)
	default:
		// No stable input: the fleet has no Linux or Darwin system at all
		// (cannot pass validation); fall back to unstable so the layer
		// still evaluates.
		stable = channel(inNixpkgs)
	}
	header := []string{
		"Overlay layer 1: channels.",
		"pkgs.stable is the stable branch for the platform being built, pkgs.unstable the",
		"main nixpkgs input. Later layers pick packages from them (see hotfixes.nix).",
	}
	return nix.File{
		Header: header,
		Body: nix.Module([]string{"inputs"}, nix.Set(
			layerBinding(layerChannels, overlayFn(nix.Let{
				Binds: []nix.Binding{{
					// nixpkgs' impure.nix reads ~/.config/nixpkgs/overlays for
					// an import that passes no overlays, under --impure.
					Comment: []string{"Same system and allowUnfree as the package set being extended, and",
						"none of the user's own overlays (~/.config/nixpkgs, read under --impure)."},
					Path: []string{"channel"},
					Value: nix.Lambda{Param: "input", Body: nix.Call(ref("import"), nix.Ident("input"), nix.Set(
						nix.Bind(ref("prev.stdenv.hostPlatform.system"), "system"),
						nix.Bind(nix.SelectOr{X: nix.Ident("prev"), Attrs: []string{"config", "allowUnfree"}, Default: nix.Bool(false)}, "config", "allowUnfree"),
						nix.Bind(nix.List{}, "overlays"),
					))},
				}},
				Body: nix.Set(
					nix.Bind(stable, "stable"),
					nix.Bind(channel(inNixpkgs), "unstable"),
				),
			})),
		)),
	}
}

// hotfixComment is the "# reason (added date)" line kept above a hotfix.
func hotfixComment(reason, added string) []string {
	r := strings.TrimSpace(reason)
	if r == "" {
		r = "no reason recorded"
	}
	if a := strings.TrimSpace(added); a != "" {
		r += " (added " + a + ")"
	}
	return []string{r}
}

// hotfixesFile is layer 2: packages taken from the stable channel, bucketed
// by the platforms they are broken on.
func hotfixesFile(s *fleet) nix.File {
	var both, darwin, linux []nix.Binding
	for _, h := range s.Overlays.Hotfixes {
		bind := nix.Binding{
			Comment: hotfixComment(h.Reason, h.Added),
			Path:    []string{h.Package},
			Value:   nix.Sel(nix.Ident("final"), "stable", h.Package),
		}
		var d, l bool
		for _, p := range h.Platforms {
			switch p {
			case "darwin":
				d = true
			case "linux":
				l = true
			}
		}
		switch {
		case d && l:
			both = append(both, bind)
		case d:
			darwin = append(darwin, bind)
		case l:
			linux = append(linux, bind)
		}
	}
	var parts []nix.Expr
	if len(both) > 0 {
		parts = append(parts, nix.Set(both...))
	}
	if len(darwin) > 0 {
		parts = append(parts, nix.Call(ref("lib.optionalAttrs"), ref("prev.stdenv.hostPlatform.isDarwin"), nix.Set(darwin...)))
	}
	if len(linux) > 0 {
		parts = append(parts, nix.Call(ref("lib.optionalAttrs"), ref("prev.stdenv.hostPlatform.isLinux"), nix.Set(linux...)))
	}
	var body nix.Expr = nix.Set()
	if len(parts) > 0 {
		body = parts[len(parts)-1]
		for i := len(parts) - 2; i >= 0; i-- {
			body = nix.BinOp{Op: "//", L: parts[i], R: body}
		}
	}
	return nix.File{
		Header: []string{
			"Overlay layer 2: hotfixes.",
			"A package that is broken on unstable is taken from the stable channel (layer 1),",
			"only on the platforms where it is broken. Keep the reason and the date, and",
			"drop the entry once unstable builds again.",
			"Platform tests read prev, never final, so they cannot recurse into this overlay.",
		},
		Body: nix.Module([]string{"lib"}, nix.Set(layerBinding(layerHotfixes, overlayFn(body)))),
	}
}

// overridesFile is layer 4: overrideAttrs on existing packages.
func overridesFile(s *fleet) nix.File {
	var binds []nix.Binding
	for _, o := range s.Overlays.Overrides {
		var attrs []nix.Binding
		if o.DoCheck != nil {
			attrs = append(attrs, nix.Bind(nix.Bool(*o.DoCheck), "doCheck"))
		}
		comment := strings.TrimSpace(o.Reason)
		if comment == "" {
			comment = "no reason recorded"
		}
		binds = append(binds, nix.Binding{
			Comment: []string{comment},
			Path:    []string{o.Package},
			Value: nix.Call(nix.Sel(nix.Ident("prev"), o.Package, "overrideAttrs"),
				nix.Lambda{Param: "old", Body: nix.Set(attrs...)}),
		})
	}
	return nix.File{
		Header: []string{
			"Overlay layer 4: overrides.",
			"Changes to how an existing package is built (overrideAttrs). They apply on top of",
			"layers 1 and 2, so an override of a hotfixed package modifies the stable build.",
		},
		Body: nix.Set(layerBinding(layerOverrides, overlayFn(nix.Set(binds...)))),
	}
}

// flakeInputsFile is layer 5: overlays exported by other flakes.
func flakeInputsFile(s *fleet) nix.File {
	var items []nix.Expr
	for _, f := range s.Overlays.FlakeOverlays {
		items = append(items, nix.Sel(nix.Ident("inputs"), f.Input, "overlays", f.Overlay))
	}
	return nix.File{
		Header: []string{
			"Overlay layer 5: overlays from flake inputs, applied last so they see every",
			"earlier layer. Each input is declared in flake.nix.",
		},
		Body: nix.Module([]string{"inputs"}, nix.Set(layerBinding(layerFlakeInputs, items...))),
	}
}

// packageFile is a trivial, working derivation for a custom package: a
// placeholder program to replace with the real build.
func packageFile(p Package) nix.File {
	version := p.Version
	if version == "" {
		version = "0.0.0"
	}
	desc := p.Description
	if desc == "" {
		desc = p.Name
	}
	return nix.File{
		Header: []string{
			"Custom package (overlay layer 3). This is a placeholder that installs a small",
			"program printing its name; replace src/installPhase with the real build.",
		},
		Body: nix.Lambda{
			Formals: []nix.Formal{{Name: "lib"}, {Name: "stdenvNoCC"}, {Name: "writeShellScript"}},
			Body: nix.Call(ref("stdenvNoCC.mkDerivation"), nix.Lambda{Param: "finalAttrs", Body: nix.Set(
				nix.Bind(nix.Str(p.Name), "pname"),
				nix.Bind(nix.Str(version), "version"),
				nix.Bind(nix.Bool(true), "dontUnpack"),
				nix.Bind(nix.Interp(
					"runHook preInstall\ninstall -Dm755 ",
					nix.Call(ref("writeShellScript"), nix.Str("placeholder"), nix.Interp("echo ",
						nix.Call(ref("lib.escapeShellArg"), nix.Interp(ref("finalAttrs.pname"), " ", ref("finalAttrs.version"), " (placeholder)")))),
					" \"$out/bin/\"",
					nix.Call(ref("lib.escapeShellArg"), ref("finalAttrs.pname")),
					"\nrunHook postInstall\n",
				), "installPhase"),
				nix.Bind(nix.Set(
					nix.Bind(nix.Str(desc), "description"),
					nix.Bind(ref("finalAttrs.pname"), "mainProgram"),
					nix.Bind(ref("lib.platforms.all"), "platforms"),
				), "meta"),
			)}),
		},
	}
}

// composeFile builds flake.overlays.default from the layers.
func composeFile(s *fleet) nix.File {
	composed := nix.Call(ref("lib.composeManyExtensions"), ref("config.nixpkgsOverlays"), nix.Ident("final"), nix.Ident("prev"))
	formals := []string{"config", "lib"}
	var body nix.Expr = composed
	if len(s.Overlays.Packages) > 0 {
		formals = append(formals, "withSystem")
		body = nix.Let{
			Binds: []nix.Binding{
				nix.Bind(ref("prev.stdenv.hostPlatform.system"), "system"),
				{
					Comment: []string{
						"Every pkgs/by-name package (pkgs-by-name-for-flake-parts's legacyPackages,",
						"not every perSystem package), and only for the flake's systems: nixpkgs",
						"re-applies overlays to nested package sets such as pkgsi686Linux, whose",
						"system has no perSystem.",
					},
					Path: []string{"byName"},
					Value: nix.Call(ref("lib.optionalAttrs"), nix.Call(ref("lib.elem"), nix.Ident("system"), ref("config.systems")),
						// A plain parameter, not { config, ... }: nixfmt 1.2.0 (which
						// nixpkgs shipped) and 1.4.0 lay out a set-pattern lambda as
						// the last argument differently, and treefmt's check uses
						// whichever nixpkgs has; both print this form alike.
						nix.Call(nix.Ident("withSystem"), nix.Ident("system"),
							nix.Lambda{Param: "perSystem",
								Body: ref("perSystem.config.legacyPackages")})),
				},
			},
			Body: nix.BinOp{Op: "//", L: composed, R: nix.Ident("byName")},
		}
	}
	header := []string{
		"The overlay machines and home configurations use: nixpkgs.overlays = [ inputs.self.overlays.default ];",
		"Composition order (layers this fleet does not use are left out):",
		"  1 channels       overlays/channels.nix      pkgs.stable, pkgs.unstable",
		"  2 hotfixes       overlays/hotfixes.nix      broken packages from stable",
	}
	if len(s.Overlays.Packages) > 0 {
		header = append(header, "  3 pkgs/by-name   ../../pkgs/by-name         the fleet's own packages")
	}
	header = append(header, "  4 overrides      overlays/overrides.nix     overrideAttrs tweaks")
	if len(s.Overlays.FlakeOverlays) > 0 {
		header = append(header, "  5 flake inputs   overlays/flake-inputs.nix  overlays of other flakes")
	}
	// The layers in nixpkgsOverlayLayers, as the table above lists them.
	composedLayers := "Layers 1, 2 and 4"
	if len(s.Overlays.FlakeOverlays) > 0 {
		composedLayers = "Layers 1, 2, 4 and 5"
	}
	header = append(header, composedLayers+" are composed in that order (see overlays-option.nix).")
	if len(s.Overlays.Packages) > 0 {
		header = append(header,
			"Layer 3 packages are standalone derivations built by pkgs-by-name-for-flake-parts;",
			"they are added on top, so a package of your own wins over a same-named attribute,",
			"and layers 4 and 5 do not modify it (edit its package.nix instead). They are built",
			"once per system from the perSystem nixpkgs (per-system.nix), so a machine's own",
			"nixpkgs.config (allowUnfree, say) and the overlays it adds do not reach them.")
	}
	return nix.File{
		Header: header,
		Body: nix.Module(formals, nix.Set(
			nix.Bind(overlayFn(body), "flake", "overlays", "default"),
		)),
	}
}

// overlaysTests: the overlay layers present, in composition order.
func overlaysTests(s *fleet) []nix.Binding {
	return []nix.Binding{unitTest("testOverlayLayersInOrder",
		"The overlay layers present; nixpkgsOverlays concatenates them in this (sorted) order.",
		nix.Call(ref("builtins.attrNames"), ref("config.nixpkgsOverlayLayers")), nix.Strs(overlayLayerKeys(s)...))}
}
