package catalogue

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"time"
)

// Weights gives each factor its weight. Only the proportions matter: scoring.EffectiveWeights
// returns them normalised to sum to 1.
type Weights map[Factor]float64

// Sum returns the total weight.
func (w Weights) Sum() float64 {
	s := 0.0
	for _, f := range Factors {
		s += w[f]
	}
	return s
}

// Share returns f's share of the total weight, or 0 when the total is not positive.
func (w Weights) Share(f Factor) float64 {
	s := w.Sum()
	if !(s > 0) {
		return 0
	}
	return w[f] / s
}

// Bounds that no policy may cross.
const (
	// MaxCostCap is the largest share of the total weight cost may ever carry. A council may
	// lower the cap, never raise it: the law (Children Act 1989 s22C) orders needs first.
	MaxCostCap = 0.10
	// MaxCostMargin bounds the quality margin within which cost may separate two options.
	MaxCostMargin = 0.10
	// MaxBoostLimit bounds how far a child's priorities or history may multiply one weight.
	MaxBoostLimit = 3.0
	// MaxDistanceLimitKm bounds the policy's maximum distance from home (about 300 miles).
	MaxDistanceLimitKm = 500.0
	// MaxZoneBufferKm bounds the buffer around exclusion zones.
	MaxZoneBufferKm = 10.0
	// MaxWeight bounds each factor's weight. Only proportions matter, so 1000 (ten times the
	// default total of 100) leaves room for any balance, and the sum of every weight, boosted by
	// at most MaxBoostLimit, stays far from overflowing to infinity (which made every share 0).
	MaxWeight = 1000.0
	// MinSignOffWeeklyCost and MaxSignOffWeeklyCost bound the weekly cost above which a home
	// needs a sign-off: no lower than a kinship allowance, no higher than the dearest homes
	// reported (£50,000 a week), so that the sign-off cannot be switched off.
	MinSignOffWeeklyCost = 300
	MaxSignOffWeeklyCost = 50000
)

// Policy is one version of the scoring rules, national (Council empty) or for one council: the
// vocabulary of every part that scores (scoring), keeps (the store) or changes (the API) it.
type Policy struct {
	Version int
	Council CouncilCode // empty: the national default
	Weights Weights
	// CostCap is the largest share of the total weight cost may carry (at most MaxCostCap).
	CostCap float64
	// CostMargin is the quality margin within which cost may separate two options (see Rank).
	CostMargin float64
	// MaxDistanceKm is the hard limit on distance from the child's home; beyond it only a
	// senior decision (a wider policy) can offer a placement.
	MaxDistanceKm float64
	// WishBoost multiplies the weight of the factor behind the child's first priority; later
	// priorities get a smaller boost (see scoring.EffectiveWeights).
	WishBoost float64
	// MaxBoost bounds the total multiplier of any one factor's weight.
	MaxBoost float64
	// ZoneBufferKm: a placement inside an exclusion zone or within this distance of it is
	// rejected.
	ZoneBufferKm float64
	// CostLow and CostHigh (pounds a week) span the cost factor: CostLow or less scores 1,
	// CostHigh or more scores 0, on a logarithmic scale in between.
	CostLow  int
	CostHigh int
	// SignOffWeeklyCost (pounds a week): a home costing more needs a high_cost sign-off
	// (signoff.go); the default is DefaultSignOffWeeklyCost, an assumption.
	SignOffWeeklyCost int
	// HoldHours is how long a provider's acceptance of a referral holds the place for the child
	// while the offer is decided (see Hold); 0 in a policy saved before it was a setting.
	HoldHours int
	// WorkingDayStart and WorkingDayEnd (minutes after midnight, London time) are the hours
	// the council's social work teams work on working days (workingtime.go): an alert raised
	// in them is its social worker's team's the same working day; outside them, the emergency
	// duty team's. 0 and 0 (a policy saved before they were settings): 09:00 to 17:00.
	WorkingDayStart, WorkingDayEnd int
	// ChildLinkAge is the age from which a child is sent their own link to their page; a
	// younger child's page is gone through with them by their social worker or carer, who
	// records that they did (issue 20, item 3). 0: DefaultChildLinkAge.
	ChildLinkAge int
	// ChildLanguages are the languages a child of the council may choose among on their pages
	// (the ids of the pages' message catalogues: en, en-easy, a council's translation; issue 20,
	// item 10); empty: every one the service offers. ChildLanguage is the language of a child's
	// pages when they have chosen none and there is no catalogue of their first language; empty:
	// the service's default.
	ChildLanguages []string
	ChildLanguage  string
	// SettlingWeeks is how long, after a move, the back-up of the offer the child moved under is
	// held where its provider agrees (settling.go; see Settling): 0 in a policy saved before it
	// was a setting (DefaultSettlingWeeks), NoSettling for none.
	SettlingWeeks int
}

