package sops

// Errors here are built by hand rather than with fmt: the playground's
// generator module links no fmt, which saves 28 KB of its brotli size
// (site/wasmsize_test.go).

// wrapped is msg + ": " + err's message, and unwraps to err (what
// fmt.Errorf("%s: %w") gives).
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg + ": " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

func wrap(msg string, err error) error { return &wrapped{msg, err} }
