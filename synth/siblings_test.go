package synth

import (
	"github.com/placematch/placematch/catalogue"
)

// apartShares measures the Children's Commissioner's sibling figure on a batch's current
// placements: of the children in care (an episode going on today) with a brother or sister in
// care, the share who do not live with every one of them, overall and by the setting of their
// own current placement (index by catalogue.Setting). Two children live together when their
// current episodes name the same catalogue placement, or, with none named, the same provider,
// setting, council area and distance from their (shared) family home.
func apartShares(b catalogue.Batch) (all float64, bySetting map[catalogue.Setting][2]int) {
	current := make(map[catalogue.ChildID]catalogue.Episode, len(b.Children))
	for _, e := range b.Episodes {
		if e.Current() {
			current[e.Child] = e
		}
	}
	groups := map[catalogue.SiblingGroupID][]catalogue.Episode{}
	for _, c := range b.Children {
		if e, ok := current[c.ID]; ok && c.SiblingGroup != 0 {
			groups[c.SiblingGroup] = append(groups[c.SiblingGroup], e)
		}
	}
	bySetting = map[catalogue.Setting][2]int{}
	n, apart := 0, 0
	for _, eps := range groups {
		if len(eps) < 2 {
			continue
		}
		for i, e := range eps {
			away := false
			for j, o := range eps {
				if i != j && !livesWith(e, o) {
					away = true
				}
			}
			x := bySetting[e.Setting]
			x[1]++
			n++
			if away {
				x[0]++
				apart++
			}
			bySetting[e.Setting] = x
		}
	}
	return frac(apart, n), bySetting
}

func livesWith(a, b catalogue.Episode) bool {
	if a.Placement != 0 || b.Placement != 0 {
		return a.Placement == b.Placement
	}
	return a.Provider != 0 && a.Provider == b.Provider && a.Setting == b.Setting && a.PlacedIn == b.PlacedIn && a.DistanceKm == b.DistanceKm
}
