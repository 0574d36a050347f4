package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// tree is a repository directory that gen -o and update read and write.
// Every access goes through an os.Root, so no path, however it was
// crafted, reaches outside the directory; and Fleetyard refuses symbolic
// links on every path it touches, even links that stay inside: a cloned
// repository can carry a committed link (README.md -> ~/.bashrc, modules ->
// /etc), and writing through it would overwrite, or widen the mode of, a
// file the user never meant to hand over.
type tree struct {
	root *os.Root
	dir  string // as the user named it, for messages
}

// openTree opens dir, which must exist and be a directory (a link naming
// the directory itself is fine: the user chose it).
func openTree(dir string) (*tree, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &tree{root: r, dir: dir}, nil
}

func (t *tree) close() { t.root.Close() }

// linkError is the refusal to go through a symbolic link.
func linkError(rel string, dir bool) error {
	what := "a regular file"
	if dir {
		what = "a real directory"
	}
	return fmt.Errorf("%s is a symbolic link; Fleetyard does not write through links: remove it or replace it with %s", rel, what)
}

// check refuses rel when any existing component of it is a symbolic link,
// or when a parent is a file rather than a directory. A missing component
// is fine: everything below it is missing too.
func (t *tree) check(rel string) error {
	parts := strings.Split(rel, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		st, err := t.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		last := i == len(parts)-1
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			return linkError(p, !last)
		case !last && !st.IsDir():
			return fmt.Errorf("%s is a file, but Fleetyard needs a directory there (for %s): move it away", p, rel)
		}
	}
	return nil
}

// read returns rel's contents and whether it exists. It refuses links and
// anything that is not a regular file. With existsOnly it does not read
// the file (secrets/ and vars/: only their existence matters).
func (t *tree) read(rel string, existsOnly bool) ([]byte, bool, error) {
	if err := t.check(rel); err != nil {
		return nil, false, err
	}
	st, err := t.root.Lstat(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !st.Mode().IsRegular() {
		return nil, false, fmt.Errorf("%s is not a regular file (a directory or a device); move it away and run again", rel)
	}
	if existsOnly {
		return nil, true, nil
	}
	data, err := t.root.ReadFile(rel)
	return data, err == nil, err
}

// exists reports whether rel exists (without following a final link).
func (t *tree) exists(rel string) bool {
	_, err := t.root.Lstat(rel)
	return err == nil
}

// mkdirs makes rel and its missing parents, returning those it made
// (outermost first) so a rollback can remove them. It refuses links.
func (t *tree) mkdirs(rel string) ([]string, error) {
	if rel == "." || rel == "" {
		return nil, nil
	}
	if err := t.check(rel); err != nil {
		return nil, err
	}
	var made []string
	parts := strings.Split(rel, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		err := t.root.Mkdir(p, 0o755)
		switch {
		case err == nil:
			made = append(made, p)
		case errors.Is(err, fs.ErrExist):
			// check has vetted the existing components.
		default:
			return made, err
		}
	}
	return made, nil
}

// removeEmptyParents removes dir and its parents up to (not including) the
// root while they are empty, so removing a machine leaves no empty folders.
func (t *tree) removeEmptyParents(dir string) {
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if t.root.Remove(d) != nil {
			return
		}
	}
}
