//go:build js

package sops

// baseTables is false in WebAssembly: x25519Base always takes the ladder, so
// the linker leaves edwards25519's scalar arithmetic and tables out of the
// playground's module (52 KB of code, 7.6 KB of brotli). The playground
// encrypts all its stubs once, at the first generation, and again only when
// their readers change: for large.json's 50 recipients a whole cold
// generation under Node took 605-1091 ms without the tables against
// 613-1225 with them (three alternating runs), since building them costs
// about a hundred ladders. Only re-encrypting every stub later (an admin's key pasted) is
// slower, by about one ladder per recipient.
const baseTables = false

// x25519Fixed is the ladder in WebAssembly: the recipients' comb tables
// (x25519_comb.go) stay out of the playground's module, whose stubs are
// few and encrypted once.
func x25519Fixed(scalar, u []byte) ([]byte, error) { return x25519(scalar, u) }
