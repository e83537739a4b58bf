package sufficiency

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Referral figures: what commissioners learn from the providers' answers to referrals sent in
// the year to the day of the report (ReferralWindow). For every area (England, each region and
// council: the referring child's council) the report counts referrals and their answers
// (accepted, declined, not answered: expired or withdrawn first), all of them, by the kind of
// home and by each of the child's needs (a referral counts under every need the child has);
// for England, by provider as well. From one child's referrals in the year it counts the
// child's real choices among them (the homes whose provider agreed: none, one, two or more),
// and the time from the child's first referral to the first acceptance (median and 90th
// percentile, in days, by the kind of the home that accepted), and, for those who have since
// moved into a home, the time from the first referral to the move. Accepted fees are set against
// the child's council's framework price for the kind of home (catalogue.FrameworkPrice): the
// median fee as a share of the price, and how many fees were above it.
//
// Referrals are about children: every count is withheld from 1 to 4, and secondary suppression
// follows the DfE's rule (secondaryDfE) over the relations the figures have: England is its
// regions and a region its councils, column by column; all referrals are those of each kind
// of home, and England's are those of each provider; referrals are those accepted, declined
// and not answered; children referred are those with no, one and two or more homes agreed;
// children with an acceptance are those of each kind; fees compared are those above the price
// and the rest; children referred are those who have since moved into a home and those who have
// not (a count never shown, withheld as the others are, so that the two shown cannot give it
// away). Medians and percentiles are withheld with their counts.

// ReferralWindow is how far back the report reads referrals: the year to its day.
const ReferralWindow = 365 * 24 * time.Hour

// ReferralSource reads what the referral figures need (the store satisfies it): the facts of
// the referrals sent since a time (catalogue.ReferralHistoryStore) and the framework prices
// (catalogue.FrameworkPriceStore).
type ReferralSource interface {
	ReferralFacts(ctx context.Context, since time.Time) ([]catalogue.ReferralFact, error)
	FrameworkPrices(ctx context.Context, council catalogue.CouncilCode) ([]catalogue.FrameworkPrice, error)
}

// ReferralRate is one group's referrals and their answers.
type ReferralRate struct {
	Key, Label                              string
	Referrals, Accepted, Declined, NoAnswer Figure
	AcceptedPct, DeclinedPct                Figure // of referrals
}

// ReferralTiming is how long children waited from their first referral to the first acceptance.
type ReferralTiming struct {
	Key, Label string // "all", or the kind of the home that accepted
	Children   Figure // children with an acceptance
	MedianDays Figure
	P90Days    Figure
}

// ReferralFigures are one area's referral figures.
type ReferralFigures struct {
	All    ReferralRate
	ByKind []ReferralRate // every kind of home, in catalogue.PlacementKinds order
	ByNeed []ReferralRate // every need, in catalogue.NeedKinds order
	// Children referred in the year, and how many homes agreed to each: their real choices
	// among past referrals (only agreed homes count).
	Children, NoneAgreed, OneAgreed, TwoAgreed Figure
	TwoAgreedPct, NoneAgreedPct                Figure // of children referred
	FirstAcceptance                            []ReferralTiming
	// ToPlacement is the time waited from referral to placement: of the children referred in
	// the year who have since moved into a home (by the report's day), the days from their first
	// referral in the year to the move (the first after it); recorded from the day placements
	// are marked in placematch (or histories imported), not before.
	ToPlacement ReferralTiming
	// Fees: accepted referrals with a fee and a framework price for the child's council and
	// the home's kind; how many were above the price; the median fee as a share of the price.
	FeesCompared, FeesAbove Figure
	FeesAbovePct            Figure // of fees compared
	MedianFeeRatio          Figure // fee / price, 2 decimal places
	// Sentences say the figures in plain words.
	Sentences []string
}

// Column layout of the referral table: per area, per group (all, kinds, needs) four counts,
// then the children, the first acceptances and the fees.
const (
	rcRef = iota
	rcAcc
	rcDec
	rcNone
	rcGroupWidth
)

var (
	nRefKinds   = len(catalogue.PlacementKinds)
	nRefNeeds   = len(catalogue.NeedKinds)
	nGroups     = 1 + nRefKinds + nRefNeeds
	colChildren = nGroups * rcGroupWidth   // children referred, none, one, two or more agreed
	colFirst    = colChildren + 4          // first acceptances: all, then each kind
	colFees     = colFirst + 1 + nRefKinds // fees compared, above, not above
	colMoved    = colFees + 3              // children referred who have since moved into a home, and who have not
	refWidth    = colMoved + 2
)

