package gen

import "github.com/fleetyard/fleetyard/gen/nix"

// A pattern is one feature of the generated repository, declared as a value
// in its emit_<pattern>.go file. The shared files of the repository gather
// what the patterns contribute instead of knowing every pattern:
//
//   - flake.nix declares the union of the patterns' inputs (inputs.go holds
//     each input's URL, pin and real follows);
//   - every machine module (emit_machines.go) collects the imports and
//     settings the patterns add to that machine, in rank order;
//   - the nix-unit check (emit_checks.go) collects the patterns' tests;
//   - the README's bootstrap section collects the patterns' steps, in rank
//     order.
//
// Adding a pattern is: its emit_<pattern>.go (the value and its emit
// function), its entry in the patterns table below, its rules in
// validate.go and any new Spec fields, its docs page
// content/docs/<name>.md and its golden folder testdata/golden/<name>/.
type pattern struct {
	// name is the docs slug (content/docs/<name>.md, "" for the
	// repository's skeleton, which has no page of its own) and the golden
	// folder (testdata/golden/<name>/, "skeleton" for the skeleton).
	name string
	// page says content/docs/<name>.md documents the pattern.
	page bool
	// inputs are the fixed flake inputs (inputTable keys) the pattern
	// needs for this fleet; flake.nix declares the union.
	inputs func(s *fleet) []string
	// machine adds the pattern's part of machine m's module.
	machine func(s *fleet, m *machine, mm *machineModule)
	// tests are the pattern's nix-unit tests (modules/checks/nix-unit.nix).
	tests func(s *fleet) []nix.Binding
	// bootstrap are the pattern's steps in the README's "Bootstrap, in
	// order" section.
	bootstrap func(s *fleet) []readmeStep
	// emit writes the pattern's own files.
	emit func(b *build)
	// ignores are the typed fields the files emit writes never depend
	// on: a keystroke inside one of them puts those files again without
	// running emit (replay.go). TestPatternIgnoresFields changes each in
	// every example and requires the same bytes.
	ignores fieldSet
}

// patterns run in this order. Emitters write only their own files, so the
// order matters only where contributions are gathered without a rank (the
// nix-unit tests, flake-overlay inputs) and for the two files that read the
// others: the README lists files, the manifest hashes everything.
var patterns []*pattern

// The table is filled in init: the patterns' functions read it (a machine
// module gathers every pattern's part), which a package-level initializer
// would report as an initialization cycle.
func init() {
	patterns = []*pattern{
		&skeletonPattern, // emit_skeleton.go: flake.nix, flake-parts, systems, formatting, dev shell, fleet.json
		&clanPattern,     // emit_clan.go: clan core/meta/machines/inventory/instances
		&machinesPattern, // emit_machines.go: per-machine modules, accounts, disko
		&basePattern,     // emit_base.go: auto-merged base modules
		&secretsPattern,  // emit_secrets.go: two-tier secrets
		&homePattern,     // emit_home.go: home-manager aggregates and users
		&terranixPattern, // emit_terranix.go: terranix toggle
		&overlaysPattern, // emit_overlays.go: five overlay layers
		&darwinPattern,   // emit_multiuser.go: darwin multi-user
		&zerotierPattern, // emit_zerotier.go: zerotier and darwin networking
		&checksPattern,   // emit_checks.go: test harness
		&readmePattern,   // emit_readme.go: the tailored README.md (lists files)
		&manifestPattern, // emit_manifest.go: .fleetyard/generated.json (hashes all the above)
	}
}

// machineModule is what the patterns contribute to one machine's module:
// imports and settings, each with a rank. Ranks (below) fix where a
// contribution lands in the module, whatever the pattern order, so the
// printed module reads in a sensible order: identity first, home-manager
// last.
type machineModule struct {
	imports []rankedExpr
	body    []rankedBinding
}

type rankedExpr struct {
	rank int
	expr nix.Expr
}

type rankedBinding struct {
	rank int
	bind nix.Binding
}

// Ranks of a machine module's imports.
const (
	importBase     = 10 // the merged base module (basePattern)
	importAccounts = 20 // the users' account modules (machinesPattern)
	importDisko    = 30 // disko (machinesPattern)
	importHardware = 40 // Hetzner hardware profiles (terranixPattern)
	importHome     = 50 // home-manager's NixOS/darwin module (homePattern)
)

// Ranks of a machine module's settings.
const (
	bindIdentity     = 10 // hostName, hostPlatform (machinesPattern)
	bindOverlays     = 20 // nixpkgs.overlays (overlaysPattern)
	bindStateVersion = 30 // system.stateVersion (machinesPattern)
	bindDeploy       = 35 // clan.core.deployment (clanPattern)
	bindCloudInit    = 37 // services.cloud-init (terranixPattern)
	bindPrimaryUser  = 40 // system.primaryUser (darwinPattern)
	bindKnownUsers   = 50 // users.knownUsers (darwinPattern)
	bindHostKey      = 60 // the Mac's sops key (secretsPattern)
	bindHome         = 70 // home-manager users (homePattern)
)

func (mm *machineModule) importAt(rank int, e nix.Expr) {
	mm.imports = append(mm.imports, rankedExpr{rank, e})
}

func (mm *machineModule) bindAt(rank int, b nix.Binding) {
	mm.body = append(mm.body, rankedBinding{rank, b})
}

// gather asks every pattern for its part of m's module and returns the
// imports and settings in rank order (pattern order within a rank).
func gatherMachine(s *fleet, m *machine) (nix.List, []nix.Binding) {
	var mm machineModule
	for _, p := range patterns {
		if p.machine != nil {
			p.machine(s, m, &mm)
		}
	}
	sortStable(mm.imports, func(a, b *rankedExpr) bool { return a.rank < b.rank })
	sortStable(mm.body, func(a, b *rankedBinding) bool { return a.rank < b.rank })
	imports := make(nix.List, len(mm.imports))
	for i, r := range mm.imports {
		imports[i] = r.expr
	}
	body := make([]nix.Binding, len(mm.body))
	for i, r := range mm.body {
		body[i] = r.bind
	}
	return imports, body
}

// readmeStep is one step of the README's bootstrap section.
type readmeStep struct {
	// rank orders the steps (below); equal ranks keep pattern order.
	rank  int
	title string
	body  func(w *mdWriter)
}

// Ranks of the bootstrap steps: the order a new fleet is brought up in.
const (
	stepGit         = 5  // skeletonPattern
	stepDevShell    = 10 // skeletonPattern
	stepAgeKey      = 20 // secretsPattern
	stepAdminGroup  = 30 // secretsPattern
	stepCloudTokens = 40 // terranixPattern
	stepHomeSecrets = 45 // secretsPattern
	stepMacHostKeys = 48 // darwinPattern
	stepVars        = 50 // secretsPattern
	stepCloud       = 60 // terranixPattern
	stepInstall     = 70 // machinesPattern
	stepMacs        = 80 // darwinPattern
	stepDeploy      = 90 // clanPattern
	stepZerotier    = 95 // zerotierPattern
	stepHome        = 100
	stepCheck       = 110 // checksPattern
)

// gatherInputs is the set of fixed inputs some pattern needs.
func gatherInputs(s *fleet) map[string]bool {
	in := map[string]bool{}
	for _, p := range patterns {
		if p.inputs == nil {
			continue
		}
		for _, n := range p.inputs(s) {
			in[n] = true
		}
	}
	return in
}
