package gen

// emitDarwin is a placeholder until its pattern is written.
func emitDarwin(b *build) {}
