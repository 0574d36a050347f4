package cli

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"

	"github.com/fleetyard/fleetyard/gen/update"
)

// fileOps are the file system calls whose failure applyPlan must survive;
// tests replace rename to fail part-way.
type fileOps struct {
	rename func(r *os.Root, oldpath, newpath string) error
}

func osOps() fileOps {
	return fileOps{rename: func(r *os.Root, a, b string) error { return r.Rename(a, b) }}
}

// applyPlan writes and removes files so that either all of it happens or
// none: every new file is first written in full to a temporary file beside
// its target, then each target is moved aside and the new file renamed in
// (a rename is atomic, so no file is ever half written; it also replaces
// the directory entry rather than writing into whatever the old entry
// pointed at); if any step fails, the moves are undone in reverse and the
// temporary files removed. All of it goes through the tree's os.Root, and
// a symbolic link on any path refuses the whole plan before anything is
// written.
func applyPlan(t *tree, acts []update.Action, ops fileOps) (err error) {
	type step struct {
		target, tmp, backup string
		created             []string // directories made for it
		done                bool     // renamed into place
		backedUp            bool
	}
	r := t.root
	steps := make([]*step, 0, len(acts))
	defer func() {
		if err == nil {
			return
		}
		for i := len(steps) - 1; i >= 0; i-- {
			s := steps[i]
			if s.done {
				r.Remove(s.target)
			}
			if s.backedUp {
				if rerr := ops.rename(r, s.backup, s.target); rerr != nil {
					err = fmt.Errorf("%v; restoring %s also failed (%v): its previous contents are in %s", err, s.target, rerr, s.backup)
				}
			}
			if s.tmp != "" && !s.done {
				r.Remove(s.tmp)
			}
			for j := len(s.created) - 1; j >= 0; j-- {
				r.Remove(s.created[j]) // only succeeds when empty
			}
		}
	}()
	// Vet every path before writing anything: a link refuses the plan.
	for _, a := range acts {
		if err = t.check(a.Path); err != nil {
			return err
		}
		if st, serr := r.Lstat(a.Path); serr == nil && !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file; move it away and run again", a.Path)
		}
	}
	// Stage: write every new file completely before touching any target.
	for _, a := range acts {
		s := &step{target: a.Path}
		steps = append(steps, s)
		if !a.Kind.Writes() {
			continue
		}
		if s.created, err = t.mkdirs(path.Dir(a.Path)); err != nil {
			return err
		}
		s.tmp = a.Path + ".fleetyard-new-" + randomSuffix()
		f, cerr := r.OpenFile(s.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if cerr != nil {
			s.tmp = ""
			return cerr
		}
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
		if _, serr := r.Lstat(s.target); serr == nil {
			s.backup = s.target + ".fleetyard-old-" + strconv.Itoa(os.Getpid())
			if err = ops.rename(r, s.target, s.backup); err != nil {
				return fmt.Errorf("moving %s aside: %v", acts[i].Path, err)
			}
			s.backedUp = true
		}
		if s.tmp != "" {
			if err = ops.rename(r, s.tmp, s.target); err != nil {
				return fmt.Errorf("renaming the new %s into place: %v", acts[i].Path, err)
			}
			s.done = true
		}
	}
	// Done: drop the old copies, and directories a removal left empty.
	for _, s := range steps {
		if s.backedUp {
			r.Remove(s.backup)
		}
		if s.tmp == "" {
			t.removeEmptyParents(path.Dir(s.target))
		}
	}
	return nil
}

// randomSuffix names a temporary file no one can predict or pre-create.
func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
