package update

import (
	"fmt"
	"strings"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/archive"
)

// Changes is what the playground's "Update my repo" download holds: the
// files of the new generation that differ from the starting point's, and
// the paths the new generation no longer has. secrets/ and vars/ are left
// out: `fleetyard update` never writes over them and makes any new stub
// itself with fresh randomness. The manifest is left out too: it only
// describes a whole generation. fleet.json is always included, changed or
// not, because [Command] reads it.
func Changes(base, theirs []gen.File) (changed []gen.File, removed []string) {
	old := byPath(base)
	for _, f := range theirs {
		if gen.Protected(f.Path) || f.Path == gen.ManifestPath {
			continue
		}
		if b, ok := old[f.Path]; !ok || string(b.Data) != string(f.Data) || b.Mode != f.Mode || f.Path == "fleet.json" {
			changed = append(changed, f)
		}
	}
	now := byPath(theirs)
	for _, f := range base {
		if _, ok := now[f.Path]; !ok && !gen.Protected(f.Path) && f.Path != gen.ManifestPath {
			removed = append(removed, f.Path)
		}
	}
	return changed, removed
}

// Command is the command that applies a download whose files sit under
// root (the archive's top directory) to the repository at dir.
func Command(root, dir string) string {
	return "fleetyard update --spec " + root + "/fleet.json " + dir
}

// ChangesReadme is the UPDATE.txt that goes into the download: what it
// holds and the command to run.
func ChangesReadme(root string, changed []gen.File, removed []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "These are the files Fleetyard's playground generates differently from your\n")
	fmt.Fprintf(&b, "repository's starting point, for review. Do not copy them over your\n")
	fmt.Fprintf(&b, "repository: that would lose your own edits. Instead, in a clean git work\n")
	fmt.Fprintf(&b, "tree, preview and then apply the update, which merges your edits:\n\n")
	fmt.Fprintf(&b, "    %s\n", strings.Replace(Command(root, "path/to/your/repo"), "update ", "update -n ", 1))
	fmt.Fprintf(&b, "    %s\n\n", Command(root, "path/to/your/repo"))
	fmt.Fprintf(&b, "Changed or new (%d):\n", len(changed))
	for _, f := range changed {
		fmt.Fprintf(&b, "    %s\n", f.Path)
	}
	if len(removed) > 0 {
		fmt.Fprintf(&b, "\nNo longer generated (removed by the update unless you edited them) (%d):\n", len(removed))
		for _, p := range removed {
			fmt.Fprintf(&b, "    %s\n", p)
		}
	}
	return []byte(b.String())
}

// Download is the whole "Update my repo" archive: the [Changes] from base's
// generation to spec's under "<name>-changes/", with UPDATE.txt. Both specs
// come from gen.Parse without errors.
func Download(spec, base *gen.Fleet, opt gen.Options) ([]byte, error) {
	newFiles, err := gen.Generate(spec, opt)
	if err != nil {
		return nil, err
	}
	baseFiles, err := gen.Generate(base, opt)
	if err != nil {
		return nil, err
	}
	changed, removed := Changes(baseFiles, newFiles)
	root := spec.Spec().Name + "-changes"
	out := append(changed, gen.File{Path: "UPDATE.txt", Data: ChangesReadme(root, changed, removed), Mode: 0o644})
	return archive.Zip(root, out), nil
}
