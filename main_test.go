package main

import (
	"testing"
)

// TestProcessEnvReadsTheEnvironment: cli.md promises that gen's --time
// defaults to $SOURCE_DATE_EPOCH, which the commands read only through the
// Env main gives them.
func TestProcessEnvReadsTheEnvironment(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	env := processEnv()
	if env.Getenv == nil || env.Getenv("SOURCE_DATE_EPOCH") != "1767225600" {
		t.Fatal("the commands cannot read $SOURCE_DATE_EPOCH")
	}
}
