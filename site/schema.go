package site

// schema writes /schema/fleet.v1.json once gen.Schema exists.
func (b *builder) schema() error {
	return nil
}
