package catalogue

// Contact as it really is (issue 18). A person in a child's contact plan is seen in one of four
// ways, and how often; whether they must not know where the child lives is a separate fact.
// Supervised is not unsafe: during care proceedings contact is usually supervised at a contact
// centre, and often several times a week, so the distance that matters most is to the centre.

// ContactType is how contact with a person happens.
type ContactType string

const (
	ContactDirect     ContactType = "direct"     // face to face, unsupervised: distance to where they live is scored
	ContactSupervised ContactType = "supervised" // supervised at a contact centre: distance to the centre is scored
	ContactIndirect   ContactType = "indirect"   // letters, cards, calls (letterbox): distance is not scored
	ContactNone       ContactType = "none"       // no contact planned: distance is not scored
)

// ContactTypes lists every ContactType.
var ContactTypes = []ContactType{ContactDirect, ContactSupervised, ContactIndirect, ContactNone}

// Valid reports whether t is a known value.
func (t ContactType) Valid() bool { return oneOf(t, ContactTypes) }

var contactTypeWords = map[ContactType]Words{
	ContactDirect:     {"you see them", "direct contact"},
	ContactSupervised: {"you see them at a contact centre", "supervised contact at a contact centre"},
	ContactIndirect:   {"letters, cards or calls", "indirect (letterbox) contact"},
	ContactNone:       {"no contact for now", "no contact"},
}

// Words names the type of contact to a child and to an officer.
func (t ContactType) Words() Words {
	if w, ok := contactTypeWords[t]; ok {
		return w
	}
	return rawWords(string(t))
}

// MeetsAt returns where contact with the person happens in person, when distance to it should
// be scored: where they live for direct contact (unless they must not know where the child
// lives: the child's home is then kept from them, and they meet elsewhere), the contact centre
// for supervised contact when it is recorded. ok is false for indirect contact, no contact, and
// supervised contact whose centre is not recorded.
func (c Contact) MeetsAt() (at Location, ok bool) {
	switch {
	case c.Type == ContactDirect && !c.MustNotKnow:
		return c.Location, true
	case c.Type == ContactSupervised && c.Centre != nil:
		return *c.Centre, true
	}
	return Location{}, false
}

// LegacyContact maps the one flag contacts had before contact types, "safe" (false: contact is
// supervised or the person must be kept away from the placement), to the type and the separate
// fact without losing what it said: safe is direct contact; not safe is supervised contact, at
// a centre not recorded, with a person who must not know where the child lives (which keeps
// the flag's old effect on scoring exactly). Migration 00024 and imports in the old format use
// it.
func LegacyContact(safe bool) (ContactType, bool) {
	if safe {
		return ContactDirect, false
	}
	return ContactSupervised, true
}

// validateType reports a bad type or centre.
func (c Contact) validateType(p problems) {
	if !c.Type.Valid() {
		p.add("type", "must be one of %v", ContactTypes)
	}
	if c.Centre != nil {
		if c.Type != ContactSupervised {
			p.add("centre", "must be empty unless contact is supervised: it is the contact centre")
		} else {
			c.Centre.validate(p.under("centre"))
		}
	}
}
