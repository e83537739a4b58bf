package synth

import (
	"time"

	"github.com/placematch/placematch/catalogue"
)

// World is a generated catalogue as a store would hold it: every record has its positive ID and
// the references between records use them. It is for work done in memory on a synthetic
// England (benchmarks, property tests, what-if analyses), without a database.
type World struct {
	Providers     []catalogue.Provider
	Placements    []catalogue.Placement // vacancies included, with IDs
	SiblingGroups []catalogue.SiblingGroup
	Children      []catalogue.Child
	// Episodes are the children's placement histories, in the batch's order (each child's in
	// order of start); with them, catalogue.StabilityOf gives any child's indicators.
	Episodes []catalogue.Episode
	Today    time.Time
}

// Materialise gives a Batch's records the IDs a store would: each batch-local key -k becomes
// the ID k (keys are dense from -1 in Generate's output), and vacancies are numbered from 1 in
// placement order. Sibling groups list their members. The batch is not modified.
func Materialise(b catalogue.Batch, today time.Time) World {
	w := World{
		Providers:     make([]catalogue.Provider, len(b.Providers)),
		Placements:    make([]catalogue.Placement, len(b.Placements)),
		SiblingGroups: make([]catalogue.SiblingGroup, len(b.SiblingGroups)),
		Children:      make([]catalogue.Child, len(b.Children)),
		Episodes:      make([]catalogue.Episode, len(b.Episodes)),
		Today:         catalogue.Day(today),
	}
	for i, p := range b.Providers {
		p.ID = -p.ID
		w.Providers[i] = p
	}
	var vid catalogue.VacancyID
	for i, p := range b.Placements {
		p.ID = -p.ID
		if p.Provider < 0 {
			p.Provider = -p.Provider
		}
		conn := make([]catalogue.ChildID, len(p.ConnectedTo))
		for j, c := range p.ConnectedTo {
			conn[j] = flip(c)
		}
		p.ConnectedTo = conn
		vs := make([]catalogue.Vacancy, len(p.Vacancies))
		for j, v := range p.Vacancies {
			vid++
			v.ID, v.Placement = vid, p.ID
			v.Child = flip(v.Child)
			v.Version = 1
			vs[j] = v
		}
		p.Vacancies = vs
		p.Version = 1
		w.Placements[i] = p
	}
	groupAt := make(map[catalogue.SiblingGroupID]int, len(b.SiblingGroups))
	for i, g := range b.SiblingGroups {
		g.ID = -g.ID
		g.Members = nil
		g.Version = 1
		w.SiblingGroups[i] = g
		groupAt[g.ID] = i
	}
	for i, c := range b.Children {
		c.ID = flip(c.ID)
		if c.SiblingGroup < 0 {
			c.SiblingGroup = -c.SiblingGroup
		}
		if gi, ok := groupAt[c.SiblingGroup]; ok {
			w.SiblingGroups[gi].Members = append(w.SiblingGroups[gi].Members, c.ID)
		}
		c.Version = 1
		w.Children[i] = c
	}
	for i, e := range b.Episodes {
		e.ID, e.Child = -e.ID, flip(e.Child)
		if e.Placement < 0 {
			e.Placement = -e.Placement
		}
		if e.Provider < 0 {
			e.Provider = -e.Provider
		}
		w.Episodes[i] = e
	}
	return w
}

// flip turns a batch-local key into its ID; IDs already positive are kept.
func flip(id catalogue.ChildID) catalogue.ChildID {
	if id < 0 {
		return -id
	}
	return id
}

// Child returns the child with the given ID. IDs are dense, so this is a slice lookup when the
// world came from Materialise.
func (w *World) Child(id catalogue.ChildID) (*catalogue.Child, bool) {
	if i := int(id) - 1; i >= 0 && i < len(w.Children) && w.Children[i].ID == id {
		return &w.Children[i], true
	}
	for i := range w.Children {
		if w.Children[i].ID == id {
			return &w.Children[i], true
		}
	}
	return nil, false
}

// Group returns the sibling group with the given ID.
func (w *World) Group(id catalogue.SiblingGroupID) (*catalogue.SiblingGroup, bool) {
	if i := int(id) - 1; i >= 0 && i < len(w.SiblingGroups) && w.SiblingGroups[i].ID == id {
		return &w.SiblingGroups[i], true
	}
	for i := range w.SiblingGroups {
		if w.SiblingGroups[i].ID == id {
			return &w.SiblingGroups[i], true
		}
	}
	return nil, false
}