func groupCol(g, m int) int { return g*rcGroupWidth + m }

// referralTable is the counts of every area, then of every provider (four counts each).
type referralTable struct {
	areas     *areaIndex
	v         []int32
	providers []catalogue.ProviderID
	names     map[catalogue.ProviderID]string
	waits     [][][]float64 // [area][0 all, 1+k kind] days to the first acceptance
	toMove    [][]float64   // [area] days from the first referral to the move into a home
	ratios    [][]float64   // [area] fee / price
}

func (t *referralTable) providerCell(p, m int) int {
	return len(t.areas.list)*refWidth + p*rcGroupWidth + m
}

// tallyReferrals counts the facts sent in the window to day.
func tallyReferrals(ix *areaIndex, day time.Time, facts []catalogue.ReferralFact, prices *catalogue.FrameworkPrices) *referralTable {
	since := day.Add(-ReferralWindow)
	t := &referralTable{areas: ix, names: map[catalogue.ProviderID]string{}}
	provIndex := map[catalogue.ProviderID]int{}
	var kept []*catalogue.ReferralFact
	for i := range facts {
		f := &facts[i]
		if f.SentAt.Before(since) || !f.SentAt.Before(day.AddDate(0, 0, 1)) {
			continue
		}
		if _, ok := ix.of(f.Council); !ok {
			continue
		}
		kept = append(kept, f)
		if _, ok := provIndex[f.Provider]; !ok {
			provIndex[f.Provider] = 0
			t.providers = append(t.providers, f.Provider)
		}
		if f.ProviderName != "" {
			t.names[f.Provider] = f.ProviderName
		}
	}
	slices.Sort(t.providers)
	for i, p := range t.providers {
		provIndex[p] = i
	}
	nAreas := len(ix.list)
	t.v = make([]int32, nAreas*refWidth+len(t.providers)*rcGroupWidth)
	t.waits = make([][][]float64, nAreas)
	t.toMove = make([][]float64, nAreas)
	t.ratios = make([][]float64, nAreas)
	for ar := range t.waits {
		t.waits[ar] = make([][]float64, 1+nRefKinds)
	}
	outcome := func(f *catalogue.ReferralFact) int {
		switch {
		case f.Answered && f.Accepted:
			return rcAcc
		case f.Answered:
			return rcDec
		}
		return rcNone
	}
	type child struct {
		council     catalogue.CouncilCode
		first       time.Time
		agreed      map[catalogue.PlacementID]bool
		firstAcc    time.Time
		firstAccKnd catalogue.PlacementKind
		// moved is the day the child moved into a home after their first referral (zero: not
		// by the report's day).
		moved time.Time
	}
	children := map[catalogue.ChildID]*child{}
	var order []catalogue.ChildID
	for _, f := range kept {
		areas, _ := ix.of(f.Council)
		o := outcome(f)
		groups := []int{0}
		if k := slices.Index(catalogue.PlacementKinds, f.Kind); k >= 0 {
			groups = append(groups, 1+k)
		}
		for _, n := range f.Needs {
			if k := slices.Index(catalogue.NeedKinds, n); k >= 0 && !slices.Contains(groups, 1+nRefKinds+k) {
				groups = append(groups, 1+nRefKinds+k)
			}
		}
		for _, ar := range areas {
			for _, g := range groups {
				t.v[ar*refWidth+groupCol(g, rcRef)]++
				t.v[ar*refWidth+groupCol(g, o)]++
			}
		}
		pi := provIndex[f.Provider]
		t.v[t.providerCell(pi, rcRef)]++
		t.v[t.providerCell(pi, o)]++
		c := children[f.Child]
		if c == nil {
			c = &child{council: f.Council, first: f.SentAt, agreed: map[catalogue.PlacementID]bool{}}
			children[f.Child] = c
			order = append(order, f.Child)
		}
		if f.SentAt.Before(c.first) {
			c.first, c.moved = f.SentAt, time.Time{}
		}
		if !f.SentAt.After(c.first) && !f.MovedIn.IsZero() && !f.MovedIn.After(day) {
			c.moved = f.MovedIn
		}
		if o == rcAcc {
			c.agreed[f.Placement] = true
			if c.firstAcc.IsZero() || f.AnsweredAt.Before(c.firstAcc) {
				c.firstAcc, c.firstAccKnd = f.AnsweredAt, f.Kind
			}
			if price, ok := prices.Price(f.Council, f.Kind); ok && f.WeeklyFee > 0 {
				col := colFees + 2
				if f.WeeklyFee > price {
					col = colFees + 1
				}
				for _, ar := range areas {
					t.v[ar*refWidth+colFees]++
					t.v[ar*refWidth+col]++
					t.ratios[ar] = append(t.ratios[ar], float64(f.WeeklyFee)/float64(price))
				}
			}
		}
	}
	for _, id := range order {
		c := children[id]
		areas, _ := ix.of(c.council)
		agreed := 1 + min(len(c.agreed), 2)
		for _, ar := range areas {
			t.v[ar*refWidth+colChildren]++
			t.v[ar*refWidth+colChildren+agreed]++
		}
		moved := colMoved + 1
		if !c.moved.IsZero() {
			moved = colMoved
			days := max(math.Round(c.moved.Sub(catalogue.Day(c.first)).Hours()/24), 0)
			for _, ar := range areas {
				t.toMove[ar] = append(t.toMove[ar], days)
			}
		}
		for _, ar := range areas {
			t.v[ar*refWidth+moved]++
		}
		if c.firstAcc.IsZero() {
			continue
		}
		days := max(c.firstAcc.Sub(c.first).Hours()/24, 0)
		k := slices.Index(catalogue.PlacementKinds, c.firstAccKnd)
		for _, ar := range areas {
			t.v[ar*refWidth+colFirst]++
			t.waits[ar][0] = append(t.waits[ar][0], days)
			if k >= 0 {
				t.v[ar*refWidth+colFirst+1+k]++
				t.waits[ar][1+k] = append(t.waits[ar][1+k], days)
			}
		}
	}
	return t
}

