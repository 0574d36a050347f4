package gen

// emitZerotier is a placeholder until its pattern is written.
func emitZerotier(b *build) {}
