package main

import (
	"strings"
	"testing"
)

func TestTally(t *testing.T) {
	t.Parallel()
	const pg, cr = `placematch-test: PostgreSQL`, `placematch-test: Chromium`
	line := func(action, test, output string) string {
		return `{"Action":"` + action + `","Package":"p","Test":"` + test + `","Output":"` + output + `\n","Elapsed":1}`
	}
	cases := []struct {
		name   string
		events []string
		ok     bool
		says   []string
	}{
		{"every kind ran", []string{
			line("run", "TestA", ""), line("output", "TestA/postgres", "    x_test.go:1: "+pg), line("pass", "TestA/postgres", ""),
			line("output", "TestA/sqlite", "ok"), line("pass", "TestA/sqlite", ""), line("pass", "TestA", ""),
			line("output", "TestB", "    b_test.go:9: "+cr), line("pass", "TestB", ""),
			`{"Action":"pass","Package":"p","Elapsed":3}`,
		}, true, []string{"against PostgreSQL: 1", "against Chromium: 1"}},
		{"a skipped browser test", []string{
			line("output", "TestA", pg), line("pass", "TestA", ""),
			line("output", "TestB", cr), line("skip", "TestB", ""),
		}, false, []string{"skipped that need Chromium (none may be): p TestB"}},
		{"no PostgreSQL test", []string{line("output", "TestB", cr), line("pass", "TestB", "")}, false, []string{"no test ran against PostgreSQL"}},
		{"a failure is shown", []string{
			line("output", "TestA", pg), line("pass", "TestA", ""), line("output", "TestB", cr),
			line("output", "TestB", "    b_test.go:3: the page overflows"), line("fail", "TestB", ""),
		}, false, []string{"the page overflows"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out strings.Builder
			ta, err := read(strings.NewReader(strings.Join(c.events, "\n")), &out)
			if err != nil {
				t.Fatal(err)
			}
			if ok := ta.report(&out); ok != c.ok {
				t.Errorf("ok %v, want %v:\n%s", ok, c.ok, out.String())
			}
			for _, s := range c.says {
				if !strings.Contains(out.String(), s) {
					t.Errorf("the tally does not say %q:\n%s", s, out.String())
				}
			}
		})
	}
}
