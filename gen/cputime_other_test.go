//go:build !unix

package gen_test

import "time"

// cpuTime is unavailable here; benchmarks then report wall time only.
func cpuTime() (time.Duration, bool) { return 0, false }
