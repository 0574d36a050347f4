package gen

// emitHome is a placeholder until its pattern is written.
func emitHome(b *build) {}
