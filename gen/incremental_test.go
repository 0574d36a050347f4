package gen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fleetyard/fleetyard/gen"
)

// Incremental regeneration (Cache-memoized files) must give exactly the
// bytes of a from-scratch Generate, after any sequence of edits: random
// walks over the examples, each step one edit of the kinds the playground
// makes, checked against an uncached generation.
func TestIncrementalMatchesScratch(t *testing.T) {
	steps := 60
	if testing.Short() {
		steps = 15
	}
	for _, name := range []string{"seed", "large"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			cache := gen.NewCache()
			var doc map[string]any
			json.Unmarshal(data, &doc)
			applied := 0
			for step := 0; step < steps; step++ {
				next := cloneDoc(doc)
				what := randomEdit(rng, next, step)
				text, _ := json.Marshal(next)
				f, diags := cache.Parse(text)
				if f == nil || gen.HasErrors(diags) {
					continue // an edit the validator refuses: the playground shows diagnostics
				}
				doc = next
				applied++
				got, err := gen.Generate(f, pinned())
				if err != nil {
					t.Fatalf("step %d (%s): %v", step, what, err)
				}
				fresh, _ := gen.Parse(text)
				want, err := gen.Generate(fresh, pinned())
				if err != nil {
					t.Fatal(err)
				}
				if d := firstFileDiff(want, got); d != "" {
					t.Fatalf("step %d (%s): incremental output differs from scratch: %s", step, what, d)
				}
			}
			if applied < steps/3 {
				t.Errorf("only %d of %d random edits were valid: the test exercises too little", applied, steps)
			}
		})
	}
}

func cloneDoc(doc map[string]any) map[string]any {
	data, _ := json.Marshal(doc)
	var out map[string]any
	json.Unmarshal(data, &out)
	return out
}

// randomEdit changes one thing in a fleet document and says what.
func randomEdit(rng *rand.Rand, doc map[string]any, step int) string {
	list := func(key string) []any { l, _ := doc[key].([]any); return l }
	pick := func(l []any) map[string]any {
		if len(l) == 0 {
			return nil
		}
		m, _ := l[rng.IntN(len(l))].(map[string]any)
		return m
	}
	ms, us := list("machines"), list("users")
	m, u := pick(ms), pick(us)
	v := fmt.Sprintf("v%d", step)
	switch rng.IntN(20) {
	case 0:
		m["description"] = "edited " + v
		return "machine description"
	case 1:
		m["tags"] = []any{"t" + v}
		return "machine tags"
	case 2:
		m["targetHost"] = "root@" + v + ".example.org"
		return "machine targetHost"
	case 3:
		if h, ok := m["hetzner"].(map[string]any); ok {
			on, _ := h["enabled"].(bool)
			h["enabled"] = !on
			return "hetzner toggle"
		}
		m["hetzner"] = map[string]any{"serverType": "cx23"}
		return "hetzner added"
	case 4:
		if u == nil {
			return "nothing"
		}
		u["shell"] = []string{"zsh", "bash", "fish"}[rng.IntN(3)]
		return "user shell"
	case 5:
		if u == nil {
			return "nothing"
		}
		u["fullName"] = "Name " + v
		return "user fullName"
	case 6:
		if u == nil {
			return "nothing"
		}
		u["secrets"] = []any{"token-" + v}
		return "user secrets"
	case 7:
		if u == nil || m == nil {
			return "nothing"
		}
		u["machines"] = append(u["machines"].([]any), m["name"])
		return "user on another machine"
	case 8:
		if u == nil {
			return "nothing"
		}
		u["home"] = map[string]any{"aggregates": []any{"core", "agg" + v}}
		return "user aggregates"
	case 9:
		doc["machines"] = append(ms, map[string]any{"name": "new-" + v, "class": "nixos"})
		return "machine added"
	case 10:
		doc["description"] = "fleet " + v
		return "fleet description"
	case 11:
		doc["domain"] = "d" + v
		return "domain"
	case 12:
		if u == nil {
			return "nothing"
		}
		u["uid"] = 1000 + step
		return "user uid"
	case 13:
		// The access rows read each machine's zerotier role (derived_memo.go).
		if m["zerotier"] == "controller" {
			return "nothing"
		}
		if m["zerotier"] == "none" {
			m["zerotier"] = "peer"
		} else {
			m["zerotier"] = "none"
		}
		return "machine zerotier role"
	case 18:
		// ... and each generator's machines, sharing and secret files.
		vars, _ := doc["vars"].([]any)
		if len(vars) == 0 || m == nil {
			doc["vars"] = []any{map[string]any{"name": "gen-" + v, "machines": []any{m["name"]}, "files": []any{map[string]any{"name": "f", "secret": rng.IntN(2) == 0}}, "script": "echo > \"$out/f\""}}
			return "generator added"
		}
		g := vars[0].(map[string]any)
		switch rng.IntN(3) {
		case 0:
			g["share"] = !(g["share"] == true)
			return "generator shared"
		case 1:
			g["machines"] = append(g["machines"].([]any), m["name"])
			return "generator on another machine"
		default:
			f := g["files"].([]any)[0].(map[string]any)
			f["secret"] = !(f["secret"] == true)
			return "generator file secret"
		}
	case 14:
		// The Terraform preview reads every hetzner field (derived_memo.go).
		h, ok := m["hetzner"].(map[string]any)
		if !ok {
			return "nothing"
		}
		h["location"] = []string{"fsn1", "nbg1", "hel1"}[rng.IntN(3)]
		return "hetzner location"
	case 15:
		doc["name"] = "fleet-" + v
		return "fleet name"
	case 16:
		// .sops.yaml reads every key holder's recipients.
		if u == nil {
			return "nothing"
		}
		delete(u, "sshKeys")
		delete(u, "secrets")
		return "user keys removed"
	case 17:
		admins, _ := doc["admins"].([]any)
		if u == nil || len(admins) == 0 {
			return "nothing"
		}
		u["sshKeys"] = admins[0].(map[string]any)["sshKeys"]
		return "user given the admin's key"
	default:
		if m["class"] == "nixos" {
			m["stateVersion"] = "24.11"
		}
		return "state version"
	}
}

