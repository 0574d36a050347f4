package gen

// emitBase is a placeholder until its pattern is written.
func emitBase(b *build) {}