// MaxChildLanguages bounds Policy.ChildLanguages.
const MaxChildLanguages = 30

// languageID is the form of a child's pages' language's id: en, en-easy, ur, pt-BR.
var languageID = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// WorkingHours are the council's working hours: its policy's, or DefaultWorkingHours.
func (p Policy) WorkingHours() WorkingHours {
	if p.WorkingDayStart == 0 && p.WorkingDayEnd == 0 {
		return DefaultWorkingHours
	}
	return WorkingHours{Start: p.WorkingDayStart, End: p.WorkingDayEnd}
}

// DefaultChildLinkAge: a child under 8 is not sent their own link unless a council's policy
// says otherwise. Eight is the youngest age the child's page is written for (a reader of about 8
// to 17); it is a practice choice, not a rule of law, so councils set their own.
const DefaultChildLinkAge = 8

// MaxChildLinkAge bounds ChildLinkAge: from 16 every young person reads their own page.
const MaxChildLinkAge = 16

// LinkAge is the age from which a child is sent their own link: ChildLinkAge, or
// DefaultChildLinkAge.
func (p Policy) LinkAge() int {
	if p.ChildLinkAge <= 0 {
		return DefaultChildLinkAge
	}
	return p.ChildLinkAge
}

// DefaultHoldHours is how long an acceptance holds a place unless a council's policy says.
const DefaultHoldHours = 72

// MaxHoldHours bounds HoldHours: a month.
const MaxHoldHours = 720

// Hold is how long a provider's acceptance holds the place: HoldHours, or DefaultHoldHours.
func (p Policy) Hold() time.Duration {
	if p.HoldHours <= 0 {
		return DefaultHoldHours * time.Hour
	}
	return time.Duration(p.HoldHours) * time.Hour
}

