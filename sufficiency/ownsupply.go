package sufficiency

import "github.com/placematch/placematch/catalogue"

// OwnSupply is an area's foster supply by whose carers it is (vacant places of active homes,
// whatever their date, as Capacity.Vacant counts them):
//   - Owned: with the council's own foster carers (a council foster home's owning council,
//     catalogue.Placement.OwningCouncil), wherever they live;
//   - SharedIn: with other councils' own carers whom a sharing agreement in force on the day of
//     the report opens to the council's children;
//   - Agency: with independent fostering agencies' carers living in the area.
//
// A council's own carers are supply for another council's children only through an agreement
// (scoring.ConstraintOwnCarers), so Owned plus SharedIn plus Agency is the foster supply a
// council may use before distance and the children's needs. A region's and England's figures
// add up their councils'; a place shared with several councils counts in each one's SharedIn.
type OwnSupply struct {
	Owned, SharedIn, Agency int
}

// tallyOwnSupply counts each area's own and external foster supply.
func (a *analysis) tallyOwnSupply(t *tally) {
	owned := map[catalogue.CouncilCode]int{}
	for i := range a.in.Placements {
		p := &a.in.Placements[i]
		vacant := capacityOf(p).Vacant
		if vacant == 0 {
			continue
		}
		switch p.Kind {
		case catalogue.CouncilFoster:
			owner := p.OwningCouncil()
			owned[owner] += vacant
			if areas, ok := a.areas.of(owner); ok {
				for _, ar := range areas {
					t.own[ar].Owned += vacant
				}
			}
		case catalogue.AgencyFoster:
			if areas, ok := a.areas.of(p.Council); ok {
				for _, ar := range areas {
					t.own[ar].Agency += vacant
				}
			}
		}
	}
	sharing := catalogue.NewSharing(a.in.Sharing)
	for _, c := range catalogue.Councils() {
		shared := 0
		for owner := range sharing.OwnersFor(c.Code, catalogue.CouncilFoster, a.day) {
			shared += owned[owner]
		}
		if areas, ok := a.areas.of(c.Code); ok && shared > 0 {
			for _, ar := range areas {
				t.own[ar].SharedIn += shared
			}
		}
	}
}
