package gen

// emitClan is a placeholder until its pattern is written.
func emitClan(b *build) {}
