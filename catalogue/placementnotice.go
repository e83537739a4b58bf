package catalogue

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Placement notices: who the law says the council must tell in writing when it places a child.
//
// The Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959),
// regulation 13(1): the responsible authority gives written notification of the arrangements for
// the child's placement to the persons listed in regulation 13(2) "before the placement is made
// or, if the placement is made in an emergency, within five working days of the start of the
// placement, unless it is not reasonably practicable to do so". The list is in regulation 13(2)
// itself, not in a schedule (Schedule 2 is the placement plan's contents); placematch tracks
// those of its persons who are services rather than the child's family: (f) the health body for
// the area where the child lives and, if different, where they are placed (today an integrated
// care board: its designated nurse or looked-after children's health team), (g) the child's
// registered medical practitioner (GP), (h) any educational institution the child attends, and
// (i) the independent reviewing officer. Regulation 13(4), inserted by SI 2013/3239
// regulation 19, adds the area authority of a placement outside the responsible authority's area,
// on the same timing. The child, their parents, people with contact and the previous carer
// (13(2)(a) to (e)) are told by the social worker, as the regulation lets the council decide not
// to tell (b) to (e) where it would put the child at risk (13(3)): not tracked here.

// PlacementNoticeID identifies a placement notice.
type PlacementNoticeID int64

func (id PlacementNoticeID) String() string { return strconv.FormatInt(int64(id), 10) }

// NoticeTo is who a placement notice is for.
type NoticeTo string

const (
	NoticeAreaAuthority NoticeTo = "area_authority" // regulation 13(4): the council where the home is, when not the child's
	NoticeIRO           NoticeTo = "iro"            // regulation 13(2)(i): the independent reviewing officer
	NoticeSchool        NoticeTo = "school"         // regulation 13(2)(h): the child's school or college
	NoticeGP            NoticeTo = "gp"             // regulation 13(2)(g): the child's registered medical practitioner
	NoticeHealth        NoticeTo = "health"         // regulation 13(2)(f): the health body (designated nurse, LAC health team)
)

// NoticeTos lists every NoticeTo, in the order notices are made.
var NoticeTos = []NoticeTo{NoticeAreaAuthority, NoticeIRO, NoticeSchool, NoticeGP, NoticeHealth}

// Valid reports whether t is a known value.
func (t NoticeTo) Valid() bool { return oneOf(t, NoticeTos) }

// Citation names the rule that requires the notice.
func (t NoticeTo) Citation() string {
	const regs = "Care Planning, Placement and Case Review (England) Regulations 2010, "
	switch t {
	case NoticeAreaAuthority:
		return regs + "regulation 13(4) (inserted by SI 2013/3239)"
	case NoticeIRO:
		return regs + "regulation 13(2)(i)"
	case NoticeSchool:
		return regs + "regulation 13(2)(h)"
	case NoticeGP:
		return regs + "regulation 13(2)(g)"
	case NoticeHealth:
		return regs + "regulation 13(2)(f)"
	}
	return ""
}

// NoticeStatus is where a placement notice is: pending until it is sent.
type NoticeStatus string

const (
	NoticePending NoticeStatus = "pending"
	NoticeSent    NoticeStatus = "sent"
)

// NoticeStatuses lists every NoticeStatus.
var NoticeStatuses = []NoticeStatus{NoticePending, NoticeSent}

// Valid reports whether s is a known value.
func (s NoticeStatus) Valid() bool { return oneOf(s, NoticeStatuses) }

// SentHow is how a notice was given. The regulation asks for it in writing: each way is one.
type SentHow string

const (
	SentByOutbox      SentHow = "outbox_email" // e-mailed by placematch's outbox to the address an administrator set; never an officer's to claim
	SentByEmail       SentHow = "email"
	SentBySecureEmail SentHow = "secure_email"
	SentByPost        SentHow = "post"
	SentByHand        SentHow = "by_hand"
	SentByPortal      SentHow = "portal" // the recipient's own case system or portal
)

// SentHows lists every way an officer may record a notice was sent (the outbox's is its own).
var SentHows = []SentHow{SentByEmail, SentBySecureEmail, SentByPost, SentByHand, SentByPortal}

// Valid reports whether h is a way an officer may record.
func (h SentHow) Valid() bool { return oneOf(h, SentHows) }

// EmergencyNoticeDays is the law's figure: a notice of a placement made in an emergency is given
// "within five working days of the start of the placement" (regulation 13(1) and 13(4)(a)).
// Working days here are Monday to Friday: bank holidays are not known, so the count may end a
// day or two early, never late.
const EmergencyNoticeDays = 5

