package nixtest

import (
	"strings"
	"testing"
)

func TestParseAndEval(t *testing.T) {
	Parse(t, []byte("{ pkgs, ... }: { x = pkgs.hello; }\n"))
	if got := string(EvalJSON(t, `[ "a" 1 true null { b = 2; } ]`)); got != `["a",1,true,null,{"b":2}]` {
		t.Fatalf("EvalJSON = %s", got)
	}
}

func TestParseErr(t *testing.T) {
	msg := ParseErr(t, []byte("{ a = ; }"))
	if msg == nil || !strings.Contains(string(msg), "syntax error") {
		t.Fatalf("ParseErr on invalid Nix = %q, want a syntax error", msg)
	}
	if msg := ParseErr(t, []byte("{ }")); msg != nil {
		t.Fatalf("ParseErr on valid Nix = %q, want nil", msg)
	}
}

func TestNumbered(t *testing.T) {
	got := string(numbered([]byte("a\nb")))
	if got != "   1| a\n   2| b\n" {
		t.Fatalf("numbered = %q", got)
	}
}
