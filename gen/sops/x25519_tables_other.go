//go:build !js

package sops

// baseTables lets x25519Base switch to edwards25519's tables after
// ladderFirst multiplications: natively they are built in about a
// millisecond (1.3 ms here, then 16 µs a multiplication against 49 for the
// ladder), and a thousand-machine fleet's stubs need hundreds of
// fixed-base multiplications.
const baseTables = true
