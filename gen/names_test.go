package gen

import "testing"

// TestLeadingUnderscore: import-tree, which loads modules/, skips every path
// containing "/_" (import-tree default.nix: nixFilter = andNot (lib.hasInfix
// "/_") …). A user "_svc" or a generator "_hidden" validated, then their
// module files were never loaded while the machine modules still referred
// to them. Every name that becomes a file or directory name now refuses a
// leading '_', on the field.
func TestLeadingUnderscore(t *testing.T) {
	g := func(name, extra string) string {
		return h + nm + `,"vars":[{"machines":["a"],"name":` + name + `,` + extra + `"files":[{"name":"f"}],"script":"x"}]}`
	}
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"user", h + nm + `,"users":[{"machines":["a"],"name":‸"_svc"}]}`, []string{`users[0].name|error|user name "_svc" starts with '_'`}},
		{"admin", h0 + `"admins":[{"name":‸"_ops","sshKeys":["` + adminKey + `"]}],` + nm + `}`, []string{`admins[0].name|error|admin name "_ops" starts with '_'`}},
		{"generator", g(`‸"_hidden"`, ""), []string{`vars[0].name|error|generator name "_hidden" starts with '_'`}},
		{"generator file", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":‸"_f"}],"script":"x"}]}`, []string{`vars[0].files[0].name|error|file name "_f" starts with '_'`}},
		{"prompt", g(`"g"`, `"prompts":[{"name":‸"_p"}],`), []string{`vars[0].prompts[0].name|error|prompt name "_p" starts with '_'`}},
		{"user secret", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":["` + aliceKey + `"],"secrets":[‸"_s"]}]}`, []string{`users[0].secrets[0]|error|secret name "_s" starts with '_'`}},
		// Packages _, _x and __functor once passed validate and then failed
		// gen without a position.
		{"package _", h + nm + `,"overlays":{"packages":[{"name":‸"_"}]}}`, []string{`overlays.packages[0].name|error|package name "_" starts with '_'`}},
		{"package _x", h + nm + `,"overlays":{"packages":[{"name":‸"_x"}]}}`, []string{`overlays.packages[0].name|error|package name "_x" starts with '_'`}},
		{"package __functor", h + nm + `,"overlays":{"packages":[{"name":‸"__functor"}]}}`, []string{`overlays.packages[0].name|error|package name "__functor" starts with '_'`}},
		// Inside a name, '_' is fine, and so is a dot-file generator name
		// (no "/_" in its path).
		{"inner underscore", h + nm + `,"users":[{"machines":["a"],"name":"svc_a"}],"vars":[{"machines":["a"],"name":"._g","files":[{"name":"f_1"}],"script":"x"}]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) { expectDiagnostics(t, tc.in, tc.want) })
	}
}

// TestCaseOnlyCollisions: names that become paths and differ only in letter
// case are the same file on macOS's case-insensitive file system
// (pkgs/by-name/cc/CCstatusline and …/ccstatusline), so one would replace
// the other on checkout. The second is refused, naming the first.
func TestCaseOnlyCollisions(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"generators", h + nm + `,"vars":[{"machines":["a"],"name":"API-Token","files":[{"name":"f"}],"script":"x"},{"machines":["a"],"name":‸"api-token","files":[{"name":"f"}],"script":"x"}]}`,
			[]string{`vars[1].name|error|generator "api-token" differs from "API-Token" (at vars[0].name) only in letter case`}},
		{"packages", h + nm + `,"overlays":{"packages":[{"name":"CCstatusline"},{"name":‸"ccstatusline"}]}}`,
			[]string{`overlays.packages[1].name|error|package "ccstatusline" differs from "CCstatusline" (at overlays.packages[0].name) only in letter case`}},
		{"generator files", h + nm + `,"vars":[{"machines":["a"],"name":"g","files":[{"name":"Token"},{"name":‸"token"}],"script":"x"}]}`,
			[]string{`vars[0].files[1].name|error|file "token" differs from "Token" (at vars[0].files[0].name) only in letter case`}},
		{"prompts", h + nm + `,"vars":[{"machines":["a"],"name":"g","prompts":[{"name":"Pass"},{"name":‸"PASS"}],"files":[{"name":"f"}],"script":"x"}]}`,
			[]string{`vars[0].prompts[1].name|error|prompt "PASS" differs from "Pass" (at vars[0].prompts[0].name) only in letter case`}},
		{"user secrets", h + nm + `,"users":[{"machines":["a"],"name":"u","sshKeys":["` + aliceKey + `"],"secrets":["GitHub",‸"github"]}]}`,
			[]string{`users[0].secrets[1]|error|secret "github" differs from "GitHub" (at users[0].secrets[0]) only in letter case`}},
		{"exact duplicates still say so", h + nm + `,"overlays":{"packages":[{"name":"rg"},{"name":‸"rg"}]}}`,
			[]string{`overlays.packages[1].name|error|duplicate package "rg" (first at overlays.packages[0].name)`}},
		// Different generators may have files of the same name: they are
		// different directories.
		{"same file in two generators", h + nm + `,"vars":[{"machines":["a"],"name":"a","files":[{"name":"Token"}],"script":"x"},{"machines":["a"],"name":"b","files":[{"name":"token"}],"script":"x"}]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) { expectDiagnostics(t, tc.in, tc.want) })
	}
}
