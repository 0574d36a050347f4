package gen

// emitSkeleton is a placeholder until its pattern is written.
func emitSkeleton(b *build) {}
