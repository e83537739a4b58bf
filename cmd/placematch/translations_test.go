package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// TestTranslationsCheck: `translations check` passes a good file and names, for a bad one, the
// file, the key and the problem, and fails; `translations english` prints the source, which
// checks as a translation of itself.
func TestTranslationsCheck(t *testing.T) {
	t.Parallel()
	var en strings.Builder
	if err := run(context.Background(), []string{"translations", "english"}, envFunc(nil), nil, &en, io.Discard); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(en.String()), &doc); err != nil {
		t.Fatal(err)
	}
	file := func(change func(d map[string]any, m map[string]any)) string {
		d := map[string]any{}
		b, _ := json.Marshal(doc)
		_ = json.Unmarshal(b, &d)
		d["id"], d["lang"], d["name"] = "en-council", "en-GB", "Our English"
		change(d, d["messages"].(map[string]any))
		out, _ := json.Marshal(d)
		return writeFile(t, "council.json", string(out))
	}
	for _, tt := range []struct {
		name   string
		change func(d, m map[string]any)
		want   []string // lines of the output
	}{
		{"good", func(d, m map[string]any) {}, []string{"council.json: ok"}},
		{"missing, unknown, placeholder", func(d, m map[string]any) {
			delete(m, "door.title")
			m["door.extra"] = "x"
			m["checkin.heading"] = "How are things?"
		}, []string{"council.json: checkin.heading: placeholders none, but English has {name}", "council.json: door.title: missing",
			"council.json: door.extra: unknown key: English has no such message"}},
		{"unreviewed machine translation", func(d, m map[string]any) {
			delete(d, "reviewed_by")
			d["machine_translated"] = true
		}, []string{"council.json: machine translated and not reviewed: no unreviewed machine translation reaches a child; a person who reads the language checks it and signs reviewed_by and reviewed_on"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := file(tt.change)
			var out strings.Builder
			err := run(context.Background(), []string{"translations", "check", path}, envFunc(nil), nil, &out, io.Discard)
			got := strings.Split(strings.TrimSpace(strings.ReplaceAll(out.String(), path, "council.json")), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("output\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if (err == nil) != (tt.name == "good") {
				t.Errorf("error %v", err)
			}
		})
	}
}
