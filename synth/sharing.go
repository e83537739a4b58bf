package synth

import (
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Pools are the regions whose councils the demo puts in one regional pool of their own
// foster carers. They are assumptions for the demo, not real agreements: councils in England
// do share carers through regional partnerships and care co-operatives, but which councils
// share which carers is not published in one place, so none of these is cited as in force.
// The other six regions have no pool, so that the demo shows both a council's own carers
// shared and kept to its own children.
var Pools = []struct {
	Region catalogue.RegionCode
	Name   string
}{
	{"E12000001", "North East foster carer pool (assumed for the demo)"},
	{"E12000003", "Yorkshire and Humber foster carer pool (assumed for the demo)"},
	{"E12000005", "West Midlands foster carer pool (assumed for the demo)"},
}

// Agreements returns the demo's sharing agreements, in force from a year before today with no
// end: one regional pool for each of Pools, and one council-to-council agreement, one way, by
// which Leeds (outside any pool of the North East) may place children with Redcar and
// Cleveland's own carers; all assumptions, not real agreements.
func Agreements(today time.Time) []catalogue.SharingAgreement {
	from := catalogue.Day(today).AddDate(-1, 0, 0)
	kinds := []catalogue.PlacementKind{catalogue.CouncilFoster}
	var out []catalogue.SharingAgreement
	for _, p := range Pools {
		a := catalogue.SharingAgreement{Name: p.Name, Kind: catalogue.SharingRegionalPool, Kinds: kinds, From: from,
			Note: "An assumption of the synthetic demo, not a real agreement."}
		for _, c := range catalogue.Councils() {
			if c.RegionCode == p.Region {
				a.Members = append(a.Members, c.Code)
			}
		}
		out = append(out, a)
	}
	out = append(out, catalogue.SharingAgreement{
		Name: "Redcar and Cleveland carers for Leeds (assumed for the demo)", Kind: catalogue.SharingCouncilToCouncil, OneWay: true,
		Members: []catalogue.CouncilCode{"E06000003", "E08000035"}, Kinds: kinds, From: from,
		Note: "An assumption of the synthetic demo, not a real agreement.",
	})
	return out
}
