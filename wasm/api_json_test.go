package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"reflect"
	"testing"

	"github.com/fleetyard/fleetyard/internal/specgen"
)

//go:generate go test -run ^TestProtocolJSONGenerated$ -update-json .

var updateJSON = flag.Bool("update-json", false, "rewrite api_json_gen.go")

// protocolCode is what internal/specgen writes for the worker protocol:
// AppendJSON methods, so that jsonString needs no reflection (the reflect
// package and the types' metadata would otherwise be linked into the
// wasm module).
var protocolCode = specgen.Options{
	Package: "main",
	Command: "internal/specgen (go generate ./wasm)",
	// GenerateResult is not here: the generate answer has its own encoder
	// (answer_json.go), which writes deltas and is tested against
	// encoding/json there.
	Encode: []reflect.Type{reflect.TypeFor[KeysResult](), reflect.TypeFor[ShareResult]()},
}

// TestProtocolJSONGenerated fails when api_json_gen.go is not what the
// generator writes for the protocol types now, so a field added to api.go
// cannot be left out of the JSON. -update-json (or go generate ./wasm)
// rewrites the file.
func TestProtocolJSONGenerated(t *testing.T) {
	if err := specgen.Check("api_json_gen.go", protocolCode, *updateJSON, "go generate ./wasm"); err != nil {
		t.Fatal(err)
	}
}

// TestJSONStringMatchesEncodingJSON holds jsonString (gen/jsonw and the
// generated methods) to encoding/json's bytes for real results and for
// values with every field set (by reflection, in this test only).
func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	var fullKeys KeysResult
	var fullShare ShareResult
	specgen.Fill(reflect.ValueOf(&fullKeys).Elem(), false)
	specgen.Fill(reflect.ValueOf(&fullShare).Elem(), false)
	tests := []struct {
		name string
		v    any
	}{
		{"keys", ptr(keys("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbM2kYzjOwfCt4Q4V8nIY5+n5AiCB2v3XN4x1dKXkAm a@b\nnonsense"))},
		{"zero results", []any{&KeysResult{}, &ShareResult{}}},
		{"nil results", []any{(*KeysResult)(nil), (*ShareResult)(nil)}},
		{"every field set", []any{&fullKeys, &fullShare}},
		{"empty lists", &KeysResult{Keys: []KeyOut{}, Errors: []LineErrOut{}}},
		{"nil lists", &KeysResult{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tt.v); err != nil {
				t.Fatal(err)
			}
			want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			if got := jsonString(tt.v); got != string(want) {
				t.Errorf("jsonString differs from encoding/json:\ngot:  %s\nwant: %s", got, want)
			}
		})
	}
}

// ptr returns a pointer to a copy of v (the AppendJSON methods have pointer
// receivers).
func ptr[T any](v T) *T { return &v }
