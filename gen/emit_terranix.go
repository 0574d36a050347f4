package gen

// emitTerranix is a placeholder until its pattern is written.
func emitTerranix(b *build) {}
