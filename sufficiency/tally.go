package sufficiency

import (
	"math/bits"
	"slices"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// The counts of children (and sibling groups) each row of a report holds. Every one is
// suppressed below 5.
const (
	mWaiting     = iota // children looking for a home
	mTwo                // with two or more real choices
	mOne                // with one
	mNone               // with none
	mMatched            // given a primary placement by the joint match
	mBackup             // given a back-up too
	mUnmatched          // given none
	mWithin20           // matched, the primary within 20 miles of home
	mBeyond20           // matched, beyond 20 miles
	mHomeUnknown        // matched, with no home location recorded
	mInside             // matched, inside their own council's area
	mOutside            // matched, outside it
	// The DfE's combined indicator (children looked after statistics: "placed outside the LA
	// boundary and more than 20 miles from home"), with the two counts that make it part of
	// both "outside the council" and "over 20 miles": outside and not over 20 miles (within 20
	// miles, or home not recorded), inside and over 20 miles. Inside and not over 20 miles is
	// what is left of the placed: no count of its own.
	mOutBeyond   // matched, outside their council and over 20 miles from home
	mOutNear     // matched, outside their council, within 20 miles or home not recorded
	mInBeyond    // matched, inside their council, over 20 miles from home
	mSibWaiting  // children waiting with brothers and sisters to live together
	mSibTogether // their whole group has one primary placement
	mSibApart    // some of their group are matched, not all in one home
	mSibUnplaced // none of their group is matched
	mGroups      // sibling groups waiting to live together (area rows only)
	mGroupsTogether
	mGroupsApart
	mGroupsUnplaced
	mRuledOut                                    // + constraint: short of two choices, and the constraint ruled out a placement for them
	mOnly     = mRuledOut + scoring.NConstraints // + constraint: short of two choices, and the constraint alone kept a placement from them
	nCount    = mOnly + scoring.NConstraints
)

// partitions are the totals a row's counts add up to: the first of each is the total of the
// rest. Suppression keeps any of them from giving away a withheld count.
var partitions = [][]int{
	{mWaiting, mTwo, mOne, mNone},
	{mWaiting, mMatched, mUnmatched},
	{mMatched, mWithin20, mBeyond20, mHomeUnknown},
	{mMatched, mInside, mOutside},
	{mOutside, mOutBeyond, mOutNear},
	{mBeyond20, mOutBeyond, mInBeyond},
	{mSibWaiting, mSibTogether, mSibApart, mSibUnplaced},
	{mGroups, mGroupsTogether, mGroupsApart, mGroupsUnplaced},
}

// groupMetric reports whether m counts sibling groups, which only area rows (DimAll) hold.
func groupMetric(m int) bool { return m >= mGroups && m <= mGroupsUnplaced }

// ruledOutCounted reports whether the "ruled out" count is kept for constraint i. Distance and
// kinship carers assessed for other children rule out placements for every child (there is
// always a home more than 50 miles away), so they say nothing there; distance is counted as an
// only obstacle instead.
func ruledOutCounted(i int) bool {
	c := scoring.Constraints[i]
	return c != scoring.ConstraintMaxDistance && c != scoring.ConstraintKinshipConnection
}

// Capacity is the Ofsted-style count of places (approved, filled, held by an offer, vacant,
// not available) of the placements in an area. Places are not personal data: never suppressed.
type Capacity struct {
	Placements   int
	Approved     int // approval numbers (active placements and those closed or suspended)
	Filled       int // children living there
	Held         int // promised by an offer that is out
	Vacant       int // available places (of active placements), whatever their date
	NotAvailable int // the rest: carers on a break, rooms closed, placements suspended
}

func (c *Capacity) add(o Capacity) {
	c.Placements += o.Placements
	c.Approved += o.Approved
	c.Filled += o.Filled
	c.Held += o.Held
	c.Vacant += o.Vacant
	c.NotAvailable += o.NotAvailable
}

func capacityOf(p *catalogue.Placement) Capacity {
	c := Capacity{Placements: 1, Approved: p.Approval.MaxChildren}
	for _, m := range p.Household.Members {
		if m.Role == catalogue.MemberPlacedChild {
			c.Filled++
		}
	}
	for _, v := range p.Vacancies {
		switch v.Status {
		case catalogue.VacancyFilled:
			c.Filled++
		case catalogue.VacancyHeld:
			c.Held++
		case catalogue.VacancyAvailable:
			if p.Active {
				c.Vacant++
			}
		}
	}
	c.NotAvailable = max(0, c.Approved-c.Filled-c.Held-c.Vacant)
	return c
}

// tally is the raw (unsuppressed) content of a report: a row per area and breakdown.
type tally struct {
	areas  *areaIndex
	v      []int32   // (row*nCount + metric)
	score  []float64 // per row: sum of the primary placements' scores, over matched children
	cost   []int64   // per row: sum of the primary placements' weekly costs
	nsuit  []int64   // per row: sum over children of their suitable placements
	suit   [][]uint64
	places []int // per row: available places of the placements suitable for a child of the row
	homes  []int // per row: those placements
	// Area rows only.
	capacity [][nKinds]Capacity // by kind, in the order of catalogue.PlacementKinds
	stab     [][]Indicator
	// Leaving care: the young people in care turning 18 within two years (children: suppressed),
	// and the foster and kinship households in the area willing to offer Staying Put, with their
	// places (supply: never suppressed).
	turning []int32
	// unregistered: the children living in settings not registered with Ofsted (suppressed).
	unregistered []int32
	// spEligible: the fostered young people of 16 and 17; spWilling: of them, those whose own
	// carers are willing; stayClose: those in children's homes (all children: suppressed).
	spEligible, spWilling, stayClose []int32
	spHomes                          []int
	spPlaces                         []int
	// own is each area's own and external foster supply (see tallyOwnSupply).
	own []OwnSupply
	// local lists the withheld figures no certified change protects (see protect): the DfE's
	// rule protects them.
	local []int
	// dfe lists the figures withheld under the DfE's rule alone: local, and those secondaryDfE
	// added for them.
	dfe []int
	// certificates are the changes protect chose: each withheld figure is in the support of one
	// (the tests check each against the relations).
	certificates [][3]axisMove
	// knownAreas marks the areas whose figures the report's reader already knows and sees
	// unwithheld (see Report.For), and known the figures they know (knownAlongAreas). Nil for
	// the published report.
	knownAreas, known []bool
}

// knownCell reports whether the reader knows figure c.
func (t *tally) knownCell(c int) bool {
	return t.known != nil && t.known[c]
}

// knowing marks the figures of the tally a reader who knows the areas marked in areas knows
// (nil: none): see knownAlongAreas.
func (t *tally) knowing(areas []bool) {
	if areas != nil {
		t.knownAreas, t.known = areas, knownAlongAreas(t.areas, t.v, nBreakdowns*nCount, areas)
	}
}

func rowOf(area, b int) int { return area*nBreakdowns + b }

func (t *tally) at(row, m int) int32 { return t.v[row*nCount+m] }

func (t *tally) add(row, m int, n int32) { t.v[row*nCount+m] += n }

// childOutcome is one child's part in the report.
type childOutcome struct {
	child    *catalogue.Child
	cls      class
	choices  int
	primary  *catalogue.Placement
	backup   bool
	score    float64
	sibling  int // 0: not in a group to live together; else mSibTogether, mSibApart or mSibUnplaced
	ev       *eval
	suitable []int32
}

// outcomes lists the outcome of every child looking for a home, in the order of Input.Children.
func (a *analysis) outcomes() []childOutcome {
	var out []childOutcome
	byChild := map[int]int{}
	type grp struct {
		primaries []catalogue.PlacementID
		members   []int
	}
	groups := map[*unit]*grp{}
	for i, m := range a.matched {
		for k, ci := range m.children() {
			as := a.assign[i]
			if as.Apart != nil && k < len(as.Apart) {
				as = as.Apart[k] // the group was matched child by child
			}
			c := &a.in.Children[ci]
			together := max(1, len(m.u.req.Group))
			o := childOutcome{child: c, cls: classify(c, together, a.day), choices: m.ev.choices(), ev: m.ev, suitable: m.ev.suitable}
			if as.Primary != 0 {
				o.primary, _ = a.snap.Placement(as.Primary)
				o.score = as.PrimaryScore
				o.backup = as.Backup != 0
			}
			byChild[ci] = len(out)
			out = append(out, o)
			if together > 1 {
				g := groups[m.u]
				if g == nil {
					g = &grp{}
					groups[m.u] = g
				}
				g.primaries = append(g.primaries, as.Primary)
				g.members = append(g.members, ci)
			}
		}
	}
	for _, g := range groups {
		outcome := siblingOutcome(g.primaries)
		for _, ci := range g.members {
			out[byChild[ci]].sibling = outcome
		}
	}
	slices.SortFunc(out, func(x, y childOutcome) int { return int(x.child.ID - y.child.ID) })
	return out
}

// siblingOutcome classifies a group by its members' primary placements.
func siblingOutcome(primaries []catalogue.PlacementID) int {
	placed := 0
	for _, p := range primaries {
		if p != 0 {
			placed++
		}
	}
	switch {
	case placed == 0:
		return mSibUnplaced
	case placed == len(primaries) && !slices.ContainsFunc(primaries, func(p catalogue.PlacementID) bool { return p != primaries[0] }):
		return mSibTogether
	}
	return mSibApart
}

// nKinds is len(catalogue.PlacementKinds).
const nKinds = 5

// miles20 is 20 miles in kilometres: the DfE's distance indicator.
const miles20 = 20 * catalogue.MilesToKm

// tallyAll sums every child's outcome, the supply and the capacity into rows.
func (a *analysis) tallyAll() *tally {
	nAreas := len(a.areas.list)
	rows := nAreas * nBreakdowns
	t := &tally{
		areas: a.areas, v: make([]int32, rows*nCount), score: make([]float64, rows), cost: make([]int64, rows), nsuit: make([]int64, rows),
		suit: make([][]uint64, rows), places: make([]int, rows), homes: make([]int, rows),
		capacity: make([][nKinds]Capacity, nAreas), stab: make([][]Indicator, nAreas),
		turning: make([]int32, nAreas), unregistered: make([]int32, nAreas), spHomes: make([]int, nAreas), spPlaces: make([]int, nAreas),
		own:        make([]OwnSupply, nAreas),
		spEligible: make([]int32, nAreas), spWilling: make([]int32, nAreas), stayClose: make([]int32, nAreas),
	}
	words := (len(a.ps) + 63) / 64
	outs := a.outcomes()
	for i := range outs {
		o := &outs[i]
		areas, ok := a.areas.of(o.child.Council)
		if !ok {
			continue
		}
		for _, ar := range areas {
			for _, b := range o.cls {
				a.countChild(t, rowOf(ar, b), o, words)
			}
		}
	}
	// Sibling groups, in the area rows of the lead child's council.
	for i, m := range a.matched {
		u := m.u
		if len(u.req.Group) < 2 || (m.member > 0) {
			continue
		}
		var primaries []catalogue.PlacementID
		if m.member < 0 {
			for k := range u.members {
				p := a.assign[i].Primary
				if ap := a.assign[i].Apart; ap != nil && k < len(ap) {
					p = ap[k].Primary
				}
				primaries = append(primaries, p)
			}
		} else {
			for k := range u.members {
				primaries = append(primaries, a.assign[i+k].Primary)
			}
		}
		areas, ok := a.areas.of(u.req.Child.Council)
		if !ok {
			continue
		}
		outcome := siblingOutcome(primaries) - mSibTogether + mGroupsTogether
		for _, ar := range areas {
			t.add(rowOf(ar, 0), mGroups, 1)
			t.add(rowOf(ar, 0), outcome, 1)
		}
	}
	// Suitable supply: the available places of the placements suitable for a child of the row.
	for r, bs := range t.suit {
		for w, word := range bs {
			for word != 0 {
				pos := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				t.homes[r]++
				t.places[r] += availablePlaces(&a.ps[pos])
			}
		}
	}
	t.suit = nil
	// Capacity, where the placements are.
	for i := range a.in.Placements {
		p := &a.in.Placements[i]
		areas, ok := a.areas.of(p.Council)
		k := slices.Index(catalogue.PlacementKinds, p.Kind)
		if !ok || k < 0 {
			continue
		}
		c := capacityOf(p)
		stays := p.Active && p.OffersStayingPut()
		for _, ar := range areas {
			t.capacity[ar][k].add(c)
			if stays {
				t.spHomes[ar]++
				t.spPlaces[ar] += p.Approval.MaxChildren
			}
		}
	}
	a.tallyStability(t)
	a.tallyTurning(t)
	a.tallyByCouncil(t.unregistered, a.in.Unregistered)
	a.tallyLeaving(t)
	a.tallyOwnSupply(t)
	return t
}

func (a *analysis) countChild(t *tally, row int, o *childOutcome, words int) {
	t.add(row, mWaiting, 1)
	switch o.choices {
	case 0:
		t.add(row, mNone, 1)
	case 1:
		t.add(row, mOne, 1)
	default:
		t.add(row, mTwo, 1)
	}
	if o.primary == nil {
		t.add(row, mUnmatched, 1)
	} else {
		t.add(row, mMatched, 1)
		if o.backup {
			t.add(row, mBackup, 1)
		}
		beyond := false
		switch {
		case o.child.Home.IsZero():
			t.add(row, mHomeUnknown, 1)
		case catalogue.DistanceKm(o.child.Home, o.primary.Location) <= miles20:
			t.add(row, mWithin20, 1)
		default:
			t.add(row, mBeyond20, 1)
			beyond = true
		}
		inside := o.primary.Council == o.child.Council
		switch {
		case inside && beyond:
			t.add(row, mInside, 1)
			t.add(row, mInBeyond, 1)
		case inside:
			t.add(row, mInside, 1)
		case beyond:
			t.add(row, mOutside, 1)
			t.add(row, mOutBeyond, 1)
		default:
			t.add(row, mOutside, 1)
			t.add(row, mOutNear, 1)
		}
		t.score[row] += o.score
		t.cost[row] += int64(o.primary.WeeklyCost)
	}
	if o.sibling != 0 {
		t.add(row, mSibWaiting, 1)
		t.add(row, o.sibling, 1)
	}
	if o.ev.short() {
		for _, r := range o.ev.shortfall.Rejected {
			if i := constraintIndex(r.Constraint); i >= 0 && r.Count > 0 && ruledOutCounted(i) {
				t.add(row, mRuledOut+i, 1)
			}
		}
		for i, n := range o.ev.only {
			if n > 0 {
				t.add(row, mOnly+i, 1)
			}
		}
	}
	t.nsuit[row] += int64(len(o.suitable))
	if len(o.suitable) > 0 {
		if t.suit[row] == nil {
			t.suit[row] = make([]uint64, words)
		}
		bs := t.suit[row]
		for _, pos := range o.suitable {
			bs[pos/64] |= 1 << (pos % 64)
		}
	}
}

// availablePlaces counts a placement's available places, whatever their date.
func availablePlaces(p *catalogue.Placement) int {
	n := 0
	for _, v := range p.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			n++
		}
	}
	return n
}

