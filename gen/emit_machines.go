package gen

// emitMachines is a placeholder until its pattern is written.
func emitMachines(b *build) {}