// relations lists the table's relations, total first.
func (t *referralTable) relations() *relations {
	rs := newRelations()
	nAreas := len(t.areas.list)
	cell := func(ar, c int) int32 { return int32(ar*refWidth + c) }
	var parts []int32
	for c := range refWidth {
		for ar := range t.areas.list {
			kids, ok := t.areas.parts(ar)
			if !ok {
				continue
			}
			parts = parts[:0]
			for _, k := range kids {
				parts = append(parts, cell(k, c))
			}
			rs.add(cell(ar, c), parts)
		}
	}
	for ar := range nAreas {
		for m := range rcGroupWidth {
			parts = parts[:0]
			for k := range nRefKinds {
				parts = append(parts, cell(ar, groupCol(1+k, m)))
			}
			rs.add(cell(ar, groupCol(0, m)), parts)
		}
		for g := range nGroups {
			rs.add(cell(ar, groupCol(g, rcRef)), []int32{cell(ar, groupCol(g, rcAcc)), cell(ar, groupCol(g, rcDec)), cell(ar, groupCol(g, rcNone))})
		}
		rs.add(cell(ar, colChildren), []int32{cell(ar, colChildren+1), cell(ar, colChildren+2), cell(ar, colChildren+3)})
		parts = parts[:0]
		for k := range nRefKinds {
			parts = append(parts, cell(ar, colFirst+1+k))
		}
		rs.add(cell(ar, colFirst), parts)
		rs.add(cell(ar, colFees), []int32{cell(ar, colFees+1), cell(ar, colFees+2)})
		rs.add(cell(ar, colChildren), []int32{cell(ar, colMoved), cell(ar, colMoved+1)})
	}
	for m := range rcGroupWidth {
		parts = parts[:0]
		for p := range t.providers {
			parts = append(parts, int32(t.providerCell(p, m)))
		}
		rs.add(cell(0, groupCol(0, m)), parts)
	}
	for p := range t.providers {
		rs.add(int32(t.providerCell(p, rcRef)), []int32{int32(t.providerCell(p, rcAcc)), int32(t.providerCell(p, rcDec)), int32(t.providerCell(p, rcNone))})
	}
	return rs
}

// suppress withholds the counts from 1 to 4 and, by the DfE's rule, what would give them away.
// Counts of the areas the reader knows (nil: none) are shown and never withheld to protect
// another.
func (t *referralTable) suppress(known []bool) []bool {
	var knownCells []bool
	if known != nil {
		areaCells := len(t.areas.list) * refWidth
		knownCells = knownAlongAreas(t.areas, t.v[:areaCells], refWidth, known)
	}
	isKnown := func(i int) bool { return i < len(knownCells) && knownCells[i] }
	sup := make([]bool, len(t.v))
	for i, x := range t.v {
		sup[i] = x > 0 && x < minShown && !isKnown(i)
	}
	secondaryDfE(t.v, sup, func(i int) bool { return !isKnown(i) }, t.relations())
	return sup
}

