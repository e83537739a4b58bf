package synth

import (
	"math"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Placement histories. Every child who is looked after gets the placements they have had since
// they came into care, each with the SSDA903 reason it ended; children waiting to come into
// care have none yet. The model, calibrated to the DfE and Children's Commissioner figures of
// DESIGN.md sections 1 and 7 (see the calibration test):
//
//   - Time in care. Some children came into care young and stayed (more of the younger ones);
//     the others came in recently, with an exponential time in care (mean 1.4 years).
//     Unaccompanied children arrived at 14 or over.
//   - Moves. Each child has a propensity to move: settled (most), unsettled or very unsettled,
//     more often unsettled as teenagers, with complex needs, or in a children's home, and more
//     often settled with kinship carers. Placements last an exponential time at the child's
//     rate, faster in their first year in care; many children come in through an emergency
//     placement that ends, as planned, within weeks.
//   - Reasons. The first emergency placement ends for the care plan; other moves of settled
//     children mostly for the care plan, those of unsettled children more often because the
//     carer or the child asked, or the council decided the placement no longer met their needs.
//     A few long placements change status only (PLACE): the same carer, one placement.
//   - Where. The current placement follows the child's assessed care type; earlier ones are
//     mostly foster homes, children's homes for more teenagers. The distance from home depends
//     on the setting (a children's home is often far); unaccompanied children have no home
//     address here, so their distance is unknown (DfE: 999.9). Placed kinship children live with
//     the kinship carers generated for them.
//   - School. A move far from home more often means a change of school.
//   - Reviews and check-ins. Unplanned moves in the last year have a review by the child's
//     independent reviewing officer, most already made; children who moved in the last six
//     months have checked in at some of the default plan's days, most feeling settled, some
//     less so over time.
const (
	emergencyDays = 30   // mean length of an emergency placement
	placeShare    = 0.04 // of placements longer than a year that change status only, midway
	newToCare     = 0.30 // of waiting children who are not yet looked after
	reviewedShare = 0.9  // of reviews of moves more than four weeks ago that have been made
	checkInMonths = 6    // children who moved this recently have check-ins
	checkInDone   = 0.7  // of the check-ins due that the child made
)

// moveModel holds the parameters of the model of moves, found by the search in
// TestTuneHistory (go test ./synth -run TuneHistory -tune) against the figures.
type moveModel struct {
	Emergency  float64    // of children who come into care through an emergency placement
	ShortTerm  float64    // of children whose first placement after coming in is short-term
	ShortYears float64    // the longest a short-term placement lasts, in years (the shortest 0.3)
	RecentCare float64    // mean time in care, in years, of children who did not come in young
	FirstYear  float64    // extra moves a year in the first year in care
	SecondYear float64    // and in the second, as the plan for the long term is made
	Rates      [3]float64 // moves a year of settled, unsettled and volatile children
	Weights    [3]float64 // how many children are each, before age, needs and care type
	Permanence float64    // how much likelier children with a long-term plan are settled
	LongStay   float64    // and children who came into care young and stayed
	PriorCare  float64    // of children who were in care before, went home, and came back
}

func defaultMoveModel() moveModel {
	return moveModel{
		Emergency: 0.52, ShortTerm: 0.77, ShortYears: 1.5, RecentCare: 3.08, FirstYear: 0.147, SecondYear: 0.1,
		Rates: [3]float64{0.0263, 0.9, 1.6}, Weights: [3]float64{60, 27.3, 7.76}, Permanence: 2.77, LongStay: 1.62, PriorCare: 0.05,
	}
}

// propensity is how prone a child is to move.
type propensity int

const (
	settled propensity = iota
	unsettled
	volatile
)

// draft is one placement being generated.
type draft struct {
	start, end time.Time
	reason     catalogue.ChangeReason
	setting    catalogue.Setting
	emergency  bool
	planned    bool // a short-term placement, to end as the care plan says
}

// histories generates the placement histories of the council's children.
func (g *gen) histories(units []unit) {
	for ui := range units {
		u := &units[ui]
		lead, li := -1, 0 // the current episode of the first of a sibling group in care, and they
		for i := u.first; i < u.first+u.n; i++ {
			n := len(g.out.batch.Episodes)
			g.history(u, i)
			if u.group == 0 || len(g.out.batch.Episodes) == n {
				continue
			}
			if cur := len(g.out.batch.Episodes) - 1; lead < 0 {
				lead, li = cur, i
			} else {
				g.liveWith(u, i, cur, li, lead)
			}
		}
	}
}

// Brothers and sisters in care living together, by the setting of the first of them: the
// chance that each other one planned to live with them does (siblingsApart). Kinship carers
// take the brothers and sisters they were assessed for (kinshipApart, in kinshipHousehold).
const (
	togetherFoster = 0.845
	togetherHome   = 0.45
	kinshipApart   = 0.15
)

// liveWith moves child ci, whose current episode is cur, into the current placement (episode
// lead) of their brother or sister li, with the chance of its setting, when the group is not
// planned apart and both were assessed for the same care (kinship carers are linked already).
func (g *gen) liveWith(u *unit, ci, cur, li, lead int) {
	eps := g.out.batch.Episodes
	e, l := &eps[cur], eps[lead]
	c, lc := &g.out.batch.Children[ci], &g.out.batch.Children[li]
	if u.plan == catalogue.PlanApart || c.CareType != lc.CareType || l.Setting == catalogue.SettingKinship || e.Setting == catalogue.SettingKinship {
		return
	}
	p := togetherFoster
	if !l.Setting.Fostering() {
		p = togetherHome
	}
	if !chance(g.r, p) {
		return
	}
	e.Setting, e.Placement, e.Provider, e.PlacedIn, e.DistanceKm = l.Setting, l.Placement, l.Provider, l.PlacedIn, l.DistanceKm
	e.StayingPut = stayingPutOf(c, e.Setting, g.today)
	if prev := &eps[cur-1]; cur > 0 && prev.Child == e.Child && prev.Reason == catalogue.ReasonStatusOnly {
		prev.Setting, prev.Placement, prev.Provider, prev.PlacedIn, prev.DistanceKm = e.Setting, e.Placement, e.Provider, e.PlacedIn, e.DistanceKm
	}
}

// kinshipOf is the kinship placement generated for child c of unit u, if c lives there.
func (g *gen) kinshipOf(u *unit, c *catalogue.Child) *catalogue.Placement {
	if u.kinship == 0 {
		return nil
	}
	pl := &g.out.batch.Placements[-int(u.kinship)-1]
	if !slices.Contains(pl.ConnectedTo, c.ID) {
		return nil
	}
	return pl
}

// yearsBetween is the time from a to b in years.
func yearsBetween(a, b time.Time) float64 { return b.Sub(a).Hours() / (24 * 365.25) }

// addYears is t plus y years, to the day.
func addYears(t time.Time, y float64) time.Time {
	return catalogue.Day(t.Add(time.Duration(y * 365.25 * 24 * float64(time.Hour))))
}

func (g *gen) history(u *unit, ci int) {
	r := g.r
	c := &g.out.batch.Children[ci]
	if c.Status == catalogue.ChildWaiting {
		p := newToCare
		switch {
		case u.uasc:
			p = 0.8
		case c.Purpose == catalogue.PurposeEmergency:
			p = 0.6
		}
		if chance(r, p) {
			return // coming into care now: no history yet
		}
	}
	age := yearsBetween(c.DateOfBirth, g.today)
	entry, stayed := g.careEntry(c, u.uasc, age)
	prop := g.propensity(c, u.uasc, stayed)

	// The placements of this period of care, from entry to today.
	spells := g.drafts[:0]
	t := entry
	interim := chance(r, g.moves.ShortTerm)
	for n := 0; ; n++ {
		d := draft{start: t}
		var years float64
		switch {
		case n == 0 && chance(r, g.moves.Emergency):
			d.emergency = true
			years = math.Max(2, r.ExpFloat64()*emergencyDays) / 365.25
		case interim:
			// A short-term placement while the plan for the long term is made: it ends, as
			// planned, when the child moves on (or sooner, if it breaks down).
			interim, d.planned = false, true
			years = math.Min(uniform(r, 0.3, g.moves.ShortYears), g.nextMove(g.moves.Rates[prop], yearsBetween(entry, t)))
		default:
			years = g.nextMove(g.moves.Rates[prop], yearsBetween(entry, t))
		}
		end := addYears(t, years)
		if !end.After(t) {
			end = t.AddDate(0, 0, 1)
		}
		if !end.Before(g.today) || n == 40 {
			spells = append(spells, d) // the current placement
			break
		}
		d.end = end
		d.reason = g.reason(prop, d.emergency || d.planned, catalogue.AgeOn(c.DateOfBirth, end))
		spells = append(spells, d)
		t = end
	}
	for i := range spells {
		cur := i == len(spells)-1
		spells[i].setting = g.setting(c, u.uasc, prop, catalogue.AgeOn(c.DateOfBirth, spells[i].start), cur)
	}
	g.drafts = spells[:0]

	// An earlier period of care, ended by going home as planned.
	if chance(r, g.moves.PriorCare) && yearsBetween(c.DateOfBirth, entry) > 2 {
		gap := between(r, 90, 700)
		end := entry.AddDate(0, 0, -gap)
		start := end.AddDate(0, 0, -between(r, 30, 600))
		if start.After(c.DateOfBirth) {
			setting := g.setting(c, u.uasc, prop, catalogue.AgeOn(c.DateOfBirth, start), false)
			g.episode(u, c, draft{start: start, end: end, reason: catalogue.ReasonCarePlan, setting: setting}, false, false)
		}
	}

	first := len(g.out.batch.Episodes)
	for i, d := range spells {
		cur := i == len(spells)-1
		// A long placement may change status midway (the same carer): two episodes, one placement.
		to := d.end
		if cur {
			to = g.today
		}
		if days := int(to.Sub(d.start).Hours() / 24); !d.emergency && days > 365 && chance(r, placeShare) {
			mid := d.start.AddDate(0, 0, between(r, 120, days-120))
			before := d
			before.end, before.reason = mid, catalogue.ReasonStatusOnly
			g.episode(u, c, before, cur, i > 0)
			e := g.out.batch.Episodes[len(g.out.batch.Episodes)-1]
			e.ID = catalogue.EpisodeID(-int64(len(g.out.batch.Episodes) + 1))
			e.Start, e.End, e.Reason, e.ChangedSchool = mid, d.end, d.reason, false
			g.out.batch.Episodes = append(g.out.batch.Episodes, e)
		} else {
			g.episode(u, c, d, cur, i > 0)
		}
	}
	if cur := spells[len(spells)-1]; c.Status == catalogue.ChildPlaced {
		c.NeededBy = cur.start // the day the current home was needed
	}
	g.reviews(g.out.batch.Episodes[first:])
	g.checkIns(c, &g.out.batch.Episodes[len(g.out.batch.Episodes)-1], prop)
}

// nextMove is the time in years to the child's next move, from a placement begun inCare years
// after they came into care: moves are a Poisson process at the child's rate, faster in their
// first and second years in care.
func (g *gen) nextMove(rate, inCare float64) float64 {
	r := g.r
	phases := [...]struct{ until, extra float64 }{{1, g.moves.FirstYear}, {2, g.moves.SecondYear}}
	at := inCare
	for _, ph := range phases {
		if at >= ph.until {
			continue
		}
		if y := r.ExpFloat64() / (rate + ph.extra); at+y < ph.until {
			return at + y - inCare
		}
		at = ph.until
	}
	return at + r.ExpFloat64()/rate - inCare
}

// careEntry is when the child's current period of care began, and whether they came in young
// and stayed.
func (g *gen) careEntry(c *catalogue.Child, uasc bool, age float64) (time.Time, bool) {
	r := g.r
	var years float64
	stayed := false
	switch {
	case uasc:
		years = math.Min(math.Max(0.02, age-14), r.ExpFloat64()*1.1)
	default:
		long := 0.35
		switch {
		case age < 5:
			long = 0.5
		case age < 12:
			long = 0.45
		case age >= 16:
			long = 0.3
		}
		if chance(r, long) {
			years, stayed = age*uniform(r, 0.55, 0.98), true
		} else {
			years = r.ExpFloat64() * g.moves.RecentCare
		}
		years = math.Min(years, age*0.995)
	}
	entry := addYears(g.today, -years)
	if !entry.Before(g.today) {
		entry = g.today.AddDate(0, 0, -1)
	}
	if entry.Before(c.DateOfBirth) {
		entry = c.DateOfBirth // a baby taken into care at birth (born today, today)
	}
	return entry, stayed
}

// propensity draws how prone the child is to move.
func (g *gen) propensity(c *catalogue.Child, uasc, stayed bool) propensity {
	w := g.moves.Weights
	age := c.AgeOn(g.today)
	switch {
	case age >= 13:
		w[1] *= 1.5
		w[2] *= 1.8
	case age < 5:
		w[1] *= 0.6
		w[2] *= 0.3
	}
	if cx := complexity(c); cx >= 6 {
		w[1] *= 1.6
		w[2] *= 2.5
	}
	switch c.CareType {
	case catalogue.CareChildrensHome, catalogue.CareEither:
		w[1] *= 1.3
		w[2] *= 1.6
	case catalogue.CareKinship:
		w[0] *= 1.5
	}
	if uasc {
		w[2] *= 0.5
	}
	if c.Purpose == catalogue.PurposeLongTerm {
		w[0] *= g.moves.Permanence // matched for the long term: a permanent home
	}
	if stayed {
		w[0] *= g.moves.LongStay
	}
	return propensity(choose(g.r, w[:]...))
}

// reason draws why a placement ended; planned says it was an emergency or short-term placement
// meant to end.
func (g *gen) reason(p propensity, planned bool, age int) catalogue.ChangeReason {
	r := g.r
	rs := []catalogue.ChangeReason{catalogue.ReasonCarePlan, catalogue.ReasonCarerBehaviour, catalogue.ReasonCarerOther,
		catalogue.ReasonChildRequest, catalogue.ReasonAuthority, catalogue.ReasonStandards, catalogue.ReasonAllegation,
		catalogue.ReasonClosure, catalogue.ReasonApprovalRemoved, catalogue.ReasonCustody, catalogue.ReasonOther}
	var w []float64
	switch {
	case planned:
		w = []float64{86, 1, 5, 1, 4, 0, 0, 0, 0, 0, 3}
	case p == settled:
		w = []float64{56, 7, 11, 6, 6, 2, 2, 6, 1, 0, 3}
	default:
		w = []float64{30, 25, 10, 13, 10, 3, 3, 2, 1, 2, 1}
	}
	if age < 12 {
		w[9] = 0 // custody
	}
	return rs[choose(r, w...)]
}

// setting draws where the child lived: the current placement from their assessed care type,
// earlier ones by age.
func (g *gen) setting(c *catalogue.Child, uasc bool, p propensity, age int, current bool) catalogue.Setting {
	r := g.r
	foster := func() catalogue.Setting {
		if chance(r, 0.53) {
			return catalogue.SettingCouncilFoster
		}
		return catalogue.SettingAgencyFoster
	}
	if current {
		switch c.CareType {
		case catalogue.CareKinship:
			return catalogue.SettingKinship
		case catalogue.CareChildrensHome:
			return catalogue.SettingChildrensHome
		case catalogue.CareSupported:
			if age >= 16 {
				return catalogue.SettingSupported
			}
		case catalogue.CareEither:
			if chance(r, 0.45) {
				return catalogue.SettingChildrensHome
			}
		}
		return foster()
	}
	switch {
	case age < 12:
		switch x := r.Float64(); {
		case x < 0.1:
			return catalogue.SettingKinship
		case x < 0.12:
			return catalogue.SettingChildrensHome
		}
		return foster()
	case age < 16:
		home := 0.22
		if p == volatile {
			home = 0.45
		}
		switch x := r.Float64(); {
		case x < home:
			return catalogue.SettingChildrensHome
		case x < home+0.07 && !uasc:
			return catalogue.SettingKinship
		case x < home+0.09:
			return catalogue.SettingSecure
		}
		return foster()
	}
	switch x := r.Float64(); {
	case x < 0.35:
		return catalogue.SettingSupported
	case x < 0.6:
		return catalogue.SettingChildrensHome
	case x < 0.65:
		return catalogue.SettingOther
	}
	return foster()
}

// farShare is the share of placements of a setting more than 20 miles from home.
func farShare(s catalogue.Setting) float64 {
	switch s {
	case catalogue.SettingCouncilFoster:
		return 0.09
	case catalogue.SettingAgencyFoster:
		return 0.27
	case catalogue.SettingKinship:
		return 0.13
	case catalogue.SettingChildrensHome:
		return 0.52
	case catalogue.SettingSupported:
		return 0.24
	case catalogue.SettingSecure:
		return 0.8
	}
	return 0.3
}

const twentyMilesKm = 20 * catalogue.MilesToKm

// distance draws how far from home a placement of a setting is.
func (g *gen) distance(s catalogue.Setting) float64 {
	r := g.r
	if chance(r, farShare(s)) {
		return twentyMilesKm + 0.5 + math.Min(380, r.ExpFloat64()*38)
	}
	return math.Min(twentyMilesKm-0.5, 0.4+r.ExpFloat64()*6)
}

// stayingPutOf is where a fostered young person's current placement stands on Staying Put on
// day today, taken from the child's ID so that no draw of the generator changes: of those aged
// 16 or 17, about 55% with carers willing (agreed by 17), 25% not willing, 20% not yet asked;
// about the share of fostered care leavers who stay put at 18 (DfE, children looked after in
// England, 2024). Empty for younger children and outside foster care.
func stayingPutOf(c *catalogue.Child, s catalogue.Setting, today time.Time) catalogue.StayingPut {
	age := catalogue.AgeOn(c.DateOfBirth, today)
	if !s.Fostering() || age < catalogue.StayingPutAge || age >= 18 {
		return catalogue.StayingPutUnrecorded
	}
	switch k := uint64(c.ID) * 2654435761 % 20; {
	case k < 11 && age == 17:
		return catalogue.StayingPutAgreed
	case k < 11:
		return catalogue.StayingPutWilling
	case k < 16:
		return catalogue.StayingPutNotWilling
	}
	return catalogue.StayingPutUnrecorded
}

// episode writes one episode of the child. current says it is the child's current placement
// (the one kinship carers were generated for), move that it began with a move from another.
func (g *gen) episode(u *unit, c *catalogue.Child, d draft, current, move bool) {
	r, p := g.r, g.p
	e := catalogue.Episode{
		ID: catalogue.EpisodeID(-int64(len(g.out.batch.Episodes) + 1)), Child: c.ID, Council: c.Council,
		Start: d.start, End: d.end, Reason: d.reason, Setting: d.setting, DistanceKm: catalogue.UnknownDistance,
	}
	if current && d.end.IsZero() {
		e.StayingPut = stayingPutOf(c, d.setting, g.today)
	}
	km := g.distance(d.setting)
	loc := offset(c.Home, km, r.Float64()*2*math.Pi)
	if pl := g.kinshipOf(u, c); current && pl != nil && d.setting == catalogue.SettingKinship {
		e.Placement, e.Provider, loc = pl.ID, pl.Provider, pl.Location
		km = catalogue.DistanceKm(c.Home, loc)
	} else {
		e.Provider = g.episodeProvider(d.setting)
	}
	where := p
	if flatKm(loc, p.c.Centre) > p.radiusKm {
		where = g.w.councilAt(loc)
	}
	e.PlacedIn = where.c.Code
	if !u.uasc {
		e.DistanceKm = math.Round(km*100) / 100
	}
	if move {
		age := catalogue.AgeOn(c.DateOfBirth, d.start)
		if age >= 5 && age <= 15 {
			change := 0.08
			switch {
			case km > twentyMilesKm:
				change = 0.8
			case km > 13:
				change = 0.4
			}
			e.ChangedSchool = chance(r, change)
		}
	}
	g.out.batch.Episodes = append(g.out.batch.Episodes, e)
}

// episodeProvider is who provided a placement in a setting, from the council's own providers.
func (g *gen) episodeProvider(s catalogue.Setting) catalogue.ProviderID {
	r, p := g.r, g.p
	switch s {
	case catalogue.SettingCouncilFoster, catalogue.SettingKinship:
		return g.out.provider(p.fosterProvider)
	case catalogue.SettingAgencyFoster:
		if p.agencies.len() > 0 {
			return g.out.provider(p.agencies.pick(r))
		}
	case catalogue.SettingChildrensHome:
		if chance(r, councilHomes) {
			return g.out.provider(p.residentialProvider)
		}
		if p.homeOperators.len() > 0 {
			return g.out.provider(p.homeOperators.pick(r))
		}
	case catalogue.SettingSupported:
		if p.supportedProviders.len() > 0 {
			return g.out.provider(p.supportedProviders.pick(r))
		}
	}
	return 0
}

// reviews adds the reviews of the unplanned moves among one child's episodes (in order) that
// happened in the last year: most of those more than four weeks ago have been made.
func (g *gen) reviews(eps []catalogue.Episode) {
	r := g.r
	yearAgo := g.today.AddDate(-1, 0, 0)
	outcomes := []catalogue.ReviewOutcome{catalogue.OutcomeSatisfied, catalogue.OutcomeConcerns, catalogue.OutcomeChallenged}
	for i, e := range eps {
		if e.End.IsZero() || !e.Reason.NeedsReview() || !e.End.After(yearAgo) {
			continue
		}
		mr := catalogue.MoveReview{Episode: e.ID, Note: pickOne(r, moveNotes(e.Reason))}
		if i+1 < len(eps) && eps[i+1].Start.Equal(e.End) {
			mr.Next = eps[i+1].ID
		}
		if g.today.Sub(e.End) > 28*24*time.Hour && chance(r, reviewedShare) {
			mr.ReviewedAt = e.End.AddDate(0, 0, between(r, 5, 28)).Add(time.Duration(9+r.IntN(8)) * time.Hour)
			if !mr.ReviewedAt.Before(g.today) {
				mr.ReviewedAt = g.today.AddDate(0, 0, -1).Add(11 * time.Hour)
			}
			mr.Outcome = outcomes[choose(r, 74, 21, 5)]
			mr.ChildSpokenTo = chance(r, 0.8)
			switch {
			case mr.Outcome != catalogue.OutcomeSatisfied:
				mr.Findings = pickOne(r, concernFindings())
			case chance(r, 0.5):
				mr.Findings = pickOne(r, satisfiedFindings())
			}
		}
		g.out.batch.MoveReviews = append(g.out.batch.MoveReviews, mr)
	}
}

// checkIns adds the check-ins of a child who moved in the last six months, at the days of the
// default plan: most answered, a few skipped; most children settled, some less so each time.
func (g *gen) checkIns(c *catalogue.Child, cur *catalogue.Episode, p propensity) {
	r := g.r
	if !cur.End.IsZero() || cur.Start.Before(g.today.AddDate(0, -checkInMonths, 0)) || c.AgeOn(g.today) < 6 {
		return
	}
	level := [...]float64{4.2, 3.5, 2.9}[p]
	drift := 0.1
	if chance(r, 0.15) {
		drift = -0.7 // things are getting worse
	}
	way := catalogue.WayWords
	if c.AgeOn(g.today) < 11 || chance(r, 0.25) {
		way = catalogue.WayFaces
	}
	plan := catalogue.DefaultCheckInPlan(c.ID, c.Council)
	k := 0
	for d := range plan.DueDays(cur.Start) {
		if d.After(g.today) {
			break
		}
		if !chance(r, checkInDone) {
			continue
		}
		at := d.AddDate(0, 0, r.IntN(3)).Add(time.Duration(15*60+r.IntN(300)) * time.Minute)
		if at.After(g.today.Add(20 * time.Hour)) {
			continue
		}
		ci := catalogue.CheckIn{Episode: cur.ID, At: at, Way: way}
		for _, q := range catalogue.Questions {
			if chance(r, 0.08) {
				continue // skipped
			}
			v := level + float64(k)*drift + r.NormFloat64()*0.6
			if q == catalogue.QuestionSafe {
				v += 0.4
			}
			ci.SetAnswer(q, catalogue.Answer(math.Max(1, math.Min(5, math.Round(v)))))
		}
		if chance(r, 0.25) {
			ci.WouldHelp = pickOne(r, wouldHelp())
		}
		if ci.Empty() {
			ci.Settled = catalogue.AnswerSortOf
		}
		g.out.batch.CheckIns = append(g.out.batch.CheckIns, ci)
		k++
	}
}

func moveNotes(reason catalogue.ChangeReason) []string {
	switch reason {
	case catalogue.ReasonCarerBehaviour:
		return []string{"The carers gave notice after repeated incidents at night.",
			"Placement ended after the carers asked for a move following an assault on their son.",
			"Carers felt unable to keep the young person safe after several missing episodes."}
	case catalogue.ReasonCarerOther:
		return []string{"The carer's health has worsened; she asked for the placement to end.",
			"The carers are moving abroad for work.", "The carers asked for a break after a family bereavement."}
	case catalogue.ReasonChildRequest:
		return []string{"Asked to move nearer to their mum and their school.", "Said they did not feel part of the family and asked to move.",
			"Asked to move after falling out with another young person in the home."}
	case catalogue.ReasonAuthority:
		return []string{"The placement could not meet the therapeutic needs assessed in the latest review.",
			"The home could not keep the young person away from those exploiting them."}
	case catalogue.ReasonStandards:
		return []string{"Concerns about supervision at the home were raised by the visiting social worker."}
	case catalogue.ReasonAllegation:
		return []string{"Moved while an allegation against a member of the household is investigated."}
	case catalogue.ReasonClosure:
		return []string{"The carers resigned after twenty years of fostering.", "The provider closed the home."}
	case catalogue.ReasonApprovalRemoved:
		return []string{"The fostering panel ended the carers' approval."}
	case catalogue.ReasonCustody:
		return []string{"Remanded to a young offender institution."}
	}
	return []string{"Moved at short notice; see the case notes."}
}

func concernFindings() []string {
	return []string{
		"No disruption meeting was held before the move; one has been requested.",
		"The child was told on the day and did not meet the new carers first.",
		"The move took the child out of their school; a plan to keep the school place has been asked for.",
		"Contact with brothers and sisters has not been kept up since the move.",
		"The care plan was not updated before the move; the team manager has been asked to review it.",
	}
}

func satisfiedFindings() []string {
	return []string{
		"The move was discussed with the child, who agreed with it.",
		"The child met the new carers before moving and kept their school.",
		"A disruption meeting was held and its actions are in hand.",
	}
}

func wouldHelp() []string {
	return []string{"Seeing my mum more", "Having my own room", "Getting my bike here", "Going to my old school",
		"Someone to talk to", "More time with my brother", "Knowing how long I will stay", "Football on Saturdays",
		"My phone back", "Seeing my friends", "Nothing, it's good here"}
}