// DefaultPolicy returns the national default policy, version 1.
//
// The weights put the child's needs first and sum to 100 so that each reads as a percentage:
//
//   - needs 20: needs against skills is the heaviest. Section 22C of the Children Act 1989
//     orders the most appropriate placement for the child's needs, and a carer untrained for a
//     child's trauma, autism or exploitation risk is the commonest route to a placement breaking
//     down; for a disabled child, s22C(8)(d) asks that the accommodation suits their particular
//     needs (and the wheelchair constraint makes step-free access a rule, not a weight).
//     Two bases of s22C are not placematch's to weigh: placement with parents comes before any
//     placement here (s22C(2)-(4): the child is not "waiting" for a carer while that is being
//     considered), and fostering for adoption (s22C(9A)-(9C)) is a decision of the adoption
//     agency, which placematch does not model.
//   - siblings 15: 37% of children in care with a sibling in care are separated from them, and
//     brothers and sisters are the people children in care rank second, after their carer
//     (s22C(8)(c) asks for siblings to be placed together where practicable).
//   - school 14: a school move mid-year costs a child months of learning and their friends;
//     s22C(8)(b) asks that placements do not disrupt education or training.
//   - family 10: time with birth family and other people in the contact plan (the birth mother
//     is the third most important person to children in care); distance decides whether
//     contact happens.
//   - stability 10: one child in ten has three or more moves in a year; a carer's record,
//     experience and willingness to keep a young person on protect against another move. For a
//     young person of 16 or over, carers willing to offer Staying Put (to stay on after 18, up
//     to 21) score three tenths of it more than carers who are not (StayingPutAge).
//   - kinship 8: s22C(7)(a) gives connected persons (family and friends) preference.
//   - home area 7: s22C(8)(a) asks for a placement near home, s22C(9) inside the council's area.
//   - identity 6: s22(5)(c) asks for due consideration of religion, racial origin, culture and
//     language.
//   - wishes 5: the child's own priorities also raise the weights of the factors they name
//     (WishBoost), so this factor only holds what no other factor covers (a pet, town or
//     country) and how many of their wishes are met overall.
//   - cost 5: visible but light, half the 10% cap; Rank lets cost separate two options only
//     when their quality is within 2 points.
//
// A child's first priority multiplies its factor's weight by 1.5 (WishBoost), later ones by
// less; no weight is ever multiplied by more than 2 (MaxBoost). The maximum distance is 50 miles
// (80.47 km), beyond which only a senior decision can widen the search; exclusion zones have a
// 1 km buffer. Cost spans £300 a week (a kinship allowance) to £10,000 (the dearest children's
// homes).
func DefaultPolicy() Policy {
	return Policy{
		Version: 1,
		Weights: Weights{
			FactorNeeds:     20,
			FactorSiblings:  15,
			FactorSchool:    14,
			FactorFamily:    10,
			FactorStability: 10,
			FactorKinship:   8,
			FactorHomeArea:  7,
			FactorIdentity:  6,
			FactorWishes:    5,
			FactorCost:      5,
		},
		CostCap:       MaxCostCap,
		CostMargin:    0.02,
		MaxDistanceKm: 50 * MilesToKm,
		WishBoost:     1.5,
		MaxBoost:      2.0,
		ZoneBufferKm:  1.0,
		CostLow:       300,
		CostHigh:      10000,
		HoldHours:     DefaultHoldHours,

		WorkingDayStart: DefaultWorkingHours.Start,
		WorkingDayEnd:   DefaultWorkingHours.End,

		SignOffWeeklyCost: DefaultSignOffWeeklyCost,
	}
}

