//go:build js

package gen

// emitConcurrently is concurrent.go's, one pattern after another: in the
// browser the Go runtime has one thread (GOMAXPROCS is 1), so
// generateBuild never calls it, and the module is spared the code.
func (b *build) emitConcurrently(ps []*pattern) {
	for _, p := range ps {
		b.pattern = p.name
		if p.emit(b); b.err != nil {
			return
		}
	}
}

// fileHashes is concurrent.go's background hashing, which never runs here.
type fileHashes struct{}

// hashAll is concurrent.go's: nil, the manifest asks the Cache.
func (b *build) hashAll(paths []string) []string { return nil }
