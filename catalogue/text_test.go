package catalogue_test

import (
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestTextProblem(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"", "Amy", "Zoë Ó Súilleabháin", "a\tb\nc", "line\u2028para\u2029", "עברית \u202e", "🙂"} {
		if msg := catalogue.TextProblem(ok); msg != "" {
			t.Errorf("TextProblem(%q) = %q, want it accepted", ok, msg)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"a\x00b", "U+0000 at character 2"},
		{"é\x01", "U+0001 at character 2"},
		{"\r\n", "U+000D at character 1"},
		{"x\x1f", "U+001F at character 2"},
		{"del\x7f", "U+007F at character 4"},
		{"c1\u0085", "U+0085 at character 3"},
		{"ok\xff", "must be valid UTF-8 text"},
		{"\xed\xa0\x80", "must be valid UTF-8 text"}, // a surrogate written as UTF-8
		{"lost\uFFFD", "U+FFFD (at character 5)"},
	} {
		if msg := catalogue.TextProblem(tt.in); !strings.Contains(msg, tt.want) {
			t.Errorf("TextProblem(%q) = %q, want it to say %q", tt.in, msg, tt.want)
		}
	}
}
