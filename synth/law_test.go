package synth

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestSupplyObeysTheLaw checks every home the generator makes against the law's rules as the
// service applies them (catalogue/law.go, scoring's law constraints): registered when the kind
// must be, approved on the day the world is made, within the usual fostering limit, and no
// child living where the law forbids their age. TestRecordsValid validates each record too,
// which refuses approval terms the law forbids.
func TestSupplyObeysTheLaw(t *testing.T) {
	t.Parallel()
	b := national(t)
	today := DefaultToday()
	kinds := map[catalogue.PlacementKind]int{}
	temporary, lapsing := 0, 0
	for i := range b.Placements {
		p := &b.Placements[i]
		kinds[p.Kind]++
		if !p.IsRegistered() {
			t.Errorf("%s (%s): not registered with Ofsted (%q, URN %q)", p.Name, p.Kind, p.Registration, p.URN)
		}
		if !p.ApprovedOn(today) {
			t.Errorf("%s (%s): approval not in date on %s", p.Name, p.Kind, today.Format("2006-01-02"))
		}
		if t := p.TemporaryApproval; t != nil {
			temporary++
			if t.Lapsing(today) {
				lapsing++
			}
		}
		foster := 0
		for _, m := range p.Household.Members {
			if m.Role != catalogue.MemberPlacedChild {
				continue
			}
			foster++
			switch {
			case p.Kind == catalogue.ChildrensHome && m.Age > catalogue.ChildrensHomeMaxAge:
				t.Errorf("%s: a young person of %d lives in a children's home", p.Name, m.Age)
			case p.Kind == catalogue.SupportedAccommodation && m.Age < catalogue.SupportedMinAge:
				t.Errorf("%s: a child of %d lives in supported accommodation", p.Name, m.Age)
			}
		}
		for _, v := range p.Vacancies {
			if v.Status == catalogue.VacancyHeld || v.Status == catalogue.VacancyFilled {
				foster++
			}
		}
		siblings := p.Kind == catalogue.Kinship && foster <= len(p.ConnectedTo)
		if p.Kind.IsFamily() && p.Approval.MaxChildren > catalogue.UsualFosteringLimit && p.Approval.Exemption == "" && !siblings {
			t.Errorf("%s (%s): approved for %d children, beyond the usual fostering limit, with no exemption", p.Name, p.Kind, p.Approval.MaxChildren)
		}
		if p.Kind.IsFamily() && foster > catalogue.UsualFosteringLimit && p.Approval.Exemption == "" && !siblings {
			t.Errorf("%s (%s): %d foster children, beyond the usual fostering limit", p.Name, p.Kind, foster)
		}
	}
	for _, k := range catalogue.PlacementKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s made: the test checks nothing of it", k)
		}
	}
	if temporary == 0 || lapsing == 0 {
		t.Errorf("%d temporary approvals, %d about to lapse: want some of each", temporary, lapsing)
	}
}
