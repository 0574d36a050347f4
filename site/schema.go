package site

import "github.com/fleetyard/fleetyard/gen"

// schema publishes the JSON Schema of fleet.json at /schema/fleet.v1.json,
// so editors can validate a spec with "$schema".
func (b *builder) schema() error {
	b.out["schema/fleet.v1.json"] = gen.Schema()
	return nil
}
