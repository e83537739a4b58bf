package catalogue

import (
	"context"
	"time"
)

// RefusalID identifies a refusal of a sign-off.
type RefusalID int64

// SignOffRefusal is a manager's refusal, with a written reason, of a sign-off one home of an
// offer needs (a SignOffNeed). Only a manager who may give the sign-off may refuse it
// (CheckGiver). A refusal is final for that home of that offer: nobody gives the sign-off
// after it, whatever their level, and the home cannot be accepted on the offer (the decision
// is refused naming sign_offs and the kind). The officer offers another home; asking again is
// a new offer, with its own sign-offs. The law reserves the approval to the level it names
// (the Care Planning, Placement and Case Review (England) Regulations 2010, regulations 10(1)
// and 11(1)); escalating a refusal is the council's process, outside placematch.
type SignOffRefusal struct {
	ID        RefusalID
	Offer     OfferID
	Placement PlacementID // the home of the offer it refuses
	Kind      SignOffKind
	Level     ManagerLevel // the lowest level that may give (and so refuse) it
	Reason    string
	// Who refused it: the token (an account's own, when a person signed in), its role and
	// level, set by the store from the actor.
	By      TokenID
	ByRole  Role
	ByLevel ManagerLevel
	At      time.Time
	Council CouncilCode // the offer's
}

// Refused returns the needs a refusal stands against, in order.
func Refused(needs []SignOffNeed, refused []SignOffRefusal) []SignOffNeed {
	var out []SignOffNeed
	for _, n := range needs {
		for _, r := range refused {
			if r.Kind == n.Kind {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// SignOffRefusalStore keeps refusals of sign-offs. Scope: an offer's council, as OfferStore.
// Each write is one transaction with its audit row, naming the actor the context carries; the
// refuser's role and level are read from the actor's token in that transaction.
type SignOffRefusalStore interface {
	// RefuseSignOff records a refusal of the sign-off of kind for the home placement of an
	// open offer in scope, with a reason. ErrNotFound when the offer is not in scope;
	// ErrInvalid naming kind (not a kind, or inadequate_override, which is the director's
	// override for the child), placement (not an option of the offer still open, or one that
	// does not need this kind) or reason; ErrForbidden naming kind when the actor's token is not
	// a manager's of the kind's level or above; ErrConflict when the offer is no longer open,
	// or the sign-off is given or refused already.
	RefuseSignOff(ctx context.Context, s Scope, offer OfferID, placement PlacementID, kind SignOffKind, reason string) (SignOffRefusal, error)
	// SignOffRefusals lists the refusals of an offer in scope, oldest first. ErrNotFound when
	// the offer is not in scope.
	SignOffRefusals(ctx context.Context, s Scope, offer OfferID) ([]SignOffRefusal, error)
}
