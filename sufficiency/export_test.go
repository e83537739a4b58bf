package sufficiency

import "github.com/placematch/placematch/catalogue"

// Offered is what the report's joint match offered each child, for the tests of package
// sufficiency_test: each placement's total score for the child (for brothers and sisters matched
// together, the group's score, under every member).
func Offered(r *Report) map[catalogue.ChildID]map[catalogue.PlacementID]float64 {
	an := r.an
	out := map[catalogue.ChildID]map[catalogue.PlacementID]float64{}
	give := func(idx int, a Assignment) {
		id := an.in.Children[idx].ID
		if out[id] == nil {
			out[id] = map[catalogue.PlacementID]float64{}
		}
		if a.Primary != 0 {
			out[id][a.Primary] = a.PrimaryScore
		}
		if a.Backup != 0 {
			out[id][a.Backup] = a.BackupScore
		}
	}
	for i, m := range an.matched {
		a := an.assign[i]
		switch {
		case m.member >= 0:
			give(m.u.members[m.member], a)
		case a.Apart != nil:
			for k, idx := range m.u.members {
				give(idx, a.Apart[k])
			}
		default:
			for _, idx := range m.u.members {
				give(idx, a)
			}
		}
	}
	return out
}
