package catalogue

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Support for carers (Fostering Services National Minimum Standard 15 for foster carers; for
// children's homes the Children's Homes (England) Regulations 2015 and their Quality Standards,
// regulation 33 on staff training, the homes' National Minimum Standards having been withdrawn in
// 2015): when a match is accepted, each of the child's needs that no one in the home is trained
// for becomes an item of a support plan attached to the placement: training for the carers in a
// named skill, and, where the need calls for it, therapeutic support or equipment and
// adaptations.

// SupportStore keeps support plans. A plan is made by OfferStore.DecideOffer when a match is
// accepted, in the same transaction, and closed in the transaction that ends the child's
// placement in its home (HistoryStore.MoveChild). Scope: a plan is its child's, and a child
// outside the scope (see ChildStore) is ErrNotFound, as are their plans.
type SupportStore interface {
	// SupportPlans returns the plans of a child in scope, newest first.
	SupportPlans(ctx context.Context, s Scope, child ChildID) ([]SupportPlan, error)
	// SupportPlan returns one plan of a child in scope.
	SupportPlan(ctx context.Context, s Scope, id SupportPlanID) (SupportPlan, error)
	// UpdateSupportPlan marks items of a plan in scope arranged (or not), or closes it, at
	// u.Version. ErrInvalid when the update is not valid for the plan (naming the item);
	// ErrConflict when the plan is closed or the version is stale.
	UpdateSupportPlan(ctx context.Context, s Scope, u SupportUpdate) (SupportPlan, error)
	// SupportNeeds sums the plans in force of a council, a region or England: ErrInvalid when
	// the filter is not valid. It returns aggregates only, so it takes no scope: the caller
	// decides who may see them.
	SupportNeeds(ctx context.Context, f SupportNeedsFilter) (SupportNeeds, error)
}

// SupportPlanID identifies a support plan.
type SupportPlanID int64

func (id SupportPlanID) String() string { return strconv.FormatInt(int64(id), 10) }

// Coverage says how well a home's skills meet a need: 1 with the best skill for it (the first
// of SkillsFor), 0.75 with another skill that meets it, 0 with none; and the skill that counted.
// It is the one meaning of "covered": scoring's needs factor scores it, and a need it gives 0 is
// one that no one in the home is trained for, which a support plan answers.
func Coverage(k NeedKind, skills []Skill) (float64, Skill) {
	best, which := 0.0, Skill("")
	for rank, want := range SkillsFor(k) {
		for _, have := range skills {
			if have != want {
				continue
			}
			v := 1.0
			if rank > 0 {
				v = 0.75
			}
			if v > best {
				best, which = v, have
			}
		}
	}
	return best, which
}

// Uncovered returns the needs that no skill of the home meets (Coverage 0), in the child's order.
func Uncovered(needs []Need, skills []Skill) []Need {
	var out []Need
	for _, n := range needs {
		if cov, _ := Coverage(n.Kind, skills); cov == 0 {
			out = append(out, n)
		}
	}
	return out
}

// TrainingFor is the skill carers are trained in to meet a need they are not trained for: the
// course a fostering service or home can arrange within weeks (trauma-informed care for trauma,
// rather than a therapeutic parenting programme). It is always one of SkillsFor(k), so once the
// carers have it the need counts as covered.
func TrainingFor(k NeedKind) Skill {
	switch k {
	case NeedEmotionalBehavioural:
		return SkillBehaviour
	case NeedTrauma:
		return SkillTraumaInformed
	case NeedLearning:
		return SkillLearning
	}
	if s := SkillsFor(k); len(s) > 0 {
		return s[0]
	}
	return ""
}

// NeedsTherapeutic reports whether a need not met by the carers' skills also calls for
// therapeutic support (for the child, and for the carers in caring for them): trauma and
// emotional and behavioural needs of medium or high level, and mental health needs (self-harm,
// an eating disorder, a mental health condition) of medium or high level, which carers are not
// left to meet with training alone (NICE NG225 on self-harm, NG69 on eating disorders: care is
// led by a specialist team the carers work with).
func NeedsTherapeutic(n Need) bool {
	switch n.Kind {
	case NeedTrauma, NeedEmotionalBehavioural, NeedSelfHarm, NeedEatingDisorder, NeedMentalHealth:
		return n.Level >= LevelMedium
	}
	return false
}

// NeedsEquipment reports whether a need not met by the carers' skills also calls for equipment
// or adaptations to the home: disability and health needs of medium or high level.
func NeedsEquipment(n Need) bool {
	return n.Kind == NeedDisabilityHealth && n.Level >= LevelMedium
}

// SupportFor returns the items of a support plan for a child in a home: one for each need the
// home's skills do not cover, in the child's order, each with the training that answers it and
// the therapeutic support or equipment it calls for. None when every need is covered.
func SupportFor(needs []Need, skills []Skill) []SupportItem {
	var out []SupportItem
	for _, n := range Uncovered(needs, skills) {
		out = append(out, SupportItem{Need: n.Kind, Level: n.Level, Training: TrainingFor(n.Kind),
			Therapeutic: NeedsTherapeutic(n), Equipment: NeedsEquipment(n)})
	}
	return out
}

// SupportStatus is where a support plan is.
type SupportStatus string

const (
	SupportOpen     SupportStatus = "open"     // some of the support is still to arrange
	SupportArranged SupportStatus = "arranged" // every item is arranged
	SupportClosed   SupportStatus = "closed"   // the child left the placement, or the plan was closed
)

// SupportStatuses lists every SupportStatus.
var SupportStatuses = []SupportStatus{SupportOpen, SupportArranged, SupportClosed}

// Valid reports whether s is a known value.
func (s SupportStatus) Valid() bool { return oneOf(s, SupportStatuses) }

// InForce reports whether the plan still counts: open or arranged.
func (s SupportStatus) InForce() bool { return s == SupportOpen || s == SupportArranged }

// SupportItem is one need of the child that the carers' skills do not cover, and the support
// that answers it.
type SupportItem struct {
	Need        NeedKind
	Level       NeedLevel
	Training    Skill // the skill the carers are to be trained in
	Therapeutic bool  // therapeutic support for the child and the carers
	Equipment   bool  // equipment or adaptations to the home
	Arranged    bool
	ArrangedAt  time.Time // zero until arranged
	Note        string    // what was arranged, by whom, when it starts
}

// SupportPlan is the support a placement needs because its carers' skills do not cover all of
// a child's needs, made when the match was accepted.
type SupportPlan struct {
	ID        SupportPlanID
	Child     ChildID
	Council   CouncilCode // the child's council, read from the child's record
	Placement PlacementID
	Offer     OfferID // the offer whose acceptance made the plan
	Status    SupportStatus
	Items     []SupportItem // in the order of the child's needs
	// ClosedReason says why the plan was closed: the child left the placement, or the officer's
	// reason.
	ClosedReason string
	ClosedAt     time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Limits on support plans.
const (
	MaxSupportItems = 16 // one for each kind of need at most (len(NeedKinds))
	MaxNoteLen      = 1000
)

// StatusOf is the status the plan's items give it: arranged when every item is, else open; a
// closed plan stays closed.
func (p SupportPlan) StatusOf() SupportStatus {
	if p.Status == SupportClosed {
		return SupportClosed
	}
	for _, it := range p.Items {
		if !it.Arranged {
			return SupportOpen
		}
	}
	return SupportArranged
}

// Item returns the plan's item for a need.
func (p SupportPlan) Item(k NeedKind) (SupportItem, bool) {
	for _, it := range p.Items {
		if it.Need == k {
			return it, true
		}
	}
	return SupportItem{}, false
}

// Validate reports every bad field of the plan.
func (p SupportPlan) Validate() error {
	pr := newProblems()
	if p.Child <= 0 {
		pr.add("child", "must be a child ID")
	}
	if p.Council != "" && !p.Council.Valid() {
		pr.add("council", "must be the ONS code of the child's council")
	}
	if p.Placement <= 0 {
		pr.add("placement", "must be a placement ID")
	}
	if p.Offer <= 0 {
		pr.add("offer", "must be the offer whose acceptance made the plan")
	}
	if !p.Status.Valid() {
		pr.add("status", "must be one of %v", SupportStatuses)
	} else if p.Status != p.StatusOf() {
		pr.add("status", "must be %s: it follows the items (open until every item is arranged)", p.StatusOf())
	}
	switch {
	case len(p.Items) == 0:
		pr.add("items", "must hold at least one need the carers are not trained for")
	case len(p.Items) > MaxSupportItems:
		pr.add("items", "must hold at most %d items", MaxSupportItems)
	}
	seen := map[NeedKind]bool{}
	for i, it := range p.Items {
		ip := pr.at("items", i)
		switch {
		case !it.Need.Valid():
			ip.add("need", "must be one of %v", NeedKinds)
		case seen[it.Need]:
			ip.add("need", "appears more than once")
		}
		seen[it.Need] = true
		if it.Level < LevelLow || it.Level > LevelHigh {
			ip.add("level", "must be 1 (low), 2 (medium) or 3 (high)")
		}
		switch {
		case it.Training == "" && !it.Therapeutic && !it.Equipment:
			ip.add("training", "is required unless the need is answered by therapeutic support or equipment")
		case it.Training != "" && it.Need.Valid() && !slices.Contains(SkillsFor(it.Need), it.Training):
			ip.add("training", "must be a skill that meets the need: one of %v", SkillsFor(it.Need))
		}
		if it.Arranged == it.ArrangedAt.IsZero() {
			ip.add("arranged_at", "must be set exactly when the item is arranged")
		}
		checkText(ip, "note", it.Note, MaxNoteLen)
	}
	if (p.Status == SupportClosed) != (p.ClosedReason != "") || (p.Status == SupportClosed) == p.ClosedAt.IsZero() {
		pr.add("closed_reason", "must be given, with the time, exactly when the plan is closed")
	}
	checkText(pr, "closed_reason", p.ClosedReason, MaxReasonLen)
	return pr.err()
}

// SupportChange is one item's change: arranged or not, with a note.
type SupportChange struct {
	Need     NeedKind
	Arranged bool
	Note     string
}

// SupportUpdate is the placement team's change to a plan: items arranged (or, by mistake, not
// yet), and the plan closed with a reason when it is no longer needed.
type SupportUpdate struct {
	Plan    SupportPlanID
	Version int // the version of the plan read
	Items   []SupportChange
	Close   string // a reason closes the plan
}

// Validate reports every bad field of the update.
func (u SupportUpdate) Validate() error {
	p := newProblems()
	if u.Version <= 0 {
		p.add("version", "is required: send the version of the plan you read")
	}
	if len(u.Items) == 0 && strings.TrimSpace(u.Close) == "" {
		p.add("items", "must name at least one item to mark arranged, unless the plan is closed (close_reason)")
	}
	if len(u.Items) > MaxSupportItems {
		p.add("items", "must hold at most %d items", MaxSupportItems)
	}
	seen := map[NeedKind]bool{}
	for i, ch := range u.Items {
		ip := p.at("items", i)
		switch {
		case ch.Need == "":
			ip.add("need", "is required: the need whose support is arranged")
		case !ch.Need.Valid():
			ip.add("need", "must be one of %v", NeedKinds)
		case seen[ch.Need]:
			ip.add("need", "appears more than once")
		}
		seen[ch.Need] = true
		checkText(ip, "note", ch.Note, MaxNoteLen)
	}
	checkText(p, "close_reason", u.Close, MaxReasonLen)
	return p.err()
}

// Apply makes the update's changes to the plan at t: each item named must be in the plan. The
// caller checks the version and that the plan is not closed.
func (u SupportUpdate) Apply(p *SupportPlan, t time.Time) error {
	pr := newProblems()
	for i, ch := range u.Items {
		j := slices.IndexFunc(p.Items, func(it SupportItem) bool { return it.Need == ch.Need })
		if j < 0 {
			pr.at("items", i).add("need", "is not an item of this plan: the carers are trained for it, or the child does not have it")
			continue
		}
		it := &p.Items[j]
		if ch.Arranged && !it.Arranged {
			it.ArrangedAt = t
		}
		if !ch.Arranged {
			it.ArrangedAt = time.Time{}
		}
		it.Arranged = ch.Arranged
		if ch.Note != "" {
			it.Note = ch.Note
		}
	}
	if err := pr.err(); err != nil {
		return err
	}
	if reason := strings.TrimSpace(u.Close); reason != "" {
		p.Status, p.ClosedReason, p.ClosedAt = SupportClosed, reason, t
	} else {
		p.Status = p.StatusOf()
	}
	return nil
}

// SupportCount counts what is still to arrange and what is arranged.
type SupportCount struct {
	Waiting  int
	Arranged int
}

// Any is the count of both.
func (c SupportCount) Any() int { return c.Waiting + c.Arranged }

// SkillCount is the households whose carers need training in a skill.
type SkillCount struct {
	Skill Skill
	SupportCount
}

// SupportTally sums the support plans in force (open or arranged) of an area. Training is
// counted in households: a household with two children needing trauma-informed training needs
// it once; it waits while any of it is still to arrange. Therapeutic support and equipment are
// counted in plans, one for each child.
type SupportTally struct {
	Plans       int          // plans in force
	Households  int          // households with a plan in force
	Training    []SkillCount // by skill, in the order of Skills; only skills some household needs
	Therapeutic SupportCount // plans calling for therapeutic support
	Equipment   SupportCount // plans calling for equipment or adaptations
}

// CouncilSupport is one council's tally.
type CouncilSupport struct {
	Council CouncilCode
	SupportTally
}

// RegionSupport is one region's tally.
type RegionSupport struct {
	Region RegionCode
	SupportTally
}

// SupportNeeds sums the support plans in force of an area: a council, a region or England. A
// region's and England's households are counted once even where children of several councils
// live in one household, so their tallies can be less than the sum of their councils'.
type SupportNeeds struct {
	Council  CouncilCode // the council's view; empty for a region or England
	Region   RegionCode  // the region's view; empty for a council or England
	Total    SupportTally
	Regions  []RegionSupport  // each region of the area with a plan in force, by code
	Councils []CouncilSupport // each council of the area with a plan in force, by code
}

// SupportNeedsFilter says which area to sum: a council, a region, or neither for England.
type SupportNeedsFilter struct {
	Council CouncilCode
	Region  RegionCode
}

// Validate reports a bad filter.
func (f SupportNeedsFilter) Validate() error {
	p := newProblems()
	switch {
	case f.Council != "" && f.Region != "":
		p.add("region", "must be left out when a council is named")
	case f.Council != "" && !f.Council.Valid():
		p.add("council", "must be the ONS code of an English upper-tier council")
	case f.Region != "" && !f.Region.Valid():
		p.add("region", "must be the ONS code of an English region (E12000001 to E12000009)")
	}
	return p.err()
}

// Contains reports whether the filter's area holds a council.
func (f SupportNeedsFilter) Contains(c CouncilCode) bool {
	switch {
	case f.Council != "":
		return c == f.Council
	case f.Region != "":
		co, ok := CouncilByCode(c)
		return ok && co.RegionCode == f.Region
	}
	return true
}

// SummariseSupport sums the plans in force of the filter's area (each plan's Council set);
// plans closed or outside the area are left out.
func SummariseSupport(f SupportNeedsFilter, plans []SupportPlan) SupportNeeds {
	out := SupportNeeds{Council: f.Council, Region: f.Region}
	var in []SupportPlan
	byCouncil := map[CouncilCode][]SupportPlan{}
	byRegion := map[RegionCode][]SupportPlan{}
	for _, p := range plans {
		if !p.Status.InForce() || !f.Contains(p.Council) {
			continue
		}
		in = append(in, p)
		byCouncil[p.Council] = append(byCouncil[p.Council], p)
		if co, ok := CouncilByCode(p.Council); ok {
			byRegion[co.RegionCode] = append(byRegion[co.RegionCode], p)
		}
	}
	out.Total = TallySupport(in)
	for c, ps := range byCouncil {
		out.Councils = append(out.Councils, CouncilSupport{Council: c, SupportTally: TallySupport(ps)})
	}
	slices.SortFunc(out.Councils, func(a, b CouncilSupport) int { return cmp.Compare(a.Council, b.Council) })
	for r, ps := range byRegion {
		out.Regions = append(out.Regions, RegionSupport{Region: r, SupportTally: TallySupport(ps)})
	}
	slices.SortFunc(out.Regions, func(a, b RegionSupport) int { return cmp.Compare(a.Region, b.Region) })
	return out
}

// TallySupport sums plans, whatever their area; closed plans are left out.
func TallySupport(plans []SupportPlan) SupportTally {
	var t SupportTally
	homes := map[PlacementID]bool{}
	// waits[skill][home] is whether any of the home's training in the skill is still to arrange.
	waits := map[Skill]map[PlacementID]bool{}
	for _, p := range plans {
		if !p.Status.InForce() {
			continue
		}
		t.Plans++
		homes[p.Placement] = true
		var ther, equip *bool
		for _, it := range p.Items {
			if it.Training != "" {
				m := waits[it.Training]
				if m == nil {
					m = map[PlacementID]bool{}
					waits[it.Training] = m
				}
				m[p.Placement] = m[p.Placement] || !it.Arranged
			}
			if it.Therapeutic {
				ther = waitOr(ther, !it.Arranged)
			}
			if it.Equipment {
				equip = waitOr(equip, !it.Arranged)
			}
		}
		t.Therapeutic.add(ther)
		t.Equipment.add(equip)
	}
	t.Households = len(homes)
	for _, s := range Skills {
		m := waits[s]
		if len(m) == 0 {
			continue
		}
		sc := SkillCount{Skill: s}
		for _, waiting := range m {
			sc.add(&waiting)
		}
		t.Training = append(t.Training, sc)
	}
	return t
}

// waitOr records that something is still to arrange, or not: nil until the first.
func waitOr(w *bool, waiting bool) *bool {
	if w == nil {
		return &waiting
	}
	v := *w || waiting
	return &v
}

func (c *SupportCount) add(waiting *bool) {
	switch {
	case waiting == nil:
	case *waiting:
		c.Waiting++
	default:
		c.Arranged++
	}
}
