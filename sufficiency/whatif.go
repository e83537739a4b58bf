package sufficiency

import (
	"context"
	"fmt"
	"slices"
	"time"

	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Profile describes carers (or a home) a what-if adds: what they are approved for and what the
// household is like. Zero fields take the defaults noted.
type Profile struct {
	Kind                 catalogue.PlacementKind // council_foster (default), agency_foster, childrens_home or supported_accommodation; never kinship, whose carers are assessed for named children
	Places               int                     // approved places, all vacant from the day of the report: default 1 for foster carers, 4 for a home
	MinAge, MaxAge       int                     // default 0 to 17 (16 to 17 for supported accommodation)
	Sexes                []catalogue.Sex         // empty: either
	SiblingGroups        bool                    // approved for brothers and sisters together
	Purposes             []catalogue.Purpose     // default: emergency, short term, long term and respite
	Skills               []catalogue.Skill
	Languages            []string // default: en
	Religion             catalogue.Religion
	Ethnicity            catalogue.EthnicGroup
	WheelchairAccessible bool
	Pets                 []catalogue.Animal
	Smoking              bool
	LongTerm, StayingPut bool
	Experience           int // years; default 2
	WeeklyCost           int // pounds a week; default the kind's typical cost
}

// Addition adds Count placements of a profile in a council's area (at its centre unless a
// location is given).
type Addition struct {
	Council  catalogue.CouncilCode
	Location catalogue.Location // zero: the council's population-weighted centre
	Count    int                // default 1
	Profile  Profile
}

// Scenario is a what-if: placements added to the catalogue.
type Scenario struct {
	Additions []Addition
}

// Limits on what-if analyses.
const (
	MaxAdditions = 500 // placements one scenario may add
	MaxPlanSteps = 200 // carers one plan may place
)

// typicalCosts are the weekly costs a profile takes by default (DESIGN.md section 1).
var typicalCosts = map[catalogue.PlacementKind]int{
	catalogue.CouncilFoster: 650, catalogue.AgencyFoster: 820, catalogue.ChildrensHome: 4800, catalogue.SupportedAccommodation: 1500,
}

// normalise fills a profile's defaults and checks it, naming fields under prefix.
func (p Profile) normalise(prefix string) (Profile, error) {
	var fe []catalogue.FieldError
	bad := func(field, format string, args ...any) {
		fe = append(fe, catalogue.FieldError{Field: prefix + field, Message: fmt.Sprintf(format, args...)})
	}
	if p.Kind == "" {
		p.Kind = catalogue.CouncilFoster
	}
	if _, ok := typicalCosts[p.Kind]; !ok {
		bad("kind", "must be council_foster, agency_foster, childrens_home or supported_accommodation (kinship carers are assessed for named children)")
	}
	if p.Places == 0 {
		p.Places = 1
		if p.Kind == catalogue.ChildrensHome || p.Kind == catalogue.SupportedAccommodation {
			p.Places = 4
		}
	}
	if p.Places < 1 || p.Places > 50 {
		bad("places", "must be between 1 and 50")
	}
	if p.MinAge == 0 && p.MaxAge == 0 {
		p.MaxAge = 17
		if p.Kind == catalogue.SupportedAccommodation {
			p.MinAge = 16
		}
	}
	if p.MinAge < 0 || p.MaxAge < p.MinAge || p.MaxAge > catalogue.MaxChildAge {
		bad("max_age", "must be at least min_age, and ages between 0 and %d", catalogue.MaxChildAge)
	}
	if len(p.Purposes) == 0 {
		p.Purposes = []catalogue.Purpose{catalogue.PurposeEmergency, catalogue.PurposeShortTerm, catalogue.PurposeLongTerm, catalogue.PurposeRespite}
	}
	if len(p.Languages) == 0 {
		p.Languages = []string{"en"}
	}
	if p.Experience == 0 {
		p.Experience = 2
	}
	if p.WeeklyCost == 0 {
		p.WeeklyCost = typicalCosts[p.Kind]
	}
	if p.WeeklyCost < 0 || p.WeeklyCost > 50000 {
		bad("weekly_cost", "must be between 0 and 50000 pounds")
	}
	// The placement's own validation covers the vocabularies.
	pl := p.placement(catalogue.CouncilCode("E08000035"), catalogue.Location{Lat: 53.8, Lng: -1.55}, 1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	pl.Provider = 1
	for _, f := range catalogue.FieldErrors(pl.Validate()) {
		if f.Field != "kind" {
			fe = append(fe, catalogue.FieldError{Field: prefix + profileField(f.Field), Message: f.Message})
		}
	}
	if len(fe) > 0 {
		return p, catalogue.InvalidFields(fe)
	}
	return p, nil
}

// profileField names the field of a profile that the field of the placement it describes comes
// from: a profile is flat (pets, not household.pets; places, not approval.max_children), and an
// error must name what the caller sent.
func profileField(placementField string) string {
	switch f := placementField; {
	case strings.HasPrefix(f, "approval.max_children"):
		return "places" + strings.TrimPrefix(f, "approval.max_children")
	case strings.HasPrefix(f, "approval."):
		return strings.TrimPrefix(f, "approval.")
	case strings.HasPrefix(f, "household."):
		return strings.TrimPrefix(f, "household.")
	}
	return placementField
}

// placement is the placement a normalised profile describes, with every place vacant from day.
func (p Profile) placement(council catalogue.CouncilCode, at catalogue.Location, id catalogue.PlacementID, day time.Time) catalogue.Placement {
	area := string(council)
	if c, ok := catalogue.CouncilByCode(council); ok {
		area = c.Name
	}
	pl := catalogue.Placement{
		ID: id, Kind: p.Kind, Name: fmt.Sprintf("What-if %s %d", kindName(p.Kind), id), Council: council, AreaName: area, Location: at,
		Approval: catalogue.Approval{MinAge: p.MinAge, MaxAge: p.MaxAge, Sexes: p.Sexes, MaxChildren: p.Places,
			Purposes: p.Purposes, SiblingGroups: p.SiblingGroups},
		Household: catalogue.Household{Pets: p.Pets, Smoking: p.Smoking, WheelchairAccessible: p.WheelchairAccessible},
		Skills:    p.Skills, Languages: p.Languages, Religion: p.Religion, Ethnicity: p.Ethnicity, Experience: p.Experience,
		StayingPut: p.StayingPut, LongTerm: p.LongTerm, WeeklyCost: p.WeeklyCost, Active: true,
	}
	if p.Kind.IsFamily() {
		// New carers, newly approved: in date for the year to their first review.
		pl.Household.Carers = []catalogue.Carer{{FirstName: "New"}}
		pl.Approval.From, pl.Approval.Until = catalogue.Day(day), catalogue.Day(day).AddDate(1, 0, 0)
	}
	if p.Kind.MustRegister() {
		// A new home or supported accommodation is offered only once Ofsted registers it.
		pl.Registration, pl.URN = catalogue.Registered, "what-if"
	}
	if p.Kind == catalogue.ChildrensHome {
		pl.Ofsted = catalogue.OfstedGood
	}
	for range p.Places {
		pl.Vacancies = append(pl.Vacancies, catalogue.Vacancy{Placement: id, AvailableFrom: day, Status: catalogue.VacancyAvailable})
	}
	return pl
}

func kindName(k catalogue.PlacementKind) string {
	switch k {
	case catalogue.CouncilFoster:
		return "council foster carer"
	case catalogue.AgencyFoster:
		return "agency foster carer"
	case catalogue.ChildrensHome:
		return "children's home"
	case catalogue.SupportedAccommodation:
		return "supported accommodation"
	}
	return string(k)
}

// placements returns the scenario's placements, numbered after every placement of the input,
// so that the existing placements keep their positions in the engine's snapshot.
func (s Scenario) placements(in *Input, day time.Time) ([]catalogue.Placement, error) {
	var fe []catalogue.FieldError
	total := 0
	var next catalogue.PlacementID
	for _, p := range in.Placements {
		next = max(next, p.ID)
	}
	var out []catalogue.Placement
	if len(s.Additions) == 0 {
		fe = append(fe, catalogue.FieldError{Field: "additions", Message: "must add at least one placement"})
	}
	for i, a := range s.Additions {
		prefix := fmt.Sprintf("additions[%d].", i)
		c, ok := catalogue.CouncilByCode(a.Council)
		if !ok {
			fe = append(fe, catalogue.FieldError{Field: prefix + "council", Message: "must be the ONS code of an English upper-tier council"})
		}
		if a.Count == 0 {
			a.Count = 1
		}
		if a.Count < 0 || a.Count > MaxAdditions {
			fe = append(fe, catalogue.FieldError{Field: prefix + "count", Message: fmt.Sprintf("must be between 1 and %d", MaxAdditions)})
		}
		total += max(a.Count, 0)
		prof, err := a.Profile.normalise(prefix + "profile.")
		if err != nil {
			fe = append(fe, catalogue.FieldErrors(err)...)
		}
		at := a.Location
		if at.IsZero() {
			at = c.Centre
		}
		if err := at.Validate(); err != nil {
			for _, f := range catalogue.FieldErrors(err) {
				fe = append(fe, catalogue.FieldError{Field: prefix + "location." + f.Field, Message: f.Message})
			}
		}
		if len(fe) > 0 || total > MaxAdditions {
			continue
		}
		for range a.Count {
			next++
			out = append(out, prof.placement(a.Council, at, next, day))
		}
	}
	if total > MaxAdditions {
		fe = append(fe, catalogue.FieldError{Field: "additions", Message: fmt.Sprintf("must add at most %d placements in all", MaxAdditions)})
	}
	if len(fe) > 0 {
		return nil, catalogue.InvalidFields(fe)
	}
	return out, nil
}

// with reruns the analysis over the input's placements and extra: the engine is rebuilt over
// them all (matcher.NewEngineFrom), the units the extra placements could change (those whose
// home is within nearMissFactor times their policy's distance of one) are evaluated again (their
// suitable placements before and the new ones that pass: evaluateGrown), the
// others keep their evaluation (their options and supply cannot change: nothing new is within
// their reach), and the joint match is run over everyone, its candidate searches kept for the
// requests no new placement can reach (matcher.Searches: the same answer as searching again).
func (a *analysis) with(ctx context.Context, extra []catalogue.Placement) (*analysis, error) {
	start := catalogue.StartStopwatch()
	in := *a.in
	in.Placements = append(slices.Clip(a.in.Placements), extra...)
	b := &analysis{in: &in, cfg: a.cfg, day: a.day, areas: a.areas, reuse: a}
	b.cfg.Progress = nil
	b.useSupply(in.Placements)
	if len(b.ps) >= len(a.ps) && slices.EqualFunc(a.ps, b.ps[:len(a.ps)], func(x, y catalogue.Placement) bool { return x.ID == y.ID }) {
		b.grown = len(a.ps)
	}
	b.units = make([]*unit, len(a.units))
	for i, u := range a.units {
		c := *u
		b.units[i] = &c
	}
	pts := make([]catalogue.Location, len(extra))
	for i, p := range extra {
		pts[i] = p.Location
	}
	affected := func(u *unit) bool {
		home := u.req.Child.Home
		if home.IsZero() {
			return true
		}
		reach := u.pol.MaxDistanceKm * nearMissFactor
		for _, p := range pts {
			if catalogue.DistanceKm(home, p) <= reach+0.01 {
				return true
			}
		}
		return false
	}
	if err := b.evaluateAll(ctx, affected); err != nil {
		return nil, err
	}
	if err := b.match(ctx); err != nil {
		return nil, err
	}
	b.reuse = nil
	b.took = start.Elapsed()
	return b, nil
}

// Comparison is a what-if's outcome: the report before and after, and every figure that
// changed.
type Comparison struct {
	Scenario Scenario
	Added    []Added
	Before   *Report
	After    *Report
	// Changes lists, for England, each region and each council, then England's breakdowns,
	// every figure that differs (areas and breakdowns where none does are left out).
	Changes []RowChange
	Took    time.Duration
}

// Added summarises the placements a what-if added in one council.
type Added struct {
	Council    Area
	Kind       catalogue.PlacementKind
	Placements int
	Places     int
}

// RowChange is the figures of one row that changed.
type RowChange struct {
	Area      Area
	Breakdown Breakdown
	Fields    []Change
}

// Change is one figure before and after. Change is After less Before, withheld when either is.
type Change struct {
	Key, Label            string
	Before, After, Change Figure
}

// WhatIf reruns the report with a scenario's placements added.
func (r *Report) WhatIf(ctx context.Context, s Scenario) (*Comparison, error) {
	start := catalogue.StartStopwatch()
	extra, err := s.placements(r.an.in, r.an.day)
	if err != nil {
		return nil, err
	}
	b, err := r.an.with(ctx, extra)
	if err != nil {
		return nil, err
	}
	after := b.publish(b.cfg.Now.OrWall()())
	c := &Comparison{Scenario: s, Before: r, After: after, Changes: changes(r, after)}
	for _, p := range extra {
		i := slices.IndexFunc(c.Added, func(x Added) bool { return x.Council.Code == string(p.Council) && x.Kind == p.Kind })
		if i < 0 {
			ar, _ := r.Area(string(p.Council))
			c.Added = append(c.Added, Added{Council: ar.Area, Kind: p.Kind})
			i = len(c.Added) - 1
		}
		c.Added[i].Placements++
		c.Added[i].Places += p.Approval.MaxChildren
	}
	c.Took = start.Elapsed()
	return c, nil
}

// changes compares two reports row by row.
func changes(before, after *Report) []RowChange {
	var out []RowChange
	diff := func(area Area, b Breakdown, x, y *Metrics) {
		fx, fy := x.Fields(), y.Fields()
		rc := RowChange{Area: area, Breakdown: b}
		for i := range fx {
			if fx[i].String() == fy[i].String() {
				continue
			}
			rc.Fields = append(rc.Fields, Change{Key: fx[i].Key, Label: fx[i].Label, Before: fx[i].Figure, After: fy[i].Figure,
				Change: difference(fy[i].Figure, fx[i].Figure)})
		}
		if len(rc.Fields) > 0 {
			out = append(out, rc)
		}
	}
	for i := range before.Areas {
		diff(before.Areas[i].Area, breakdowns[0], &before.Areas[i].All().Metrics, &after.Areas[i].All().Metrics)
	}
	eb, ea := before.England(), after.England()
	for b := 1; b < nBreakdowns; b++ {
		key := breakdowns[b].Key()
		x, ok1 := eb.Row(key)
		y, ok2 := ea.Row(key)
		if !ok1 && !ok2 {
			continue
		}
		mx, my := emptyMetrics(), emptyMetrics()
		if ok1 {
			mx = x.Metrics
		}
		if ok2 {
			my = y.Metrics
		}
		diff(eb.Area, breakdowns[b], &mx, &my)
	}
	return out
}
