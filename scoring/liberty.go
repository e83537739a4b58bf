package scoring

import (
	"fmt"

	"github.com/placematch/placematch/catalogue"
)

// The deprivation of liberty constraint. A child whose care confines them beyond what is normal
// for a child of their age (constant supervision, locked doors, restraint, no leaving alone) is
// deprived of their liberty within Article 5 of the European Convention on Human Rights; under 18
// the Mental Capacity Act's safeguards do not apply, and the High Court authorises it under its
// inherent jurisdiction, on the council's application (Re T (A Child) [2021] UKSC 35, which held
// the jurisdiction available where no registered secure children's home can be found, and the
// President of the Family Division's practice guidance on applications for deprivation of
// liberty orders of 2019 and 2023). The order authorises confinement in a named placement on
// conditions the court sets, so a home that has not recorded it can meet such conditions
// (catalogue.Placement.DoLConditions) is never offered to a child under an order: a hard
// constraint, not a weight. Whether a particular order's conditions can be met is then for the
// provider's acceptance and the court.

// liberty returns which child to be placed is under a deprivation of liberty order the home has
// not recorded it can meet, or -1.
func (p *Prepared) liberty(pl *catalogue.Placement) int {
	if pl.DoLConditions {
		return -1
	}
	for k := range p.members {
		if p.members[k].c.DeprivationOfLiberty {
			return k
		}
	}
	return -1
}

// libertyReason says why a home was ruled out for a child named nm under an order.
func libertyReason(nm string) string {
	return fmt.Sprintf("%s is under a deprivation of liberty order and this home has not recorded that it can meet the conditions of one.", nm)
}
