package casework

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Waiting is one child on an officer's worklist, with what makes them urgent.
type Waiting struct {
	Child     catalogue.Child
	Emergency bool // an emergency placement is sought
	Overdue   bool // the needed-by date has passed
	DaysLeft  int  // days until the needed-by date (negative when overdue)
}

// Worklist returns the children of the scope still waiting for a home (waiting, or with an
// offer out), most urgent first: emergencies, then those overdue, then by needed-by date, ties
// by ID. search, when not empty, keeps the children whose first name contains it or whose case
// reference starts with it (ignoring case). The caller audits the list.
func (s *Service) Worklist(ctx context.Context, sc catalogue.Scope, search string) ([]Waiting, error) {
	today := catalogue.Day(s.now())
	search = strings.ToLower(strings.TrimSpace(search))
	var out []Waiting
	for _, status := range []catalogue.ChildStatus{catalogue.ChildWaiting, catalogue.ChildOffered} {
		f := catalogue.ChildFilter{Council: sc.Council, Status: status, Limit: catalogue.MaxLimit}
		for {
			page, err := s.store.ListChildren(ctx, sc, f)
			if err != nil {
				return nil, err
			}
			for _, ch := range page.Items {
				if search != "" && !strings.Contains(strings.ToLower(ch.FirstName), search) &&
					!strings.HasPrefix(strings.ToLower(ch.CaseRef), search) {
					continue
				}
				days := int(ch.NeededBy.Sub(today).Hours() / 24)
				out = append(out, Waiting{Child: ch, Emergency: ch.Purpose == catalogue.PurposeEmergency,
					Overdue: ch.NeededBy.Before(today), DaysLeft: days})
			}
			if page.Next == 0 {
				break
			}
			f.After = catalogue.ChildID(page.Next)
		}
	}
	slices.SortFunc(out, func(a, b Waiting) int {
		return cmp.Or(
			boolFirst(a.Emergency, b.Emergency),
			boolFirst(a.Overdue, b.Overdue),
			a.Child.NeededBy.Compare(b.Child.NeededBy),
			cmp.Compare(a.Child.ID, b.Child.ID))
	})
	return out, nil
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
