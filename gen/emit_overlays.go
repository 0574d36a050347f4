package gen

// emitOverlays is a placeholder until its pattern is written.
func emitOverlays(b *build) {}
