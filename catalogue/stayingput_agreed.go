package catalogue

import "time"

// StayingPutChange records, during a young person's placement, where it stands on Staying Put:
// the carers' willingness, and the day the arrangement was agreed between the young person, the
// carers and the council (Children Act 1989 s23CZA(1)(b): both wish it). Before this it could be
// recorded only when a placement began or on a move; carers often decide, and an arrangement is
// agreed, while the young person is 16 or 17 in the same home (HistoryStore.RecordStayingPut).
type StayingPutChange struct {
	Child      ChildID
	Version    int        // the current placement's (Episode.Version), as read
	StayingPut StayingPut // willing, not_willing or agreed
	AgreedOn   time.Time  // the day the arrangement was agreed: required when agreed, empty otherwise
}

// Validate reports every bad field of the change; the store checks it against the placement
// (fostering only, agreed on or after its start and not in the future).
func (c StayingPutChange) Validate() error {
	p := newProblems()
	if c.Version <= 0 {
		p.add("version", "is required: send the version of the current placement you read")
	}
	if !oneOf(c.StayingPut, StayingPuts) {
		p.add("staying_put", "must be one of %v", StayingPuts)
	}
	switch {
	case c.StayingPut == StayingPutAgreed && c.AgreedOn.IsZero():
		p.add("agreed_on", "is required when the arrangement is agreed: the day the young person, the carers and the council agreed it")
	case c.StayingPut == StayingPutAgreed:
		checkDate(p, "agreed_on", c.AgreedOn)
	case !c.AgreedOn.IsZero():
		p.add("agreed_on", "must be empty unless the arrangement is agreed")
	}
	return p.err()
}
