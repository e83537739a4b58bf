package synth

import (
	"fmt"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Summary counts what a batch holds, for tests and for `placematch seed` to print.
type Summary struct {
	Providers       int
	Placements      int
	Places          int // approved places
	Vacancies       int // available places, whatever their date
	VacanciesNow    int // available on the reference day
	Children        int
	Waiting         int
	Urgent          int // waiting and needed within 7 days of the reference day
	UASC            int
	SiblingGroups   int
	InSiblingGroups int // children who belong to a sibling group
	Kinds           []KindCount
	Regions         []RegionCount
	// Histories: the placements children have had, the reviews of unplanned moves (Open not
	// yet made) and the check-ins children made after a move.
	Episodes    int
	MoveReviews int
	OpenReviews int
	CheckIns    int
}

// KindCount counts placements of one kind.
type KindCount struct {
	Kind       catalogue.PlacementKind
	Placements int
	Places     int
	Filled     int // places taken by children already living there
	Vacancies  int
}

// RegionCount counts one region's children and placements.
type RegionCount struct {
	Region     catalogue.Region
	Children   int
	Waiting    int
	Placements int
	Vacancies  int
}

// Summarise counts b's records; today is the reference day for vacancies and urgency.
func Summarise(b catalogue.Batch, today time.Time) Summary {
	today = catalogue.Day(today)
	s := Summary{Providers: len(b.Providers), Placements: len(b.Placements), Children: len(b.Children), SiblingGroups: len(b.SiblingGroups)}
	regions := catalogue.Regions()
	s.Regions = make([]RegionCount, len(regions))
	regionOf := make(map[catalogue.RegionCode]int, len(regions))
	for i, r := range regions {
		s.Regions[i].Region = r
		regionOf[r.Code] = i
	}
	region := func(c catalogue.CouncilCode) *RegionCount {
		council, ok := catalogue.CouncilByCode(c)
		if !ok {
			return nil
		}
		return &s.Regions[regionOf[council.RegionCode]]
	}
	s.Kinds = make([]KindCount, len(catalogue.PlacementKinds))
	kindOf := make(map[catalogue.PlacementKind]int, len(catalogue.PlacementKinds))
	for i, k := range catalogue.PlacementKinds {
		s.Kinds[i].Kind = k
		kindOf[k] = i
	}
	urgent := today.AddDate(0, 0, 7)
	for _, c := range b.Children {
		rc := region(c.Council)
		if rc != nil {
			rc.Children++
		}
		if c.Status == catalogue.ChildWaiting {
			s.Waiting++
			if rc != nil {
				rc.Waiting++
			}
			if !c.NeededBy.After(urgent) {
				s.Urgent++
			}
		}
		if c.Need(catalogue.NeedUASC) > 0 {
			s.UASC++
		}
		if c.SiblingGroup != 0 {
			s.InSiblingGroups++
		}
	}
	s.Episodes, s.MoveReviews, s.CheckIns = len(b.Episodes), len(b.MoveReviews), len(b.CheckIns)
	for _, r := range b.MoveReviews {
		if !r.Reviewed() {
			s.OpenReviews++
		}
	}
	for _, p := range b.Placements {
		i, ok := kindOf[p.Kind]
		if !ok {
			continue
		}
		k := &s.Kinds[i]
		k.Placements++
		k.Places += p.Approval.MaxChildren
		k.Vacancies += len(p.Vacancies)
		for _, m := range p.Household.Members {
			if m.Role == catalogue.MemberPlacedChild {
				k.Filled++
			}
		}
		s.Places += p.Approval.MaxChildren
		s.Vacancies += len(p.Vacancies)
		s.VacanciesNow += p.OpenVacancies(today)
		if rc := region(p.Council); rc != nil {
			rc.Placements++
			rc.Vacancies += len(p.Vacancies)
		}
	}
	return s
}

// String is a short plain-text report.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "children %d (waiting %d, needed within a week %d; UASC %d; in %d sibling groups %d)\n",
		s.Children, s.Waiting, s.Urgent, s.UASC, s.SiblingGroups, s.InSiblingGroups)
	fmt.Fprintf(&b, "providers %d, placements %d, places %d, vacancies %d (%d available now)\n",
		s.Providers, s.Placements, s.Places, s.Vacancies, s.VacanciesNow)
	fmt.Fprintf(&b, "placement histories %d episodes, %d reviews of unplanned moves (%d open), %d check-ins\n",
		s.Episodes, s.MoveReviews, s.OpenReviews, s.CheckIns)
	fmt.Fprintf(&b, "%-26s %10s %8s %8s %9s\n", "kind", "placements", "places", "filled", "vacancies")
	for _, k := range s.Kinds {
		fmt.Fprintf(&b, "%-26s %10d %8d %8d %9d\n", k.Kind, k.Placements, k.Places, k.Filled, k.Vacancies)
	}
	fmt.Fprintf(&b, "%-26s %10s %8s %10s %9s\n", "region", "children", "waiting", "placements", "vacancies")
	for _, r := range s.Regions {
		fmt.Fprintf(&b, "%-26s %10d %8d %10d %9d\n", r.Region.Name, r.Children, r.Waiting, r.Placements, r.Vacancies)
	}
	return b.String()
}
