package childlang

import (
	"fmt"
	"strings"
)

// A message is text with named placeholders in braces: "Thank you, {name}". A name is a lower-case
// letter or underscore, then lower-case letters, digits or underscores; a brace is nothing else.
// A plural message has one text for each plural form of its language (CLDR's categories: zero,
// one, two, few, many, other), chosen by the number given as its placeholder "count".

// segment is a piece of a message: literal text, or a placeholder's name.
type segment struct {
	text string
	name string // a placeholder when not empty
}

// parseText splits a message's text into its segments.
func parseText(s string) ([]segment, error) {
	var out []segment
	for s != "" {
		open := strings.IndexAny(s, "{}")
		if open < 0 {
			out = append(out, segment{text: s})
			break
		}
		if s[open] == '}' {
			return nil, fmt.Errorf("a closing brace with no opening one")
		}
		if open > 0 {
			out = append(out, segment{text: s[:open]})
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("an opening brace with no closing one")
		}
		name := s[open+1 : open+end]
		if !validName(name) {
			return nil, fmt.Errorf("placeholder {%s} is not a name (lower-case letters, digits and _)", name)
		}
		out = append(out, segment{name: name})
		s = s[open+end+1:]
	}
	return out, nil
}

func validName(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z'):
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

// names are the placeholders of segments, each once.
func names(segs []segment) map[string]bool {
	out := map[string]bool{}
	for _, s := range segs {
		if s.name != "" {
			out[s.name] = true
		}
	}
	return out
}

// Message is one message of a catalogue: a text, or a text for each plural form.
type Message struct {
	text   []segment
	plural map[Form][]segment // nil unless the message is plural
}

// placeholders are the names used anywhere in the message.
func (m Message) placeholders() map[string]bool {
	if m.plural == nil {
		return names(m.text)
	}
	out := map[string]bool{}
	for _, segs := range m.plural {
		for n := range names(segs) {
			out[n] = true
		}
	}
	return out
}

// format writes the message with args (placeholder names and values, in pairs), escaping the
// literal text with lit and the values with val.
func (m Message) format(lang string, args []any, lit, val func(string) string) string {
	segs := m.text
	values := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			values[k] = args[i+1]
		}
	}
	if m.plural != nil {
		segs = m.plural[formOf(lang, count(values["count"]))]
		if segs == nil {
			segs = m.plural[Other]
		}
	}
	var b strings.Builder
	for _, s := range segs {
		if s.name == "" {
			b.WriteString(lit(s.text))
			continue
		}
		switch v := values[s.name].(type) {
		case nil:
			b.WriteString(lit("{" + s.name + "}")) // a missing value shows, and a test catches it
		case string:
			b.WriteString(val(v))
		default:
			b.WriteString(val(fmt.Sprint(v)))
		}
	}
	return b.String()
}

// count is a plural message's number, of any integer type (0 for anything else).
func count(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case int32:
		return int(n)
	}
	return 0
}