// AddWorkingDays is the day n working days (Monday to Friday) after day's.
func AddWorkingDays(day time.Time, n int) time.Time {
	d := Day(day)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// NoticeDue is when a notice must be given by: before the placement starts (start, the day the
// child moves or is planned to), or for an emergency placement within EmergencyNoticeDays working
// days of its start (regulation 13(1)).
func NoticeDue(start time.Time, emergency bool) time.Time {
	if emergency {
		return AddWorkingDays(start, EmergencyNoticeDays)
	}
	return Day(start)
}

// PlacementNotice is one statutory notice of a child's placement: to whom, by when, and once
// sent, how, when and by whom. It is made when the offer is accepted and tracked to sent.
type PlacementNotice struct {
	ID        PlacementNoticeID
	Offer     OfferID
	Child     ChildID
	Council   CouncilCode // the child's: the responsible authority
	Placement PlacementID
	To        NoticeTo
	// Area is, for the area authority's notice, the council where the home is; for the others,
	// the home's council as well (the health body of the area where the child is placed).
	Area      CouncilCode
	Emergency bool
	// DueBy is when it must be sent by (NoticeDue): the planned start until the child moves,
	// then the day they moved.
	DueBy     time.Time
	Status    NoticeStatus
	SentAt    time.Time
	SentHow   SentHow
	SentBy    TokenID // 0 when the outbox sent it
	Note      string  // the officer's, on sending: to whom, a reference
	Outbox    NotificationID
	Version   int
	CreatedAt time.Time
	// ChildName is the child's first name, for the officer's view only: set by the list when the
	// reader is of the child's council (or an administrator), never stored with the notice.
	ChildName string
}

// Overdue reports whether the notice is still pending at now although due.
func (n PlacementNotice) Overdue(now time.Time) bool {
	return n.Status == NoticePending && !now.Before(n.DueBy)
}

// NoticeCase is what decides a placement's notices: the children moving (the child first), the
// home, whether the placement is made in an emergency, and its planned start.
type NoticeCase struct {
	Children  []Child
	Placement Placement
	Emergency bool
	Start     time.Time
}

// NoticesFor is the notices the law asks for a placement, for each child moving: the area
// authority's when the home is outside the child's council; the independent reviewing
// officer's, the GP's and the health body's always; the school's when the child has one.
func NoticesFor(c NoticeCase) []PlacementNotice {
	var out []PlacementNotice
	due := NoticeDue(c.Start, c.Emergency)
	for _, ch := range c.Children {
		for _, to := range NoticeTos {
			switch {
			case to == NoticeAreaAuthority && (c.Placement.Council == "" || c.Placement.Council == ch.Council):
				continue
			case to == NoticeSchool && ch.School == nil:
				continue
			}
			out = append(out, PlacementNotice{Child: ch.ID, Council: ch.Council, Placement: c.Placement.ID, To: to,
				Area: c.Placement.Council, Emergency: c.Emergency, DueBy: due, Status: NoticePending})
		}
	}
	return out
}

// CheckSent checks what an officer says of a notice sent: how, one of SentHows, and a note of at
// most MaxReasonLen characters.
func CheckSent(how SentHow, note string) error {
	p := newProblems()
	if !how.Valid() {
		p.add("how", "must be one of %v", SentHows)
	}
	checkText(p, "note", strings.TrimSpace(note), MaxReasonLen)
	return p.err()
}

// NoticeFilter narrows a list of placement notices. Zero fields do not filter.
type NoticeFilter struct {
	Child   ChildID
	Status  NoticeStatus
	Overdue bool // only those pending past their due time, by the store's clock
	After   PlacementNoticeID
	Limit   int
}

// PlacementNoticeStore keeps the placement notices. They are made by OfferStore.DecideOffer, in
// the transaction that accepts an offer (none on a decline): the area authority's is e-mailed
// through the outbox, in that transaction, when an administrator has set an address for the
// area authority's placement team, and becomes sent when the outbox delivers it; every other
// one is marked sent by an officer. Scope: a notice is its child's council's; an officer of the
// area authority sees the area authority's notices to their council too, without the child's
// name.
type PlacementNoticeStore interface {
	// ListPlacementNotices returns a page of the notices in scope by ascending ID, with the
	// child's first name for readers of the child's council. ErrInvalid naming status when the
	// filter's is not known; ErrNotFound when f.Child is not a child in scope.
	ListPlacementNotices(ctx context.Context, s Scope, f NoticeFilter) (Page[PlacementNotice], error)
	// MarkNoticeSent records that a pending notice of a child in scope (the child's council
	// only) was sent, how and with a note, at version, by the context's actor, audited on the
	// child's record. ErrInvalid naming how or note; ErrConflict when it is sent already or the
	// version is stale; ErrNotFound outside scope.
	MarkNoticeSent(ctx context.Context, s Scope, id PlacementNoticeID, version int, how SentHow, note string) (PlacementNotice, error)
}
