//go:build js && wasm && !fytools

package main

import "syscall/js"

// registerTools adds nothing to the generator module: its downloads and
// share links are the full module's (tools_js.go, built with -tags fytools).
func registerTools(js.Value, *session) {}
