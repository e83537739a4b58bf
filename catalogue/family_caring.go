package catalogue

import "slices"

// Kin caring for a child outside care (issue 18, the Family Rights Group's ask). Many children
// live with family or friends without the council looking after them: by an arrangement the
// family made, under a child arrangements order, or under a special guardianship order. A
// person in a child's family network may be recorded as already caring for the child in one of
// these ways (NetworkMember.Caring); the network shows it in words a family would recognise,
// and the commissioners' report counts the children cared for by kin outside care.

// Caring is how a network member already cares for the child outside care; empty: they do not.
type Caring string

const (
	CaringNone Caring = ""
	// CaringFamilyArrangement: the family arranged it, with no court order (a private family
	// arrangement; not private fostering when the carer is a close relative, Children Act 1989
	// s66 and s105).
	CaringFamilyArrangement Caring = "family_arrangement"
	// CaringChildArrangementsOrder: a court ordered that the child lives with them (Children Act
	// 1989 s8).
	CaringChildArrangementsOrder Caring = "child_arrangements_order"
	// CaringSpecialGuardianship: they are the child's special guardian (Children Act 1989 s14A).
	CaringSpecialGuardianship Caring = "special_guardianship_order"
)

// Carings lists every recorded Caring.
var Carings = []Caring{CaringFamilyArrangement, CaringChildArrangementsOrder, CaringSpecialGuardianship}

// Valid reports whether c is a known value or empty.
func (c Caring) Valid() bool { return c == CaringNone || oneOf(c, Carings) }

// caringWords are the words a family would recognise for each way of caring, as the network
// and the report put them.
var caringWords = map[Caring]string{
	CaringFamilyArrangement:      "looks after the child by agreement within the family, with no court order",
	CaringChildArrangementsOrder: "looks after the child because a court ordered that the child lives with them",
	CaringSpecialGuardianship:    "looks after the child as their special guardian, appointed by a court",
}

// Words says how they care for the child in words a family would recognise; "" when they do
// not.
func (c Caring) Words() string {
	if w, ok := caringWords[c]; ok {
		return w
	}
	if c == CaringNone {
		return ""
	}
	return rawWords(string(c)).Officer
}

// caringReportWords name each way of caring as the commissioners' report counts the children,
// in words a family would recognise.
var caringReportWords = map[Caring]string{
	CaringFamilyArrangement:      "living with family or friends by agreement within the family, with no court order",
	CaringChildArrangementsOrder: "living with family or friends because a court ordered it (a child arrangements order)",
	CaringSpecialGuardianship:    "living with a special guardian from the family or friends, appointed by a court",
}

// ReportWords names the children cared for in this way, as the commissioners' report counts
// them; "" for CaringNone.
func (c Caring) ReportWords() string { return caringReportWords[c] }

// KinCaringOf is how a child is cared for by kin outside care, given how each member of their
// network cares for them: the way a court settled most firmly (a special guardianship order,
// then a child arrangements order, then an arrangement within the family), so that a child
// cared for by two relatives is counted once. CaringNone when none of them does.
func KinCaringOf(ways []Caring) Caring {
	best, rank := CaringNone, -1
	for _, w := range ways {
		if r := slices.Index(Carings, w); r > rank {
			best, rank = w, r
		}
	}
	return best
}

// KinCaringCount counts one council's children cared for by kin outside care in one way
// (each child once, by KinCaringOf): what the commissioners' report reads, with no child's
// identity.
type KinCaringCount struct {
	Council  CouncilCode // the child's
	Caring   Caring
	Children int
}
