package catalogue

import (
	"context"
	"strings"
	"time"
)

// The care record first (issue 23 item 3, docs/operations.md "Retention"). An offer once
// decided (the options with their reasons, what the child chose and said, the decision, who
// made it and why, the sign-offs and the review of the move) is part of the child's case
// record. Regulation 50 of the Care Planning, Placement and Case Review (England) Regulations
// 2010 has the council keep that record until the child's 75th birthday (or for 15 years after
// a death before 18). placematch is not that record: it gives the council's case system a copy
// (a printable page and JSON), records when it was filed there, and its retention deletes no
// decision record not yet filed.

// CaseRecordRegulation names the rule that keeps a decision record until it is filed.
const CaseRecordRegulation = "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50: the child's case record is kept until their 75th birthday"

// DecisionRecord reports whether the offer belongs in the child's case record: it was decided
// (accepted, declined, or accepted and placed), or withdrawn after it reached the child (the
// child may have said what they wanted, and the reason it was withdrawn is a decision too). An
// offer still open, or withdrawn before it was sent, is not one yet.
func (o Offer) DecisionRecord() bool {
	switch o.Status {
	case OfferAccepted, OfferDeclined, OfferPlaced:
		return true
	case OfferWithdrawn:
		return !o.SentAt.IsZero()
	}
	return false
}

// DecisionRecordSQL is DecisionRecord as a condition on the offers table, for stores.
const DecisionRecordSQL = "(status IN ('accepted', 'declined', 'placed') OR (status = 'withdrawn' AND sent_at IS NOT NULL))"

// MaxFilingReference bounds the case system's reference of a filed record.
const MaxFilingReference = 100

// Filing records that an offer's decision record was filed in the council's case system.
type Filing struct {
	Offer     OfferID
	Child     ChildID
	Council   CouncilCode // the offer's
	Reference string      // the case system's reference of the document filed
	By        TokenID     // who marked it filed (set by the store from the actor)
	ByRole    Role
	At        time.Time
}

// CheckFilingReference checks the case system's reference, naming "reference": required, one
// line, at most MaxFilingReference characters.
func CheckFilingReference(ref string) error {
	p := newProblems()
	switch r := strings.TrimSpace(ref); {
	case r == "":
		p.add("reference", "is required: the case system's reference of the document filed")
	case strings.ContainsAny(r, "\r\n"):
		p.add("reference", "must be one line")
	default:
		checkText(p, "reference", r, MaxFilingReference)
	}
	return p.err()
}

// UnfiledFilter narrows the decision records not yet filed.
type UnfiledFilter struct {
	Council CouncilCode // within the scope; empty: all of it
	Child   ChildID     // 0: every child
	After   OfferID
	Limit   int
}

// CaseRecordStore keeps the filings of decision records. Scope: an offer's council, as
// OfferStore (an officer's and a manager's scope is their council; a provider's holds none).
type CaseRecordStore interface {
	// MarkFiled records, with its audit row in one transaction, that the decision record of an
	// offer in scope was filed in the council's case system under reference, as the context's
	// actor. It is idempotent: an offer filed already keeps its first filing, which is returned
	// with filed false (nothing is written). ErrNotFound outside scope; ErrInvalid naming
	// reference (CheckFilingReference); ErrConflict when the offer is not a decision record.
	MarkFiled(ctx context.Context, s Scope, offer OfferID, reference string) (f Filing, filed bool, err error)
	// Filings returns the filings of the offers in scope among ids, by offer: an offer not
	// filed, or outside scope, is left out.
	Filings(ctx context.Context, s Scope, ids []OfferID) (map[OfferID]Filing, error)
	// UnfiledDecisions returns a page of the offers in scope that are decision records and are
	// not filed, by ascending ID.
	UnfiledDecisions(ctx context.Context, s Scope, f UnfiledFilter) (Page[Offer], error)
	// Signatories names the people behind tokens, for the case record: the name of the account
	// whose token it is, else the token's label. It takes no scope: the caller holds the
	// records that name the tokens. An unknown token is left out.
	Signatories(ctx context.Context, ids []TokenID) (map[TokenID]string, error)
}
