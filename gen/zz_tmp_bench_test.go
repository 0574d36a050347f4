package gen_test

import (
	"os"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/gen/sshkey"
)

func BenchmarkTmpParseLarge(b *testing.B) {
	data, _ := os.ReadFile("../content/examples/large.json")
	for b.Loop() {
		gen.Parse(data)
	}
}

func BenchmarkTmpGenLargeCached(b *testing.B) {
	data, _ := os.ReadFile("../content/examples/large.json")
	spec, _ := gen.Parse(data)
	opt := pinned()
	opt.Cache = gen.NewCache()
	for b.Loop() {
		gen.Generate(spec, opt)
	}
}

func BenchmarkTmpKey(b *testing.B) {
	for b.Loop() {
		sshkey.ParseKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICoGi16Rl/G7buLFoCWXYt6tpFueIHl9Q1g7qe4ppCfT alice@fixture")
	}
}
