package catalogue_test

import (
	"errors"
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

// TestIssuesKeepTheFirstAndCount: a report of many problems keeps the first MaxIssues in order
// (ties in the order they came) and counts every one, so its memory does not grow with them.
func TestIssuesKeepTheFirstAndCount(t *testing.T) {
	t.Parallel()
	byRow := func(a, b catalogue.FieldError) int { return a.Row - b.Row }
	is := catalogue.NewIssues(byRow)
	const n = 200_000
	for i := n; i >= 1; i-- { // found last row first
		is.Add(catalogue.FieldError{Row: i + 1, Field: "sex", Message: "must be female or male"})
		if i%1000 == 0 {
			is.Add(catalogue.FieldError{Row: i + 1, Field: "id", Message: "is used twice"})
		}
	}
	is.Add(catalogue.FieldError{Row: 2, Field: "sex", Message: "must be female or male"}) // a repeat of the one before
	err := is.Err()
	var ve *catalogue.Error
	if !errors.As(err, &ve) {
		t.Fatalf("Err() = %v", err)
	}
	if ve.Total != n+n/1000 || ve.Count() != ve.Total || len(ve.Fields) != catalogue.MaxIssues {
		t.Fatalf("%d problems listed of %d, want %d of %d", len(ve.Fields), ve.Total, catalogue.MaxIssues, n+n/1000)
	}
	if f := ve.Fields[0]; f.Row != 2 || f.Field != "sex" {
		t.Errorf("first problem %+v", f)
	}
	if f := ve.Fields[len(ve.Fields)-1]; f.Row != catalogue.MaxIssues+1 {
		t.Errorf("last problem listed %+v, want row %d", f, catalogue.MaxIssues+1)
	}
	if !strings.HasSuffix(err.Error(), "; and 200100 more") {
		t.Errorf("message %q does not count the others", err.Error()[len(err.Error())-40:])
	}
	if catalogue.NewIssues(byRow).Err() != nil {
		t.Error("no problems, yet an error")
	}
}