// tallyStability sums each council's indicators into its region and England.
func (a *analysis) tallyStability(t *tally) {
	if a.in.Stability == nil {
		return
	}
	codes := make([]catalogue.CouncilCode, 0, len(a.in.Stability))
	for c := range a.in.Stability {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, code := range codes {
		areas, ok := a.areas.of(code)
		if !ok {
			continue
		}
		for _, ind := range a.in.Stability[code] {
			for _, ar := range areas {
				j := slices.IndexFunc(t.stab[ar], func(x Indicator) bool { return x.Name == ind.Name })
				if j < 0 {
					t.stab[ar] = append(t.stab[ar], Indicator{Name: ind.Name, Label: ind.Label})
					j = len(t.stab[ar]) - 1
				}
				t.stab[ar][j].Count += ind.Count
				t.stab[ar][j].Denominator += ind.Denominator
			}
		}
	}
}

// tallyTurning sums each council's young people turning 18 into its region and England.
func (a *analysis) tallyTurning(t *tally) { a.tallyByCouncil(t.turning, a.in.TurningEighteen) }

// tallyLeaving sums each council's young people of 16 and 17 by their current placement into
// its region and England.
func (a *analysis) tallyLeaving(t *tally) {
	for code, l := range a.in.Leaving {
		areas, ok := a.areas.of(code)
		if !ok {
			continue
		}
		for _, ar := range areas {
			t.spEligible[ar] += int32(l.StayingPutEligible)
			t.spWilling[ar] += int32(l.StayingPutWilling)
			t.stayClose[ar] += int32(l.StayingClose)
		}
	}
}

// tallyByCouncil sums a count given by council into each council's areas: itself, its region
// and England.
func (a *analysis) tallyByCouncil(into []int32, by map[catalogue.CouncilCode]int) {
	for code, n := range by {
		areas, ok := a.areas.of(code)
		if !ok {
			continue
		}
		for _, ar := range areas {
			into[ar] += int32(n)
		}
	}
}
