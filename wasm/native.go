//go:build !(js && wasm)

package main

// Outside the browser this command does nothing; the file exists so that the
// syscall/js-free part (api.go) builds and is tested natively.
func main() {}
