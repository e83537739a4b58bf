package casework

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The approvals watch: the family homes in scope whose carers' approval needs someone's act
// before a child's home stops being lawful, or before the home can be offered at all. A
// connected person's temporary approval lasts 16 weeks (the Care Planning, Placement and Case
// Review (England) Regulations 2010 regulation 24), extendable once by 8 (regulation 25): the
// council finishes the assessment or extends it before the deadline, and when it has lapsed with
// a child living there, the child's placement is no longer lawful and the council must act now.
// A foster home with no approval dates (stored before migration 00016) is never offered until
// its keeper records them (Fostering Services (England) Regulations 2011 regulations 27 and 28).

// MaxWatchWeeks is the furthest ahead the watch looks: a temporary approval extended lasts 24
// weeks in all.
const MaxWatchWeeks = catalogue.TemporaryWeeks + catalogue.ExtensionWeeks

// WatchedHome is one home on the watch: the day its temporary approval lapses (or lapsed;
// zero for a home with no dates) and how many children in care live there.
type WatchedHome struct {
	Placement catalogue.Placement
	Deadline  time.Time
	Living    int
}

// ApprovalWatch is the watch on a day: temporary approvals lapsing within the weeks asked,
// those lapsed where children still live, and family homes with no approval dates.
type ApprovalWatch struct {
	Today                    time.Time
	Weeks                    int
	Lapsing, Lapsed, Undated []WatchedHome
}

// WatchApprovals lists the family homes in scope that the watch names, by the service's clock:
// for an officer, the kinship homes of their council's children (the store's scope); for a
// provider, its own homes; for an administrator, every family home, or those in council's area
// when council is set. weeks is the window for lapsing approvals (1 to MaxWatchWeeks).
// Each list is soonest deadline first, then by ID.
func (s *Service) WatchApprovals(ctx context.Context, sc catalogue.Scope, council catalogue.CouncilCode, weeks int) (ApprovalWatch, error) {
	if weeks < 1 || weeks > MaxWatchWeeks {
		return ApprovalWatch{}, catalogue.Invalid("within_weeks", "must be a whole number of weeks from 1 to 24")
	}
	today := catalogue.Day(s.now())
	w := ApprovalWatch{Today: today, Weeks: weeks}
	var kinds []catalogue.PlacementKind
	if officerScope(sc) { // officers keep kinship homes only; providers and administrators every family home
		kinds = []catalogue.PlacementKind{catalogue.Kinship}
	} else {
		kinds = []catalogue.PlacementKind{catalogue.CouncilFoster, catalogue.AgencyFoster, catalogue.Kinship}
	}
	window := time.Duration(weeks) * 7 * 24 * time.Hour
	for _, k := range kinds {
		ps, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Placement], error) {
			return s.store.ListPlacements(ctx, sc, catalogue.PlacementFilter{Council: council, Kind: k,
				After: catalogue.PlacementID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return ApprovalWatch{}, err
		}
		for _, p := range ps {
			if officerScope(sc) && len(p.ConnectedTo) == 0 {
				continue // another council's children's home: the store hid whom it is for
			}
			h := WatchedHome{Placement: p, Living: p.Living()}
			if t := p.TemporaryApproval; t != nil {
				h.Deadline = t.Deadline()
			}
			switch {
			case p.Undated():
				w.Undated = append(w.Undated, h)
			case p.TemporaryWithin(today, window) == catalogue.TemporaryLapsing:
				w.Lapsing = append(w.Lapsing, h)
			case p.TemporaryWithin(today, window) == catalogue.TemporaryLapsed && h.Living > 0:
				w.Lapsed = append(w.Lapsed, h)
			}
		}
	}
	for _, l := range [][]WatchedHome{w.Lapsing, w.Lapsed, w.Undated} {
		slices.SortFunc(l, func(a, b WatchedHome) int {
			return cmp.Or(a.Deadline.Compare(b.Deadline), cmp.Compare(a.Placement.ID, b.Placement.ID))
		})
	}
	return w, nil
}

// officerScope reports whether the scope is an officer's (or a manager's): one council's
// children, no provider.
func officerScope(sc catalogue.Scope) bool { return sc.Council != "" && sc.Provider == 0 }
