package synth

import "github.com/placematch/placematch/catalogue"

// WithIDs returns the batch as a store would hold it, for engines built in memory (benchmarks,
// tests, what-if analyses): every batch-local key -k becomes the ID k, and every reference
// follows (a child's sibling group, a placement's provider and connected children, a vacancy's
// placement); vacancies get IDs 1, 2, ... in placement order, and sibling groups their members.
// The batch given is not changed.
func WithIDs(b catalogue.Batch) catalogue.Batch {
	id := func(k int64) int64 {
		if k < 0 {
			return -k
		}
		return k
	}
	out := catalogue.Batch{
		Providers:     make([]catalogue.Provider, len(b.Providers)),
		Placements:    make([]catalogue.Placement, len(b.Placements)),
		SiblingGroups: make([]catalogue.SiblingGroup, len(b.SiblingGroups)),
		Children:      make([]catalogue.Child, len(b.Children)),
	}
	for i, p := range b.Providers {
		p.ID = catalogue.ProviderID(id(int64(p.ID)))
		out.Providers[i] = p
	}
	vacancies := 0
	for _, p := range b.Placements {
		vacancies += len(p.Vacancies)
	}
	vs := make([]catalogue.Vacancy, 0, vacancies)
	for i, p := range b.Placements {
		p.ID = catalogue.PlacementID(id(int64(p.ID)))
		p.Provider = catalogue.ProviderID(id(int64(p.Provider)))
		if len(p.ConnectedTo) > 0 {
			cs := make([]catalogue.ChildID, len(p.ConnectedTo))
			for j, c := range p.ConnectedTo {
				cs[j] = catalogue.ChildID(id(int64(c)))
			}
			p.ConnectedTo = cs
		}
		start := len(vs)
		for _, v := range p.Vacancies {
			v.ID = catalogue.VacancyID(len(vs) + 1)
			v.Placement = p.ID
			if v.Child != 0 {
				v.Child = catalogue.ChildID(id(int64(v.Child)))
			}
			vs = append(vs, v)
		}
		p.Vacancies = vs[start:len(vs):len(vs)]
		if len(p.Vacancies) == 0 {
			p.Vacancies = nil
		}
		out.Placements[i] = p
	}
	groupAt := make(map[catalogue.SiblingGroupID]int, len(b.SiblingGroups))
	for i, g := range b.SiblingGroups {
		g.ID = catalogue.SiblingGroupID(id(int64(g.ID)))
		g.Members = nil
		groupAt[g.ID] = i
		out.SiblingGroups[i] = g
	}
	for i, c := range b.Children {
		c.ID = catalogue.ChildID(id(int64(c.ID)))
		c.SiblingGroup = catalogue.SiblingGroupID(id(int64(c.SiblingGroup)))
		if c.SiblingGroup != 0 {
			if j, ok := groupAt[c.SiblingGroup]; ok {
				out.SiblingGroups[j].Members = append(out.SiblingGroups[j].Members, c.ID)
			}
		}
		out.Children[i] = c
	}
	return out
}
