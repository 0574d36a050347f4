package gen

// emitReadme is a placeholder until its pattern is written.
func emitReadme(b *build) {}
