package main

// Idle warm-up. V8 runs a module's functions first as baseline code and
// optimizes each one only after it has run enough: in the playground the
// first ten or so keystrokes on large.json took 40 to 150 ms in the worker,
// the later ones 13 to 20 (e2e, a fresh worker, the fleet's name typed). The
// worker spends idle time after its first answer on a few generations that
// nobody sees (static/ts/worker.ts, InitMsg.idle), so that the code the
// user's keystrokes run is optimized before they type.

// warmStream is the stream the warm-up's answers go to in its own session.
const warmStream = "warm"

// warm runs one generation of spec on a session of the warm-up's own, as a
// delta of its previous one, as a keystroke's would be: the page's session
// keeps its memo, stubs and streams for the page's own spec, which may be
// another fleet. An empty spec ends the warm-up and frees what it held.
func (s *session) warm(spec string) {
	if spec == "" {
		s.warmer = nil
		return
	}
	if s.warmer == nil {
		s.warmer = newSession()
	}
	w := s.warmer
	base := 0
	if st := w.streams.byName[warmStream]; st != nil {
		base = st.seq
	}
	res, _ := w.generate(spec, zeroEntropyHex, "2025-01-01T00:00:00Z", warmStream, base)
	_ = generateJSON(&res)
	// And the manifest the worker builds after a keystroke's answer.
	if res, _, ok := w.settle(warmStream); ok {
		_ = generateJSON(&res)
	}
}

// zeroEntropyHex is 32 zero bytes: the warm-up's output is thrown away.
const zeroEntropyHex = "0000000000000000000000000000000000000000000000000000000000000000"
