package catalogue

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Help requests: what a child asks for that someone outside the placement team must answer. A
// request for an advocate goes to the council's advocacy service (RoleAdvocate), not only to
// the social worker, and is tracked until the advocate records contact made (Children Act 1989
// s26A: a council must arrange advocacy for a looked-after child who wants it). A request to
// look again at a decision goes to the council's independent reviewing officers (RoleIRO), who
// record that they looked again and what they found (Children Act 1989 s25B: the IRO monitors
// the council's functions in the child's case and makes sure the child's wishes are given due
// consideration).

// HelpRequestID identifies a help request.
type HelpRequestID int64

func (id HelpRequestID) String() string { return strconv.FormatInt(int64(id), 10) }

// HelpKind is what a child asked for, and so who answers it.
type HelpKind string

const (
	// HelpAdvocacy: the child asked for an advocate (a check-in, or their offer's page); the
	// council's advocacy service answers.
	HelpAdvocacy HelpKind = "advocacy"
	// HelpLookAgain: the child asked their independent reviewing officer to look again at a
	// decision about their home (an offer decided); the IRO answers.
	HelpLookAgain HelpKind = "look_again"
)

// HelpKinds lists every HelpKind.
var HelpKinds = []HelpKind{HelpAdvocacy, HelpLookAgain}

// Valid reports whether k is a known value.
func (k HelpKind) Valid() bool { return oneOf(k, HelpKinds) }

// Answerer is the role that answers requests of kind k.
func (k HelpKind) Answerer() Role {
	if k == HelpLookAgain {
		return RoleIRO
	}
	return RoleAdvocate
}

// Team is the council team told of a request of kind k: "advocacy" or "iro". Their addresses
// are notification addresses like any team's.
func (k HelpKind) Team() Team {
	if k == HelpLookAgain {
		return TeamIRO
	}
	return TeamAdvocacy
}

// The teams told of children's help requests.
const (
	TeamAdvocacy Team = "advocacy"
	TeamIRO      Team = "iro"
)

// MaxShared bounds what a child shares with a request, and the answerer's note.
const MaxShared = 1000

// HelpRequest is one request a child made, and its answer.
type HelpRequest struct {
	ID      HelpRequestID
	Kind    HelpKind
	Child   ChildID
	Council CouncilCode
	CheckIn CheckInID // the check-in that asked, if any
	Offer   OfferID   // the offer whose page asked (advocacy) or whose decision to look at again
	// Shared is what the child chose to share with whoever answers: their words in "What would
	// help?" when they ticked to share them with the advocate, or why they ask the IRO to look
	// again. Empty when they shared nothing.
	Shared      string
	RequestedAt time.Time
	// The answer: the advocate's contact made, or the IRO's looking again; zero until then.
	DoneAt  time.Time
	DoneBy  Actor
	Note    string
	Version int
}

// Done reports whether the request has been answered.
func (r HelpRequest) Done() bool { return !r.DoneAt.IsZero() }

// HelpFilter narrows a list of help requests: one kind, open ones only unless All.
type HelpFilter struct {
	Kind  HelpKind
	All   bool
	Child ChildID
	After HelpRequestID
	Limit int
}

// HelpAnswer is the answer to a request: at the version read, with a note (required: the
// contact made, or what the IRO found).
type HelpAnswer struct {
	Request HelpRequestID
	Kind    HelpKind
	Version int
	Note    string
}

// Validate reports every bad field of the answer.
func (a HelpAnswer) Validate() error {
	p := newProblems()
	if !a.Kind.Valid() {
		p.add("kind", "must be one of %v", HelpKinds)
	}
	if a.Version <= 0 {
		p.add("version", "is required: the version of the request you read")
	}
	checkText(p, "note", a.Note, MaxShared)
	if strings.TrimSpace(a.Note) == "" {
		p.add("note", "is required: say what contact was made, or what you found")
	}
	return p.err()
}

// HelpStore keeps children's help requests. Requests for an advocate are made by RecordCheckIn
// and RecordSay in their own transactions; a request to look again by LookAgain, from the
// child's session. Scope: a request is its child's council's; one outside the scope, or of
// another kind than asked, is ErrNotFound.
type HelpStore interface {
	// HelpRequests returns a page of the requests of f.Kind in scope, by ascending ID.
	// ErrInvalid naming kind when it is not known.
	HelpRequests(ctx context.Context, s Scope, f HelpFilter) (Page[HelpRequest], error)
	// HelpRequest returns one request of kind in scope.
	HelpRequest(ctx context.Context, s Scope, kind HelpKind, id HelpRequestID) (HelpRequest, error)
	// LookAgain records, from the child's session for a decided offer, their request that
	// their IRO look again at the decision, with why (optional, at most MaxShared), audited as
	// the child's own action, and tells the council's IROs. ErrNotFound when the session has
	// ended; ErrConflict when the offer is not decided, or the child already asked about it
	// and no answer came yet; ErrInvalid naming why when it is too long.
	LookAgain(ctx context.Context, sess ChildSession, why string) (HelpRequest, error)
	// AnswerHelpRequest records, as the context's actor, the answer to an open request of
	// a.Kind in scope, at a.Version, audited. ErrInvalid when the answer is not valid;
	// ErrConflict when the version is stale or it was answered.
	AnswerHelpRequest(ctx context.Context, s Scope, a HelpAnswer) (HelpRequest, error)
}
