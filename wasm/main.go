//go:build js && wasm

// Command wasm is the browser side of Fleetyard: it runs in a module Web
// Worker (static/ts/worker.ts) and exposes the generator on
// globalThis.fleetyard. It is glue only: every decision lives in gen/.
//
// Every function takes and returns plain values: strings in, a JSON string
// out (or bytes for archives). Failures come back as a JS Error value rather
// than a panic, because a panic inside a js.FuncOf callback kills the Go
// runtime and with it the worker. The JSON shapes are in api.go, the
// behaviour in api_impl.go and tools.go.
//
// The site builds this package twice. The generator module, which the
// playground loads at start, answers generate and keys. Built with the tag
// fytools it is the full module, loaded by a second worker on the first
// download or share link, which also answers archive, changes, shareEncode
// and shareDecode: those link compression and the update merge, which the
// first module then need not carry.
package main

import (
	"strconv"
	"syscall/js"
)

func main() {
	// The collector's target (GOGC=400) comes from the worker's environment
	// (static/ts/worker.ts): runtime/debug would cost the download 3.6 KB.
	// The worker's only session: what it remembers between calls.
	s := newSession()
	api := js.Global().Get("Object").New()
	// generate(spec, entropy, time, stream, base): base is the decimal
	// number of the stream's answer the page holds ("0": none), see stream.go.
	register(api, s, "generate", 5, func(s *session, a []js.Value) any {
		base, _ := strconv.Atoi(a[4].String())
		res, blob := s.generate(a[0].String(), a[1].String(), a[2].String(), a[3].String(), base)
		return answerJS(&res, blob)
	})
	// settle(stream): the manifest the stream's last answer left as it
	// was, as a delta of that answer; null when there is nothing to settle.
	register(api, s, "settle", 1, func(s *session, a []js.Value) any {
		res, blob, ok := s.settle(a[0].String())
		if !ok {
			return nil
		}
		return answerJS(&res, blob)
	})
	register(api, s, "warm", 1, func(s *session, a []js.Value) any {
		s.warm(a[0].String())
		return nil
	})
	register(api, s, "keys", 1, func(_ *session, a []js.Value) any {
		r := keys(a[0].String())
		return jsonString(&r)
	})
	// Downloads and share links, in the full module only (tools_js.go).
	registerTools(api, s)
	js.Global().Set("fleetyard", api)
	// Keep the runtime alive: the callbacks above run on the worker's event
	// loop for as long as the worker lives.
	select {}
}

// register installs fn under name, checking the argument count and that every
// argument is a string, so a wrong call from TypeScript is an Error, not a
// crash. fn gets the session as an argument rather than capturing it: one
// closure here instead of one per function keeps the wasm smaller.
func register(api js.Value, s *session, name string, nargs int, fn func(*session, []js.Value) any) {
	api.Set(name, js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != nargs {
			return jsError("fleetyard." + name + ": wrong number of arguments")
		}
		for _, a := range args {
			if a.Type() != js.TypeString {
				return jsError("fleetyard." + name + ": arguments must be strings")
			}
		}
		return fn(s, args)
	}))
}

// answerJS is a generate or settle answer as the worker reads it: the JSON
// (meta) and a copy of the blob its files point into (data).
func answerJS(res *GenerateResult, blob []byte) js.Value {
	out := js.Global().Get("Object").New()
	out.Set("meta", string(generateJSON(res)))
	out.Set("data", bytesToJS(blob))
	return out
}

func bytesToJS(b []byte) js.Value {
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	return u8
}

func jsError(msg string) js.Value {
	return js.Global().Get("Error").New(msg)
}