// publishReferrals builds every area's referral figures (in the order of ix.list) and
// England's by provider.
func publishReferrals(ix *areaIndex, day time.Time, facts []catalogue.ReferralFact, prices []catalogue.FrameworkPrice, known []bool) ([]ReferralFigures, []ReferralRate) {
	t := tallyReferrals(ix, day, facts, catalogue.NewFrameworkPrices(prices))
	sup := t.suppress(known)
	fig := func(i int) Figure { return countFigure(t.v[i], sup[i]) }
	rate := func(key, label string, at func(m int) int) ReferralRate {
		r := ReferralRate{Key: key, Label: label, Referrals: fig(at(rcRef)), Accepted: fig(at(rcAcc)), Declined: fig(at(rcDec)), NoAnswer: fig(at(rcNone))}
		r.AcceptedPct, r.DeclinedPct = percent(r.Accepted, r.Referrals), percent(r.Declined, r.Referrals)
		return r
	}
	out := make([]ReferralFigures, len(ix.list))
	for ar := range ix.list {
		base := ar * refWidth
		at := func(g int) func(m int) int { return func(m int) int { return base + groupCol(g, m) } }
		f := &out[ar]
		f.All = rate("all", "all referrals", at(0))
		for k, kind := range catalogue.PlacementKinds {
			f.ByKind = append(f.ByKind, rate(string(kind), kindLabel(kind), at(1+k)))
		}
		for k, need := range catalogue.NeedKinds {
			f.ByNeed = append(f.ByNeed, rate(string(need), needPhrase(need), at(1+nRefKinds+k)))
		}
		f.Children, f.NoneAgreed, f.OneAgreed, f.TwoAgreed = fig(base+colChildren), fig(base+colChildren+1), fig(base+colChildren+2), fig(base+colChildren+3)
		f.TwoAgreedPct, f.NoneAgreedPct = percent(f.TwoAgreed, f.Children), percent(f.NoneAgreed, f.Children)
		for k := range 1 + nRefKinds {
			key, label := "all", "all children"
			if k > 0 {
				key, label = string(catalogue.PlacementKinds[k-1]), kindLabel(catalogue.PlacementKinds[k-1])
			}
			n := fig(base + colFirst + k)
			tm := ReferralTiming{Key: key, Label: label, Children: n}
			tm.MedianDays, tm.P90Days = quantileFigure(t.waits[ar][k], 0.5, n, 1), quantileFigure(t.waits[ar][k], 0.9, n, 1)
			f.FirstAcceptance = append(f.FirstAcceptance, tm)
		}
		moved := fig(base + colMoved)
		f.ToPlacement = ReferralTiming{Key: "all", Label: "children referred who have since moved into a home", Children: moved,
			MedianDays: quantileFigure(t.toMove[ar], 0.5, moved, 0), P90Days: quantileFigure(t.toMove[ar], 0.9, moved, 0)}
		f.FeesCompared, f.FeesAbove = fig(base+colFees), fig(base+colFees+1)
		f.FeesAbovePct = percent(f.FeesAbove, f.FeesCompared)
		f.MedianFeeRatio = quantileFigure(t.ratios[ar], 0.5, f.FeesCompared, 2)
		f.Sentences = referralSentences(f)
	}
	var provs []ReferralRate
	for p, id := range t.providers {
		name := t.names[id]
		if name == "" {
			name = "provider " + strconv.FormatInt(int64(id), 10)
		}
		provs = append(provs, rate(strconv.FormatInt(int64(id), 10), name, func(m int) int { return t.providerCell(p, m) }))
	}
	slices.SortStableFunc(provs, func(a, b ReferralRate) int { return cmp.Compare(b.Referrals.Value(), a.Referrals.Value()) })
	return out, provs
}