// Validate reports every bad field of the policy as one invalid-input *Error.
func (p Policy) Validate() error {
	var fe []FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if p.Version < 0 {
		add("version", "must not be negative")
	}
	if p.Council != "" && !p.Council.Valid() {
		add("council", "must be empty (national) or the ONS code of an English upper-tier council")
	}
	for f := range p.Weights {
		if !f.Valid() {
			add("weights."+string(f), "is not a factor; factors are %v", Factors)
		}
	}
	weightsOK := true
	for _, f := range Factors {
		w, ok := p.Weights[f]
		switch {
		case !ok:
			add("weights."+string(f), "is missing: every factor needs a weight (0 turns it off)")
			weightsOK = false
		case !(w >= 0 && w <= MaxWeight): // NaN fails both
			add("weights."+string(f), "must be a number from 0 to %g", MaxWeight)
			weightsOK = false
		}
	}
	capOK := p.CostCap >= 0 && p.CostCap <= MaxCostCap
	if !capOK {
		add("cost_cap", "must be between 0 and %s", percent(MaxCostCap))
	}
	if weightsOK {
		if !(p.Weights.Sum() > 0) {
			add("weights", "must not all be 0")
		} else if share := p.Weights.Share(FactorCost); capOK && share > p.CostCap+1e-9 {
			add("weights.cost", "cost may carry at most %s of the total weight; it carries %s",
				percent(p.CostCap), percent(share))
		}
	}
	if !(p.CostMargin >= 0 && p.CostMargin <= MaxCostMargin) {
		add("cost_margin", "must be between 0 and %g", MaxCostMargin)
	}
	if !(p.MaxDistanceKm > 0 && p.MaxDistanceKm <= MaxDistanceLimitKm) {
		add("max_distance_km", "must be more than 0 and at most %g", MaxDistanceLimitKm)
	}
	boostOK := p.MaxBoost >= 1 && p.MaxBoost <= MaxBoostLimit
	if !boostOK {
		add("max_boost", "must be between 1 and %g", MaxBoostLimit)
	}
	if !(p.WishBoost >= 1 && p.WishBoost <= MaxBoostLimit) {
		add("wish_boost", "must be between 1 and %g", MaxBoostLimit)
	} else if boostOK && p.WishBoost > p.MaxBoost {
		add("wish_boost", "must not be more than max_boost (%g)", p.MaxBoost)
	}
	if !(p.ZoneBufferKm >= 0 && p.ZoneBufferKm <= MaxZoneBufferKm) {
		add("zone_buffer_km", "must be between 0 and %g", MaxZoneBufferKm)
	}
	if p.CostLow <= 0 {
		add("cost_low", "must be more than 0 pounds a week")
	}
	if p.CostHigh <= p.CostLow {
		add("cost_high", "must be more than cost_low")
	}
	if p.ChildLinkAge < 0 || p.ChildLinkAge > MaxChildLinkAge {
		add("child_link_min_age", "must be between 1 and %d years (0: the default, %d)", MaxChildLinkAge, DefaultChildLinkAge)
	}
	if len(p.ChildLanguages) > MaxChildLanguages {
		add("child_languages", "must be at most %d languages", MaxChildLanguages)
	}
	for i, id := range p.ChildLanguages {
		if !languageID.MatchString(id) || slices.Contains(p.ChildLanguages[:i], id) {
			add("child_languages", "must be the ids of the child's pages' languages (like en, en-easy, ur), each once: %q is not", id)
			break
		}
	}
	switch {
	case p.ChildLanguage != "" && !languageID.MatchString(p.ChildLanguage):
		add("child_language_default", "must be the id of one of the child's pages' languages (like en, en-easy, ur)")
	case p.ChildLanguage != "" && len(p.ChildLanguages) > 0 && !slices.Contains(p.ChildLanguages, p.ChildLanguage):
		add("child_language_default", "must be one of child_languages")
	}
	if p.SettlingWeeks < NoSettling || p.SettlingWeeks > MaxSettlingWeeks {
		add("settling_weeks", "must be from 0 to %d weeks (0: no back-up is held after a move)", MaxSettlingWeeks)
	}
	if p.HoldHours < 0 || p.HoldHours > MaxHoldHours {
		add("hold_hours", "must be between 1 and %d hours (0: the default, %d)", MaxHoldHours, DefaultHoldHours)
	}
	if !(p.SignOffWeeklyCost >= MinSignOffWeeklyCost && p.SignOffWeeklyCost <= MaxSignOffWeeklyCost) {
		add("sign_off_weekly_cost", "must be from %d to %d pounds a week", MinSignOffWeeklyCost, MaxSignOffWeeklyCost)
	}
	if p.WorkingDayStart != 0 || p.WorkingDayEnd != 0 {
		wp := newProblems()
		p.WorkingHours().check(wp)
		fe = append(fe, *wp.list...)
	}
	if len(fe) > 0 {
		return InvalidFields(fe)
	}
	return nil
}

// percent formats a share as a whole percentage, or with one decimal when it is not whole.
func percent(share float64) string {
	v := share * 100
	if math.Abs(v-math.Round(v)) < 0.05 {
		return fmt.Sprintf("%.0f%%", v)
	}
	return fmt.Sprintf("%.1f%%", v)
}

