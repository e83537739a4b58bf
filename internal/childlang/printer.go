package childlang

import (
	"slices"
)

// Set is the catalogues a service offers children, by id, with English as the fallback.
type Set struct {
	byID    map[string]*Catalogue
	english *Catalogue
}

// English is the id of the source catalogue, which every other is checked against.
const English = "en"

// NewSet makes a set of english and the other catalogues (each already checked against it);
// a later catalogue of an id replaces an earlier one.
func NewSet(english *Catalogue, more ...*Catalogue) *Set {
	s := &Set{byID: map[string]*Catalogue{english.ID: english}, english: english}
	for _, c := range more {
		s.byID[c.ID] = c
	}
	return s
}

// Has reports whether the set has a catalogue of the id.
func (s *Set) Has(id string) bool { _, ok := s.byID[id]; return ok }

// IDs are the set's ids, English first, then in order.
func (s *Set) IDs() []string {
	var ids []string
	for id := range s.byID {
		if id != s.english.ID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return append([]string{s.english.ID}, ids...)
}

// Printer writes the messages of the catalogue id: English when the set has no such catalogue;
// a message a variant leaves out comes from its parent.
func (s *Set) Printer(id string) *Printer {
	c, ok := s.byID[id]
	if !ok {
		c = s.english
	}
	p := &Printer{c: c}
	if c != s.english {
		parent := s.english
		if pc, ok := s.byID[c.Parent]; ok && c.Parent != "" {
			parent = pc
		}
		p.parent = &Printer{c: parent}
	}
	return p
}

// Printer writes one catalogue's messages.
type Printer struct {
	c      *Catalogue
	parent *Printer
}

// ID is the catalogue's id; Lang its BCP 47 tag; Name its name in itself; RTL whether it is
// written right to left.
func (p *Printer) ID() string   { return p.c.ID }
func (p *Printer) Lang() string { return p.c.Lang }
func (p *Printer) Name() string { return p.c.Name }
func (p *Printer) RTL() bool    { return p.c.RTL }

// Text is the message key with args (placeholder names and values, in pairs: "name", "Amy",
// "count", 3), as plain text. A key no catalogue has comes out as itself in braces, which the
// tests catch.
func (p *Printer) Text(key string, args ...any) string {
	return p.Format(key, args, same, same)
}

// Format is Text with the literal text escaped by lit and the values by val.
func (p *Printer) Format(key string, args []any, lit, val func(string) string) string {
	for q := p; q != nil; q = q.parent {
		if m, ok := q.c.msgs[key]; ok {
			return m.format(q.c.Lang, args, lit, val)
		}
	}
	return lit("{" + key + "}")
}

func same(s string) string { return s }
