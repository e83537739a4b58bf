package scoring

import (
	"fmt"
	"time"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
)

// Request is everything about the child that matching needs.
type Request struct {
	Child catalogue.Child
	// Group is the sibling group when it is to be placed together (including Child), else nil.
	Group     []catalogue.Child
	GroupPlan catalogue.SiblingPlan
	// SiblingsElsewhere is where brothers and sisters who are not moving with the child live,
	// for the siblings factor.
	SiblingsElsewhere []catalogue.Location
	// Today is the day matching runs (passed in: scoring reads no clock).
	Today time.Time
	// Moves12m is how many times the child moved placement in the 12 months to Today, if known
	// (catalogue.Stability.Moves12m, from their history): stability weighs more for children
	// who have moved a lot (EffectiveWeights), and the explanation says so.
	Moves12m int
	// GroupMoves12m is Moves12m of each member of Group, in Group's order (nil: unknown), so that
	// a member searched for alone is weighed by their own history (matcher.AloneRequests).
	GroupMoves12m []int
	// Sharing holds the sharing agreements between councils (matcher.Snapshot.Sharing): a
	// council's own foster carers reach another council's children only through one in force
	// on the day of the move (ConstraintOwnCarers). Nil: none, so no council's own carers reach
	// another council's children.
	Sharing *catalogue.Sharing
	// InadequateAllowed are homes rated inadequate that the director has overridden the rating
	// of for this child (catalogue.InadequateOverride): the ofsted_inadequate constraint lets
	// them through for this request only. Nil for every other search.
	InadequateAllowed []catalogue.PlacementID
	// KinKnown is how many connected persons' homes (kinship placements) are assessed for the
	// child (matcher.Snapshot.Prepare fills it): the kinship factor's sentence cites the law's
	// preference only when some are.
	KinKnown int
}

// member is one child to be placed: the child, or a brother or sister moving with them.
type member struct {
	c   *catalogue.Child
	age int // on the day of the move
}

// contactPoint is one person in the contact plan, prepared: where contact happens in person
// (catalogue.Contact.MeetsAt), when its distance is scored, and where they live, when they must
// not know where the child lives.
type contactPoint struct {
	pt       s2.Point // where contact happens, when scored
	perMonth float64
	scored   bool     // distance to pt is scored: direct contact, or supervised at a known centre
	lives    s2.Point // where they live
	hidden   bool     // they must not know where the child lives: near lives counts against a home
}

// Prepared is a Request made ready for checking and scoring many placements: the children's
// ages on the day of the move, S2 points of home, school, contacts and siblings, exclusion zones
// as caps and loops, and the effective weights. It is read-only once made, so one Prepared may
// be used by many goroutines at once.
type Prepared struct {
	req     Request
	pol     catalogue.Policy
	kids    []catalogue.Child // the child first, then brothers and sisters moving with them
	members []member
	places  int       // places needed in one household
	day     time.Time // the day of the move: the later of today and the needed-by date

	minAge   int  // youngest child to be placed
	under5   bool // a child to be placed is under 5
	breathes bool // a child to be placed has a respiratory condition
	wheels   bool // a child to be placed uses a wheelchair

	home     s2.Point
	hasHome  bool
	maxDist  s1.ChordAngle
	school   s2.Point
	contacts []contactPoint
	siblings []s2.Point
	zones    []zone
	safeFreq float64 // total contacts a month in person, at known places (scored contacts)

	w       [nFactors]float64
	weights catalogue.Weights

	// shared holds the councils whose own foster carers the child's council may use on the
	// day of the move, each with the agreement that says so.
	shared map[catalogue.CouncilCode]*catalogue.SharingAgreement
}

