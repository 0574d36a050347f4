package gen

import (
	"bytes"
	"encoding/json"
)

// Parse decodes fleet.json strictly, fills in defaults and validates the
// result. It returns every problem it finds, each with the field path and,
// for problems tied to the text, its line:col. The returned spec is nil only
// when the text cannot be decoded at all; otherwise it is usable for
// generation exactly when no diagnostic has [Error] severity.
//
// TEMPORARY: plain encoding/json until the positional decoder lands.
func Parse(data []byte) (*Spec, []Diagnostic) {
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, []Diagnostic{{Severity: Error, Message: err.Error()}}
	}
	applyDefaults(&s)
	return &s, nil
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