// Merge returns p with override's settings laid over it: the way a council's policy is built
// from the national default. A zero field in override inherits p's value; a weight present in
// override's map replaces p's weight for that factor (so an override may set a weight to 0).
// The result's Council and Version are override's when set. Validate the result: a merge may
// produce a policy that breaks the cost cap.
func (p Policy) Merge(override Policy) Policy {
	out := p
	out.Weights = make(Weights, len(p.Weights)+len(override.Weights))
	for f, w := range p.Weights {
		out.Weights[f] = w
	}
	for f, w := range override.Weights {
		out.Weights[f] = w
	}
	if override.Version != 0 {
		out.Version = override.Version
	}
	if override.Council != "" {
		out.Council = override.Council
	}
	setF := func(dst *float64, v float64) {
		if v != 0 {
			*dst = v
		}
	}
	setF(&out.CostCap, override.CostCap)
	setF(&out.CostMargin, override.CostMargin)
	setF(&out.MaxDistanceKm, override.MaxDistanceKm)
	setF(&out.WishBoost, override.WishBoost)
	setF(&out.MaxBoost, override.MaxBoost)
	setF(&out.ZoneBufferKm, override.ZoneBufferKm)
	if override.CostLow != 0 {
		out.CostLow = override.CostLow
	}
	if override.CostHigh != 0 {
		out.CostHigh = override.CostHigh
	}
	if override.HoldHours != 0 {
		out.HoldHours = override.HoldHours
	}
	if override.ChildLinkAge != 0 {
		out.ChildLinkAge = override.ChildLinkAge
	}
	if override.SettlingWeeks != 0 {
		out.SettlingWeeks = override.SettlingWeeks
	}
	if override.SignOffWeeklyCost != 0 {
		out.SignOffWeeklyCost = override.SignOffWeeklyCost
	}
	if override.WorkingDayStart != 0 || override.WorkingDayEnd != 0 {
		out.WorkingDayStart, out.WorkingDayEnd = override.WorkingDayStart, override.WorkingDayEnd
	}
	return out
}

// PolicyStore keeps every version of the scoring policy: the national one and councils' own.
// Policies are no secret: every role reads them, so no method applies a scope; only
// administrators change them, which the caller checks.
type PolicyStore interface {
	// Policy returns the policy in force for a council (its own latest version, or the latest
	// national one); an empty council asks for the national policy. ErrNotFound only when no
	// national policy is stored (the migrations store one).
	Policy(ctx context.Context, council CouncilCode) (PolicyVersion, error)
	// PolicyVersion returns one saved version, of any council: ErrNotFound when there is none.
	PolicyVersion(ctx context.Context, version int) (PolicyVersion, error)
	// ChangePolicy makes a change to the policy in force for its council, in one transaction
	// with the check that the policy in force is still the version the change was made from,
	// and saves the result as a new version of the council's own policy, audited as the
	// context's actor. ErrInvalid naming the field when the change (council, version, note) or
	// the policy it makes is not valid; ErrConflict, with nothing saved, when another change
	// was saved since the version was read: of two changes made from one version, one is saved.
	ChangePolicy(ctx context.Context, c PolicyChange) (PolicyVersion, error)
	// SavePolicy saves a whole policy as a new version (its Version is ignored), whatever was
	// saved before, audited: for seeding and tests, as it would undo a change saved meanwhile
	// (people use ChangePolicy). ErrInvalid naming the field when the policy or the note is
	// not valid.
	SavePolicy(ctx context.Context, p Policy, note string) (PolicyVersion, error)
	// PolicyHistory lists a council's own saved versions (empty: the national ones), newest
	// first: a page of at most ClampLimit(limit) before the version given (0: from the
	// newest), whose Next is the before of the following page.
	PolicyHistory(ctx context.Context, council CouncilCode, before, limit int) (Page[PolicyVersion], error)
}

// PolicyVersion is one saved version of a policy, with who saved it, when and why.
type PolicyVersion struct {
	Policy Policy // Policy.Version is the version number
	Note   string // why it was changed, in the saver's words
	By     TokenID
	At     time.Time
}