// quantileFigure is the q-quantile of xs (nearest rank), withheld with its count n, not
// applicable with none.
func quantileFigure(xs []float64, q float64, n Figure, dp uint8) Figure {
	switch {
	case n.Withheld():
		return withheldFigure()
	case len(xs) == 0:
		return Figure{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return valueFigure(s[max(i, 0)], dp)
}

func kindLabel(k catalogue.PlacementKind) string {
	switch k {
	case catalogue.Kinship:
		return "kinship carer"
	}
	return kindName(k)
}

// needPhrase names the children with a need, to follow "referrals for".
func needPhrase(n catalogue.NeedKind) string {
	switch n {
	case catalogue.NeedEmotionalBehavioural:
		return "children with emotional and behavioural needs"
	case catalogue.NeedTrauma:
		return "children who need trauma-informed care"
	case catalogue.NeedDisabilityHealth:
		return "disabled children and children with health needs"
	case catalogue.NeedAutism:
		return "autistic children"
	case catalogue.NeedLearning:
		return "children with learning needs"
	case catalogue.NeedExploitationCSE:
		return "children at risk of sexual exploitation"
	case catalogue.NeedExploitationCCE:
		return "children at risk of criminal exploitation"
	case catalogue.NeedMissing:
		return "children who go missing"
	case catalogue.NeedSubstanceUse:
		return "children who misuse drugs or alcohol"
	case catalogue.NeedUASC:
		return "unaccompanied asylum-seeking children"
	case catalogue.NeedParentAndChild:
		return "young parents with their baby"
	case catalogue.NeedRemand:
		return "children on remand"
	case catalogue.NeedSelfHarm:
		return "children at risk of self-harm"
	case catalogue.NeedEatingDisorder:
		return "children with an eating disorder"
	case catalogue.NeedMentalHealth:
		return "children with a mental health condition"
	case catalogue.NeedCriminalExploitingOthers:
		return "children who may draw others into crime"
	}
	return "children with need " + string(n)
}

// referralSentences says an area's figures in plain words, each only when its figures are shown.
func referralSentences(f *ReferralFigures) []string {
	var out []string
	pct := func(x Figure) string { return strconv.FormatFloat(math.Round(x.Value()), 'f', 0, 64) + "%" }
	if f.All.Referrals.Shown() && f.All.Referrals.Value() > 0 && f.All.AcceptedPct.Shown() {
		out = append(out, fmt.Sprintf("Homes said yes to %s of the %s referrals sent in the year, and no to %s.",
			pct(f.All.AcceptedPct), f.All.Referrals, pct(f.All.DeclinedPct)))
	}
	// The needs homes most often refused, worst first.
	needs := slices.Clone(f.ByNeed)
	slices.SortStableFunc(needs, func(a, b ReferralRate) int { return cmp.Compare(b.DeclinedPct.Value(), a.DeclinedPct.Value()) })
	said := 0
	for _, r := range needs {
		if said == 3 || !r.DeclinedPct.Shown() || r.DeclinedPct.Value() <= f.All.DeclinedPct.Value() {
			continue
		}
		out = append(out, fmt.Sprintf("Homes said no to %s of referrals for %s.", pct(r.DeclinedPct), r.Label))
		said++
	}
	for _, r := range f.ByKind {
		if r.DeclinedPct.Shown() && r.Referrals.Value() > 0 {
			out = append(out, fmt.Sprintf("Of the referrals to %s, %s were refused and %s went unanswered.",
				catalogue.PlacementKind(r.Key).Words().Officer, pct(r.DeclinedPct), pct(percent(r.NoAnswer, r.Referrals))))
		}
	}
	if f.TwoAgreedPct.Shown() {
		out = append(out, fmt.Sprintf("Of the %s children referred, %s had two or more homes agree to take them: a real choice. %s had none.",
			f.Children, pct(f.TwoAgreedPct), pct(f.NoneAgreedPct)))
	}
	if a := f.FirstAcceptance[0]; a.MedianDays.Shown() {
		out = append(out, fmt.Sprintf("Half the children a home agreed to take waited %s days or less from their first referral to the first yes; nine in ten waited %s days or less.",
			a.MedianDays, a.P90Days))
	}
	if tp := f.ToPlacement; tp.MedianDays.Shown() {
		out = append(out, fmt.Sprintf("Of the %s children referred in the year who have since moved into a home, half waited %s days or less from their first referral to the move; nine in ten waited %s days or less.",
			tp.Children, tp.MedianDays, tp.P90Days))
	}
	if f.MedianFeeRatio.Shown() {
		out = append(out, fmt.Sprintf("The median fee accepted was %s%% of the council's framework price; %s of the fees were above it.",
			strconv.FormatFloat(math.Round(100*f.MedianFeeRatio.Value()), 'f', 0, 64), pct(f.FeesAbovePct)))
	}
	return out
}