// Prepare checks the request and the policy and precomputes what every check and score needs.
func Prepare(req Request, pol catalogue.Policy) (*Prepared, error) {
	if err := pol.Validate(); err != nil {
		return nil, fmt.Errorf("scoring: policy: %w", err)
	}
	switch {
	case req.Today.IsZero():
		return nil, fmt.Errorf("scoring: %w", catalogue.Invalid("today", "is required: scoring reads no clock"))
	case req.Child.DateOfBirth.IsZero():
		return nil, fmt.Errorf("scoring: %w", catalogue.Invalid("child.date_of_birth", "is required"))
	case req.Moves12m < 0:
		return nil, fmt.Errorf("scoring: %w", catalogue.Invalid("moves_12m", "must not be negative"))
	}
	p := &Prepared{req: req, pol: pol}
	p.kids = append(p.kids, req.Child)
	if len(req.Group) > 0 {
		found := false
		for i, g := range req.Group {
			if g.ID == req.Child.ID && !found {
				found = true
				continue
			}
			if g.DateOfBirth.IsZero() {
				return nil, fmt.Errorf("scoring: %w", catalogue.Invalid(fmt.Sprintf("group[%d].date_of_birth", i), "is required"))
			}
			p.kids = append(p.kids, g)
		}
		if !found {
			return nil, fmt.Errorf("scoring: %w", catalogue.Invalid("group", "must include the child"))
		}
	}
	p.places = len(p.kids)
	p.day = catalogue.Day(req.Today)
	if nb := catalogue.Day(req.Child.NeededBy); nb.After(p.day) {
		p.day = nb
	}
	p.members = make([]member, len(p.kids))
	p.minAge = 1 << 30
	for i := range p.kids {
		k := &p.kids[i]
		age := k.AgeOn(p.day)
		p.members[i] = member{c: k, age: age}
		p.minAge = min(p.minAge, age)
		p.under5 = p.under5 || age < 5
		p.breathes = p.breathes || k.Respiratory
		p.wheels = p.wheels || k.Wheelchair
		for j, z := range k.ExclusionZones {
			zz := newZone(z, pol.ZoneBufferKm)
			zz.member, zz.index = i, j
			p.zones = append(p.zones, zz)
		}
	}
	c := &p.kids[0]
	if !c.Home.IsZero() {
		p.home, p.hasHome = Point(c.Home), true
	}
	p.maxDist = kmChord(pol.MaxDistanceKm)
	p.shared = req.Sharing.OwnersFor(c.Council, catalogue.CouncilFoster, p.day)
	if c.School != nil {
		p.school = Point(c.School.Location)
	}
	p.contacts = make([]contactPoint, len(c.Contacts))
	for i, ct := range c.Contacts {
		cp := contactPoint{perMonth: ct.Frequency.PerMonth(), lives: Point(ct.Location), hidden: ct.MustNotKnow}
		if at, ok := ct.MeetsAt(); ok {
			cp.pt, cp.scored = Point(at), true
			p.safeFreq += cp.perMonth
		} else {
			cp.pt = cp.lives
		}
		p.contacts[i] = cp
	}
	for _, l := range req.SiblingsElsewhere {
		p.siblings = append(p.siblings, Point(l))
	}
	effective(pol, *c, req.Moves12m, &p.w)
	p.weights = make(catalogue.Weights, nFactors)
	for i, f := range catalogue.Factors {
		p.weights[f] = p.w[i]
	}
	return p, nil
}

// Weights returns the effective weights used for this child (normalised to sum to 1).
func (p *Prepared) Weights() catalogue.Weights {
	out := make(catalogue.Weights, len(p.weights))
	for f, w := range p.weights {
		out[f] = w
	}
	return out
}

// Places is how many places in one household the request needs.
func (p *Prepared) Places() int { return p.places }

// InadequateAllowed reports whether the request lets any home rated inadequate through
// (Request.InadequateAllowed).
func (p *Prepared) InadequateAllowed() bool { return len(p.req.InadequateAllowed) > 0 }

// Day is the day of the move the request is checked for: the later of today and the child's
// needed-by date. Vacancies must be open and ages are taken on this day.
func (p *Prepared) Day() time.Time { return p.day }

// Anchors returns the points the child's candidates should be searched around: home, school
// (when keeping it is planned) and where contact happens in person (catalogue.Contact.MeetsAt),
// in that order, without repeats.
func (p *Prepared) Anchors() []catalogue.Location {
	c := &p.kids[0]
	var out []catalogue.Location
	add := func(l catalogue.Location) {
		if l.IsZero() {
			return
		}
		for _, o := range out {
			if o == l {
				return
			}
		}
		out = append(out, l)
	}
	add(c.Home)
	if c.School != nil && c.School.KeepPlanned {
		add(c.School.Location)
	}
	for _, ct := range c.Contacts {
		if at, ok := ct.MeetsAt(); ok {
			add(at)
		}
	}
	return out
}

// MaxDistanceKm is the hard limit on distance from home under the request's policy.
func (p *Prepared) MaxDistanceKm() float64 { return p.pol.MaxDistanceKm }