// PolicyChange is a change to the policy in force for a council (or, with no Council, to the
// national policy), made from the version its author read. Each setting given (non-nil)
// replaces the policy's; each weight named replaces that factor's, and the others keep theirs.
// The result is saved as a complete new version of the council's own policy (see Apply).
type PolicyChange struct {
	Council CouncilCode
	// Version is the version of the policy in force for Council that the change was made
	// from, as it was read: the council's own latest, or the national one it falls back to.
	// A change made from any other version is stale: it would undo a change saved since.
	Version int
	Weights Weights
	// The settings, each nil to keep the current value.
	CostCap, CostMargin, MaxDistanceKm, WishBoost, MaxBoost, ZoneBufferKm *float64
	CostLow, CostHigh                                                     *int
	HoldHours                                                             *int
	ChildLinkAge                                                          *int
	// SettlingWeeks is the settling period as people give it: 0 to MaxSettlingWeeks, 0 for
	// no hold (stored as NoSettling).
	SettlingWeeks                  *int
	ChildLanguages                 *[]string
	ChildLanguage                  *string
	SignOffWeeklyCost              *int
	WorkingDayStart, WorkingDayEnd *int // minutes after midnight
	// Note says why, for the record (at most MaxWordsLen bytes).
	Note string
}

// Validate checks what can be checked of a change without the policy it changes: the council,
// the version it was made from, and the note. Apply's result has its own Validate.
func (c PolicyChange) Validate() error {
	p := newProblems()
	if c.Council != "" && !c.Council.Valid() {
		p.add("council", "must be empty (national) or the ONS code of an English upper-tier council")
	}
	if c.Version <= 0 {
		p.add("version", "is required: the version of the policy you read (GET /v1/policy), so that a change saved since is not undone")
	}
	if c.SettlingWeeks != nil && (*c.SettlingWeeks < 0 || *c.SettlingWeeks > MaxSettlingWeeks) {
		p.add("settling_weeks", "must be from 0 to %d weeks (0: no back-up is held after a move)", MaxSettlingWeeks)
	}
	switch {
	case c.Note == "":
		p.add("note", "is required: say why the policy is changing, for the record")
	case len(c.Note) > MaxWordsLen:
		p.add("note", "must be at most %d characters", MaxWordsLen)
	}
	return p.err()
}

// Apply returns cur (the policy in force for the change's council) with the change made, as the
// council's own policy: its Council is the change's and its Version 0 (a new version). cur is
// not changed: the weights are copied.
func (c PolicyChange) Apply(cur Policy) Policy {
	out := cur
	out.Version, out.Council = 0, c.Council
	out.Weights = make(Weights, len(cur.Weights)+len(c.Weights))
	for f, w := range cur.Weights {
		out.Weights[f] = w
	}
	for f, w := range c.Weights {
		out.Weights[f] = w
	}
	for _, s := range []struct {
		dst *float64
		v   *float64
	}{{&out.CostCap, c.CostCap}, {&out.CostMargin, c.CostMargin}, {&out.MaxDistanceKm, c.MaxDistanceKm},
		{&out.WishBoost, c.WishBoost}, {&out.MaxBoost, c.MaxBoost}, {&out.ZoneBufferKm, c.ZoneBufferKm}} {
		if s.v != nil {
			*s.dst = *s.v
		}
	}
	if c.CostLow != nil {
		out.CostLow = *c.CostLow
	}
	if c.CostHigh != nil {
		out.CostHigh = *c.CostHigh
	}
	if c.HoldHours != nil {
		out.HoldHours = *c.HoldHours
	}
	if c.ChildLinkAge != nil {
		out.ChildLinkAge = *c.ChildLinkAge
	}
	if c.ChildLanguages != nil {
		out.ChildLanguages = slices.Clone(*c.ChildLanguages)
	}
	if c.ChildLanguage != nil {
		out.ChildLanguage = *c.ChildLanguage
	}
	if c.SettlingWeeks != nil {
		out.SettlingWeeks = SettlingWeeksSetting(*c.SettlingWeeks)
	}
	if c.SignOffWeeklyCost != nil {
		out.SignOffWeeklyCost = *c.SignOffWeeklyCost
	}
	if c.WorkingDayStart != nil || c.WorkingDayEnd != nil {
		wh := cur.WorkingHours()
		if c.WorkingDayStart != nil {
			wh.Start = *c.WorkingDayStart
		}
		if c.WorkingDayEnd != nil {
			wh.End = *c.WorkingDayEnd
		}
		out.WorkingDayStart, out.WorkingDayEnd = wh.Start, wh.End
	}
	return out
}
