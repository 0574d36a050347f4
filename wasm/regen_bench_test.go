package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkSessionRegenerateOneField is the worker's keystroke natively:
// the session's generate (parse, incremental Generate, file IDs, access
// rows, Terraform preview) and the JSON answer, alternating between two
// texts of large.json that differ in one machine's description, each
// request naming the previous answer as its base as the page does (so
// the answer is a delta).
// The manifest is not in it: the worker builds it after answering
// (settle), and BenchmarkSessionSettleOneField measures both.
func BenchmarkSessionRegenerateOneField(b *testing.B) {
	benchSessionRegenerate(b, editOneField, false)
}

// BenchmarkSessionSettleOneField is BenchmarkSessionRegenerateOneField
// followed by the settle the worker runs once idle (the manifest and its
// SHA-256 of every changed file): the keystroke's whole cost.
func BenchmarkSessionSettleOneField(b *testing.B) {
	benchSessionRegenerate(b, editOneField, true)
}

func editOneField(doc map[string]any, i int) {
	doc["machines"].([]any)[7].(map[string]any)["description"] = fmt.Sprintf("edited %d", i)
}

// BenchmarkSessionRegenerateEverything is the memo's worst case, as
// TestMeasure's third series: every machine's description and every user's
// full name differ between the two texts, so every file that names one is
// printed again.
func BenchmarkSessionRegenerateEverything(b *testing.B) {
	benchSessionRegenerate(b, func(doc map[string]any, i int) {
		for _, m := range doc["machines"].([]any) {
			m.(map[string]any)["description"] = fmt.Sprintf("round %d", i)
		}
		for _, u := range doc["users"].([]any) {
			u.(map[string]any)["fullName"] = fmt.Sprintf("Person %d", i)
		}
	}, false)
}

// BenchmarkSessionRegenerateName is the keystroke e2e's input-to-preview
// measurement types (TestMeasure, measureTyping): a letter more in the
// fleet's name, which the README, the clan meta, the Terraform names and
// every Mac user's SSH key link carry.
func BenchmarkSessionRegenerateName(b *testing.B) {
	benchSessionRegenerate(b, func(doc map[string]any, i int) {
		doc["name"] = doc["name"].(string) + string(rune('a'+i))
	}, false)
}

// BenchmarkSessionRegenerateTypedName is BenchmarkSessionRegenerateName as a
// person types: every name is new. Two alternating texts leave some work to
// the Cache (what two generations back printed, for the text it returns
// to); 64 distinct texts, cycled, leave none.
func BenchmarkSessionRegenerateTypedName(b *testing.B) {
	benchSessionRegenerateN(b, 64, func(doc map[string]any, i int) {
		doc["name"] = doc["name"].(string) + strconv.Itoa(i)
	}, false)
}

// BenchmarkSessionRegenerateSame is TestMeasure's first series: the same
// text again, so the floor every keystroke pays before any file differs.
func BenchmarkSessionRegenerateSame(b *testing.B) {
	benchSessionRegenerate(b, func(doc map[string]any, i int) {}, false)
}

// benchSessionRegenerate alternates between two edits of large.json,
// settling each answer's manifest too when asked.
func benchSessionRegenerate(b *testing.B, edit func(doc map[string]any, i int), settle bool) {
	benchSessionRegenerateN(b, 2, edit, settle)
}

// benchSessionRegenerateN cycles through n edits of large.json.
func benchSessionRegenerateN(b *testing.B, n int, edit func(doc map[string]any, i int), settle bool) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "large.json"))
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, n)
	for i := range texts {
		var doc map[string]any
		json.Unmarshal(data, &doc)
		edit(doc, i)
		t, _ := json.Marshal(doc)
		texts[i] = string(t)
	}
	s := newSession()
	base := 0
	for _, t := range texts {
		res, _ := s.generate(t, zeroEntropy, "2025-01-01T00:00:00Z", "bench", base)
		base = res.Seq
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		res, _ := s.generate(texts[i%n], zeroEntropy, "2025-01-01T00:00:00Z", "bench", base)
		if !res.OK || res.Base == 0 {
			b.Fatalf("not a delta: %+v", res.Error)
		}
		base = res.Seq
		_ = generateJSON(&res)
		if settle {
			if r, _, ok := s.settle("bench"); ok {
				base = r.Seq
				_ = generateJSON(&r)
			} else {
				b.Fatal("nothing to settle")
			}
		}
		i++
	}
}
