package catalogue

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
