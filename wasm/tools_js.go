//go:build js && wasm && fytools

package main

import "syscall/js"

// registerTools installs the full module's extra calls (see main.go).
func registerTools(api js.Value, s *session) {
	register(api, s, "archive", 4, func(s *session, a []js.Value) any {
		data, err := s.archive(a[0].String(), a[1].String(), a[2].String(), a[3].String())
		if err != nil {
			return jsError(err.Error())
		}
		return bytesToJS(data)
	})
	register(api, s, "changes", 4, func(s *session, a []js.Value) any {
		data, err := s.changes(a[0].String(), a[1].String(), a[2].String(), a[3].String())
		if err != nil {
			return jsError(err.Error())
		}
		return bytesToJS(data)
	})
	register(api, s, "shareEncode", 1, func(_ *session, a []js.Value) any {
		r := shareEncode(a[0].String())
		return jsonString(&r)
	})
	register(api, s, "shareDecode", 1, func(_ *session, a []js.Value) any {
		r := shareDecode(a[0].String())
		return jsonString(&r)
	})
}
