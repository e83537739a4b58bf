package scoring

import (
	"fmt"

	"github.com/placematch/placematch/catalogue"
)

// notShared reports whether the placement is another council's own foster carers whom no
// sharing agreement in force on the day of the move lets the child's council use, and whose
// they are. DESIGN.md section 4: a council's own foster carers are only for its own children
// unless a sharing agreement says otherwise. Councils approve and pay their own carers
// (Fostering Services (England) Regulations 2011, regulations 26 and 27: the fostering service
// provider approves, reviews and supervises its carers), so another council may place with
// them only by agreement with the council that owns them. Brothers and sisters moving together
// are of one council: the child's is asked.
func (p *Prepared) notShared(pl *catalogue.Placement) (catalogue.CouncilCode, bool) {
	owner := pl.OwningCouncil()
	if owner == "" || owner == p.kids[0].Council {
		return "", false
	}
	if _, ok := p.shared[owner]; ok {
		return "", false
	}
	return owner, true
}

// SharedThrough returns the sharing agreement through which the child may live with another
// council's own foster carers, or nil when the placement is not another council's own carers
// (or is, without an agreement: Check rejects it).
func (p *Prepared) SharedThrough(pl *catalogue.Placement) *catalogue.SharingAgreement {
	owner := pl.OwningCouncil()
	if owner == "" || owner == p.kids[0].Council {
		return nil
	}
	return p.shared[owner]
}

// ownCarersWords says why another council's own carers are ruled out.
func ownCarersWords(owner, child catalogue.CouncilCode) string {
	o := possessive(councilName(owner))
	return fmt.Sprintf("These are %s own foster carers, for %s children: no sharing agreement in force lets %s place children with them.",
		o, o, councilName(child))
}

// sharedWords says through which agreement another council's own carers are open to the child:
// "Shared with Leeds through the Yorkshire and Humber foster carer pool."
func sharedWords(owner catalogue.CouncilCode, a *catalogue.SharingAgreement) string {
	if a.Kind == catalogue.SharingRegionalPool {
		return fmt.Sprintf("Shared with %s through the %s.", councilName(owner), a.Name)
	}
	return fmt.Sprintf("Shared with %s through the sharing agreement %q.", councilName(owner), a.Name)
}

// councilName is a council's name, or its code when it is not known.
func councilName(c catalogue.CouncilCode) string {
	if cl, ok := catalogue.CouncilByCode(c); ok {
		return cl.Name
	}
	return string(c)
}

// sharedReason adds to the home-area reason, when the placement is another council's own
// carers open to the child through a sharing agreement, which agreement that is.
func (p *Prepared) sharedReason(pl *catalogue.Placement, e *explain) {
	if a := p.SharedThrough(pl); a != nil {
		e.s(" ", sharedWords(pl.OwningCouncil(), a))
	}
}
