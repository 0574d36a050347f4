package gen

import (
	"strings"
	"testing"
)

// TestByteReplacersMatchStrings holds byteEscaper and byteDropper to the
// strings.Replacers they replaced, on text with every byte they touch,
// repeats, multi-byte and invalid UTF-8.
func TestByteReplacersMatchStrings(t *testing.T) {
	md := strings.NewReplacer(
		`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
		"<", `\<`, ">", `\>`, "|", `\|`, "#", `\#`, "!", `\!`, "&", `\&`,
	)
	seps := strings.NewReplacer("_", "", "-", "")
	inputs := []string{
		"", "plain text", `\` + "`*_[]<>|#!&", "a**b__c", "[link](x) <b> & | #1 !",
		"server_type", "server-type", "--__--", "é_ü-✓", "bad \xff_\xfe-",
		"\\\\", "_", "-",
	}
	for _, tt := range []struct {
		name string
		got  func(string) string
		want *strings.Replacer
	}{
		{"mdEscaper", mdEscaper.Replace, md},
		{"dropSeparators", dropSeparators.Replace, seps},
	} {
		for _, in := range inputs {
			if got, want := tt.got(in), tt.want.Replace(in); got != want {
				t.Errorf("%s(%q) = %q, strings.Replacer gives %q", tt.name, in, got, want)
			}
		}
	}
}
