package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/fleetyard/fleetyard/gen/update"
)

// fileOps are the file system calls whose failure applyPlan must survive;
// tests replace rename to fail part-way.
type fileOps struct {
	rename func(oldpath, newpath string) error
}

func osOps() fileOps { return fileOps{rename: os.Rename} }

// applyPlan writes and removes files so that either all of it happens or
// none: every new file is first written in full to a temporary file beside
// its target, then each target is moved aside and the new file renamed in
// (a rename is atomic, so no file is ever half written); if any step
// fails, the moves are undone in reverse and the temporary files removed.
func applyPlan(dir string, acts []update.Action, ops fileOps) (err error) {
	type step struct {
		target, tmp, backup string
		created             []string // directories made for it
		done                bool     // renamed into place
		backedUp            bool
	}
	steps := make([]*step, 0, len(acts))
	defer func() {
		if err == nil {
			return
		}
		for i := len(steps) - 1; i >= 0; i-- {
			s := steps[i]
			if s.done {
				os.Remove(s.target)
			}
			if s.backedUp {
				if rerr := ops.rename(s.backup, s.target); rerr != nil {
					err = fmt.Errorf("%v; restoring %s also failed (%v): its previous contents are in %s", err, s.target, rerr, s.backup)
				}
			}
			if s.tmp != "" && !s.done {
				os.Remove(s.tmp)
			}
			for j := len(s.created) - 1; j >= 0; j-- {
				os.Remove(s.created[j]) // only succeeds when empty
			}
		}
	}()
	// Stage: write every new file completely before touching any target.
	for _, a := range acts {
		s := &step{target: filepath.Join(dir, filepath.FromSlash(a.Path))}
		steps = append(steps, s)
		if st, serr := os.Lstat(s.target); serr == nil && !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file; move it away and run update again", a.Path)
		}
		if !a.Kind.Writes() {
			continue
		}
		if s.created, err = mkdirs(filepath.Dir(s.target)); err != nil {
			return err
		}
		f, cerr := os.CreateTemp(filepath.Dir(s.target), ".fleetyard-new-*")
		if cerr != nil {
			return cerr
		}
		s.tmp = f.Name()
		_, werr := f.Write(a.Data)
		if werr == nil {
			werr = f.Chmod(fs.FileMode(a.Mode))
		}
		if werr == nil {
			werr = f.Sync()
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("writing %s: %v", a.Path, werr)
		}
	}
	// Commit: move each old file aside, then the new one in.
	for i, s := range steps {
		if _, serr := os.Lstat(s.target); serr == nil {
			s.backup = s.target + ".fleetyard-old-" + strconv.Itoa(os.Getpid())
			if err = ops.rename(s.target, s.backup); err != nil {
				return fmt.Errorf("moving %s aside: %v", acts[i].Path, err)
			}
			s.backedUp = true
		}
		if s.tmp != "" {
			if err = ops.rename(s.tmp, s.target); err != nil {
				return fmt.Errorf("renaming the new %s into place: %v", acts[i].Path, err)
			}
			s.done = true
		}
	}
	// Done: drop the old copies, and directories a removal left empty.
	for _, s := range steps {
		if s.backedUp {
			os.Remove(s.backup)
		}
		if s.tmp == "" {
			removeEmptyParents(dir, filepath.Dir(s.target))
		}
	}
	return nil
}

// mkdirs makes dir and its missing parents, returning those it made
// (outermost first) so a rollback can remove them.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return missing, nil
}

// removeEmptyParents removes dir and its parents up to (not including) root
// while they are empty, so removing a machine leaves no empty folders.
func removeEmptyParents(root, dir string) {
	root = filepath.Clean(root)
	for d := filepath.Clean(dir); d != root && len(d) > len(root); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			return
		}
	}
}
