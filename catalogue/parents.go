package catalogue

import "time"

// Placement with parents considered first (issue 18). The Children Act 1989 s22C(2)-(4): a
// local authority looking after a child must make arrangements for the child to live with a
// parent, a person with parental responsibility, or a person who held a child arrangements order
// about with whom the child lives immediately before the care order (s22C(3)), unless that would
// not be consistent with the child's welfare or would not be reasonably practicable (s22C(4)).
// Only then may it place the child elsewhere (s22C(5)-(6)), with a connected person first
// (s22C(7)(a): family.go). placematch holds it as a constraint, not a weight: a child who has no
// placement going on is not searched for, referred or offered a foster, kinship, residential or
// supported home until the officer records on the child's record that placement with a parent
// was considered and why it is not to be (ParentsFirst).
//
// The record is the child's, not the search's: the decision is made once in the child's care
// plan and holds for every search, referral, offer and match run until the officer changes it;
// a search is a read with no body to carry it; and a change of the child's record is audited and
// version-checked already, so the decision is audited with it.

// ParentsNot is why placement with a parent is not to be, in the words of s22C(4).
type ParentsNot string

const (
	// ParentsNotWelfare: it would not be consistent with the child's welfare (s22C(4)(a)).
	ParentsNotWelfare ParentsNot = "not_consistent_with_welfare"
	// ParentsNotPracticable: it would not be reasonably practicable (s22C(4)(b)).
	ParentsNotPracticable ParentsNot = "not_reasonably_practicable"
)

// ParentsNots lists every ParentsNot.
var ParentsNots = []ParentsNot{ParentsNotWelfare, ParentsNotPracticable}

// Valid reports whether n is a known value.
func (n ParentsNot) Valid() bool { return oneOf(n, ParentsNots) }

// ParentsConsidered is the officer's record that placement with a parent (or a person with
// parental responsibility, or who held a child arrangements order) was considered for the child
// and why it is not to be (Children Act 1989 s22C(3)-(4)).
type ParentsConsidered struct {
	On     time.Time  // the day it was considered
	Why    ParentsNot // which limb of s22C(4)
	Reason string     // in the officer's words; never logged
}

// validate reports the record's bad fields under p.
func (pc ParentsConsidered) validate(p problems) {
	checkDate(p, "on", pc.On)
	if !pc.Why.Valid() {
		p.add("why", "must be one of %v (Children Act 1989 s22C(4))", ParentsNots)
	}
	if pc.Reason == "" {
		p.add("reason", "must say why placement with a parent is not to be")
	}
	checkText(p, "reason", pc.Reason, MaxWordsLen)
}

// ParentsNotConsidered is what an officer is told when a search, referral or offer is refused
// for want of the record.
const ParentsNotConsidered = "must be recorded first: placement with a parent, a person with parental responsibility or " +
	"a child arrangements order is considered before any other home, and is set aside only when it is not consistent " +
	"with the child's welfare or not reasonably practicable (Children Act 1989 s22C(2)-(4))"

// ParentsFirst is the law's constraint before a search for a home (Children Act 1989
// s22C(2)-(4)): nil when the child's record says placement with a parent was considered and why
// it is not to be, or when the child is already placed (a placement going on on day in their
// history, or placed through placematch) and is moving, since the decision was made when they
// were first placed; otherwise ErrInvalid naming parents_considered.
func ParentsFirst(c Child, episodes []Episode, day time.Time) error {
	if c.ParentsConsidered != nil || c.Status == ChildPlaced {
		return nil
	}
	if _, placed := currentEpisode(episodes, day); placed {
		return nil
	}
	return Invalid("parents_considered", "%s", ParentsNotConsidered)
}
