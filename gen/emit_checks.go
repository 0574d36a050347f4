package gen

// emitChecks is a placeholder until its pattern is written.
func emitChecks(b *build) {}