func firstFileDiff(want, got []gen.File) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d files, want %d", len(got), len(want))
	}
	for i := range want {
		if want[i].Path != got[i].Path || want[i].Mode != got[i].Mode {
			return "file " + got[i].Path + " where " + want[i].Path + " was expected"
		}
		if !bytes.Equal(want[i].Data, got[i].Data) {
			return want[i].Path + ":\n" + firstDiff(want[i].Data, got[i].Data)
		}
	}
	return ""
}

// BenchmarkRegenerateLargeOneField is the playground's keystroke: one
// machine's description changes between calls, with the session's Cache.
func BenchmarkRegenerateLargeOneField(b *testing.B) {
	benchAlternating(b, func(doc map[string]any, i int) {
		doc["machines"].([]any)[7].(map[string]any)["description"] = fmt.Sprintf("edited %d", i)
	})
}

// TestCacheSharedByConcurrentGenerations: a Cache is safe for concurrent
// use (its doc says so), so generations of different specs may run on one
// Cache at once, each getting its scratch buffers and memo entries without
// another's bytes leaking into its files. Run with -race, it also checks
// the locking.
func TestCacheSharedByConcurrentGenerations(t *testing.T) {
	var texts [][]byte
	var wants [][]gen.File
	for _, name := range []string{"seed", "large", "minimal"} {
		data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := gen.Parse(data)
		want, err := gen.Generate(f, pinned())
		if err != nil {
			t.Fatal(err)
		}
		texts, wants = append(texts, data), append(wants, want)
	}
	cache := gen.NewCache()
	rounds := 6
	if testing.Short() {
		rounds = 2
	}
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			for r := range rounds {
				i := (g + r) % len(texts)
				f, _ := cache.Parse(texts[i])
				got, err := gen.Generate(f, pinned())
				if err != nil {
					t.Error(err)
					return
				}
				if d := firstFileDiff(wants[i], got); d != "" {
					t.Errorf("goroutine %d, round %d: %s", g, r, d)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkRegenerateLargeEverything is the memo's worst case, as the
// playground measures it (e2e measureRegenerate): every machine's
// description and every user's full name change between calls, so every
// file that shows one is printed again. Run it with -cpu 1 for the
// worker's single thread.
func BenchmarkRegenerateLargeEverything(b *testing.B) {
	benchAlternating(b, func(doc map[string]any, i int) {
		for _, m := range doc["machines"].([]any) {
			m.(map[string]any)["description"] = fmt.Sprintf("round %d", i)
		}
		for _, u := range doc["users"].([]any) {
			u.(map[string]any)["fullName"] = fmt.Sprintf("Person %d", i)
		}
	})
}

// benchAlternating regenerates large.json with one Cache, alternating
// between two texts that edit(doc, 0) and edit(doc, 1) make; the first
// two generations (filling the Cache) are not timed.
func benchAlternating(b *testing.B, edit func(doc map[string]any, i int)) {
	data, err := os.ReadFile(filepath.Join("..", "content", "examples", "large.json"))
	if err != nil {
		b.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(data, &doc)
	texts := make([][]byte, 2)
	for i := range texts {
		edit(doc, i)
		texts[i], _ = json.Marshal(doc)
	}
	opt := pinned()
	c := gen.NewCache()
	for _, t := range texts {
		f, _ := c.Parse(t)
		gen.Generate(f, opt)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f, _ := c.Parse(texts[i%2])
		if _, err := gen.Generate(f, opt); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestBareKeysLeaveOutOnlyUnreadText holds the bare fingerprints
// (fingerprint.go, bareKey) to the files keyed on them: the machine
// modules (their header, which shows the description, is printed apart),
// the disk layouts, clan/machines.nix, the clan users service, the home
// secrets and the standalone home configurations. For each machine's description and each
// user's full name and email, a cached regeneration after changing that
// text alone must give the bytes of a generation from scratch; a file
// keyed on a bare fingerprint that did show the text would come back
// stale from the memo.
func TestBareKeysLeaveOutOnlyUnreadText(t *testing.T) {
	for _, name := range []string{"seed", "minimal", "large"} {
		data, err := os.ReadFile(filepath.Join("..", "content", "examples", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		type edit struct {
			what  string
			entry map[string]any
			field string
		}
		var edits []edit
		machines, _ := doc["machines"].([]any)
		users, _ := doc["users"].([]any)
		// large.json's entities repeat a few shapes: its first dozen
		// of each cover them, with its Macs.
		for i, m := range machines {
			if name != "large" || i < 12 || m.(map[string]any)["class"] == "darwin" {
				edits = append(edits, edit{fmt.Sprintf("machines[%d]", i), m.(map[string]any), "description"})
			}
		}
		for i, u := range users {
			if i < 12 || name != "large" {
				edits = append(edits, edit{fmt.Sprintf("users[%d]", i), u.(map[string]any), "fullName"}, edit{fmt.Sprintf("users[%d]", i), u.(map[string]any), "email"})
			}
		}
		c := gen.NewCache()
		cachedGenerate(t, c, data)
		for _, e := range edits {
			old, had := e.entry[e.field]
			for _, v := range []string{"changed text", "changed again"} {
				if e.field == "email" {
					v = strings.ReplaceAll(v, " ", ".") + "@example.org"
				}
				e.entry[e.field] = v
				text, _ := json.Marshal(doc)
				_, got := cachedGenerate(t, c, text)
				fresh, _ := gen.Parse(text)
				want, err := gen.Generate(fresh, pinned())
				if err != nil {
					t.Fatalf("%s: %s.%s = %q: %v", name, e.what, e.field, v, err)
				}
				if d := firstFileDiff(want, got); d != "" {
					t.Fatalf("%s: after %s.%s = %q, the cached generation differs from scratch: %s", name, e.what, e.field, v, d)
				}
			}
			if had {
				e.entry[e.field] = old
			} else {
				delete(e.entry, e.field)
			}
		}
	}
}
