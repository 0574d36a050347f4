package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSessionRegenerateOneField is the worker's keystroke natively:
// the session's generate (parse, incremental Generate, digests, access
// rows, Terraform preview) and the JSON answer, alternating between two
// texts of large.json that differ in one machine's description.
func BenchmarkSessionRegenerateOneField(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "large.json"))
	if err != nil {
		b.Fatal(err)
	}
	var texts [2]string
	for i := range texts {
		var doc map[string]any
		json.Unmarshal(data, &doc)
		doc["machines"].([]any)[7].(map[string]any)["description"] = fmt.Sprintf("edited %d", i)
		t, _ := json.Marshal(doc)
		texts[i] = string(t)
	}
	s := newSession()
	for _, t := range texts {
		s.generate(t, zeroEntropy, "2025-01-01T00:00:00Z")
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		res, _ := s.generate(texts[i%2], zeroEntropy, "2025-01-01T00:00:00Z")
		if !res.OK {
			b.Fatal(res.Error)
		}
		_ = jsonString(res)
		i++
	}
}
