package catalogue

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Sign-offs: what the law or the council's policy reserves to a named manager before a
// placement may be accepted. Each kind of sign-off names the lowest level of manager who may
// give it; a manager of that level or above gives it for one offer's home, with a reason, and
// the store keeps who gave it (the token's principal) and audits it. An offer whose home needs a
// sign-off not given cannot be accepted (OfferStore.DecideOffer).
//
// The regulations cited are the Care Planning, Placement and Case Review (England) Regulations
// 2010 (SI 2010/959), as amended by SI 2013/3239.

// ManagerLevel is how senior a manager is: each level may give every sign-off the levels below
// it may.
type ManagerLevel string

const (
	LevelTeamManager      ManagerLevel = "team_manager"      // a team manager of the placement or children's service
	LevelNominatedOfficer ManagerLevel = "nominated_officer" // an officer the council nominates under the 2010 Regulations (regulation 2)
	LevelDirector         ManagerLevel = "director"          // the director of children's services (Children Act 2004 s18)
)

// ManagerLevels lists every ManagerLevel, from the most junior.
var ManagerLevels = []ManagerLevel{LevelTeamManager, LevelNominatedOfficer, LevelDirector}

// Valid reports whether l is a known value.
func (l ManagerLevel) Valid() bool { return oneOf(l, ManagerLevels) }

// AtLeast reports whether l is level min or more senior; an unknown level is never enough.
func (l ManagerLevel) AtLeast(min ManagerLevel) bool {
	i, j := slices.Index(ManagerLevels, l), slices.Index(ManagerLevels, min)
	return i >= 0 && j >= 0 && i >= j
}

// Words names the level as a council names the post.
func (l ManagerLevel) Words() string {
	switch l {
	case LevelTeamManager:
		return "a team manager"
	case LevelNominatedOfficer:
		return "a nominated officer"
	case LevelDirector:
		return "the director of children's services"
	}
	return string(l)
}

// SignOffKind is what a sign-off approves.
type SignOffKind string

const (
	// SignOffOutOfArea: a placement outside the area of the council responsible for the child,
	// in an adjoining council's area. Regulation 11(1)(a): not put into effect until approved by
	// a nominated officer (who must be satisfied of regulation 11(2), the area authority having
	// been notified).
	SignOffOutOfArea SignOffKind = "out_of_area"
	// SignOffDistant: a placement "at a distance", outside the council's area and not within the
	// area of any adjoining council (regulation 11(5)). Regulation 11(1)(b): approved by the
	// director of children's services, after the area authority has been consulted and given a
	// copy of the care plan (regulation 11(2)(d)(ii)). It stands in for out_of_area: the
	// director's approval is the one the law asks.
	SignOffDistant SignOffKind = "distant_out_of_area"
	// SignOffKS4SchoolMove: a change of placement that would disrupt the education of a child in
	// the fourth key stage (school years 10 and 11). Regulation 10(1): approved by a nominated
	// officer (satisfied of regulation 10(2): the designated teacher and the IRO consulted).
	SignOffKS4SchoolMove SignOffKind = "ks4_school_move"
	// SignOffHighCost: a weekly cost above the council's threshold (Policy.SignOffWeeklyCost).
	// Council policy, not law; the lowest level is an assumption: a nominated officer, as
	// councils commonly reserve high-cost placements to a senior manager or a panel.
	SignOffHighCost SignOffKind = "high_cost"
	// SignOffResidentialUnder12: a children's home for a child under 12. Council policy
	// reflecting national guidance that young children should live in families (the Children's
	// Homes Regulations 2015 Guide; the Independent Review of Children's Social Care, 2022);
	// the lowest level is an assumption: the director, as many councils require.
	SignOffResidentialUnder12 SignOffKind = "residential_under_12"
	// SignOffInadequate: a home rated inadequate by Ofsted (for supported accommodation, the
	// lowest of Ofsted's three outcomes), which is never proposed (scoring's ofsted_inadequate
	// constraint) unless the director has overridden the rating for one child, with a written
	// reason: the alternative is often an unregistered setting. Given by InadequateOverride, not
	// on the offer: the override is the sign-off.
	SignOffInadequate SignOffKind = "inadequate_override"
)

// SignOffKinds lists every SignOffKind.
var SignOffKinds = []SignOffKind{SignOffOutOfArea, SignOffDistant, SignOffKS4SchoolMove, SignOffHighCost,
	SignOffResidentialUnder12, SignOffInadequate}

// Valid reports whether k is a known value.
func (k SignOffKind) Valid() bool { return oneOf(k, SignOffKinds) }

// Level is the lowest level of manager who may give the sign-off.
func (k SignOffKind) Level() ManagerLevel {
	switch k {
	case SignOffOutOfArea, SignOffKS4SchoolMove, SignOffHighCost:
		return LevelNominatedOfficer
	case SignOffDistant, SignOffResidentialUnder12, SignOffInadequate:
		return LevelDirector
	}
	return LevelDirector
}

// Citation names the rule behind the sign-off, for people.
func (k SignOffKind) Citation() string {
	switch k {
	case SignOffOutOfArea:
		return "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 11(1)(a)"
	case SignOffDistant:
		return "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 11(1)(b) and 11(5)"
	case SignOffKS4SchoolMove:
		return "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 10(1)"
	case SignOffHighCost:
		return "the council's policy: weekly cost threshold"
	case SignOffResidentialUnder12:
		return "the council's policy: children under 12 live in families"
	case SignOffInadequate:
		return "placematch's rule: a home rated inadequate is never proposed unless the director overrides it for one child"
	}
	return ""
}

// KS4SchoolMoveKm is how far from a child's school a home is taken to disrupt their education:
// 20 miles, where scoring's school factor falls to nothing ("too far to keep a school in
// practice"). An assumption, as the crow flies: journeys are not yet known.
const KS4SchoolMoveKm = 20 * MilesToKm

// DefaultSignOffWeeklyCost is the national default of the weekly cost above which a placement
// needs a sign-off (Policy.SignOffWeeklyCost): £10,000, the figure the DfE and the Competition
// and Markets Authority report placements above (1,510 of them in 2022/23). An assumption a
// council sets for itself.
const DefaultSignOffWeeklyCost = 10000

// SchoolYear is the English school year group a child born on dob is in on day: the school year
// starts on 1 September, and a child is in Year N when they were N+4 on the 31 August it began
// (Reception is 0). Negative before Reception.
func SchoolYear(dob, day time.Time) int {
	start := day.Year()
	if day.Month() < time.September {
		start--
	}
	return AgeOn(dob, time.Date(start, time.August, 31, 0, 0, 0, 0, time.UTC)) - 4
}

// KeyStage4 reports whether a child born on dob is of the fourth key stage on day: school years
// 10 and 11 (aged 14 on the 31 August before the school year, so 14 to 16 during it).
func KeyStage4(dob, day time.Time) bool {
	y := SchoolYear(dob, day)
	return y == 10 || y == 11
}

// SignOffCase is what decides which sign-offs accepting a home needs: the children moving (the
// child first, then brothers and sisters moving with them), the home, the responsible council's
// policy in force and the day (the clock's): ages and school years are taken on it.
type SignOffCase struct {
	Children  []Child
	Placement Placement
	Policy    Policy
	Today     time.Time
}

// SignOffNeed is one sign-off a home needs before it is accepted: its kind, the lowest level
// that may give it, and why, in plain words.
type SignOffNeed struct {
	Kind  SignOffKind
	Level ManagerLevel
	Why   string
}

// SignOffsNeeded says which sign-offs accepting the case's home needs, in the order of
// SignOffKinds. It reads no clock and no store: the council areas' adjacency is catalogue's
// table (Adjoins).
func SignOffsNeeded(c SignOffCase) []SignOffNeed {
	var out []SignOffNeed
	need := func(k SignOffKind, format string, args ...any) {
		out = append(out, SignOffNeed{Kind: k, Level: k.Level(), Why: fmt.Sprintf(format, args...)})
	}
	if len(c.Children) == 0 {
		return nil
	}
	pl, council := c.Placement, c.Children[0].Council
	day := Day(c.Today)
	if pl.Council != "" && council != "" && pl.Council != council {
		where := councilName(pl.Council)
		if Adjoins(council, pl.Council) {
			need(SignOffOutOfArea, "The home is in %s, outside %s's area (an adjoining council): a nominated officer approves it and %s is told.",
				where, councilName(council), where)
		} else {
			need(SignOffDistant, "The home is in %s, at a distance: outside %s's area and not in an adjoining council. The director of children's services approves it after consulting %s.",
				where, councilName(council), where)
		}
	}
	var ks4, under12 []string
	for i, ch := range c.Children {
		who := "the child"
		if i > 0 {
			who = fmt.Sprintf("a brother or sister (child %d)", ch.ID)
		}
		if ch.School != nil && KeyStage4(ch.DateOfBirth, day) {
			km := DistanceKm(ch.School.Location, pl.Location)
			switch {
			case !ch.School.KeepPlanned:
				ks4 = append(ks4, fmt.Sprintf("%s is in Year %d and the plan is to change school", who, SchoolYear(ch.DateOfBirth, day)))
			case km > KS4SchoolMoveKm:
				ks4 = append(ks4, fmt.Sprintf("%s is in Year %d and the home is %.0f miles from their school, too far to keep it",
					who, SchoolYear(ch.DateOfBirth, day), math.Round(km/MilesToKm)))
			}
		}
		if pl.Kind == ChildrensHome && ch.AgeOn(day) < 12 {
			under12 = append(under12, fmt.Sprintf("%s is %d", who, ch.AgeOn(day)))
		}
	}
	if len(ks4) > 0 {
		need(SignOffKS4SchoolMove, "A school move in Key Stage 4: %s.", strings.Join(ks4, "; "))
	}
	if limit := c.Policy.SignOffWeeklyCost; limit > 0 && pl.WeeklyCost > limit {
		need(SignOffHighCost, "The home costs £%d a week, over the council's threshold of £%d.", pl.WeeklyCost, limit)
	}
	if len(under12) > 0 {
		need(SignOffResidentialUnder12, "A children's home for a child under 12: %s.", strings.Join(under12, "; "))
	}
	switch {
	case pl.Ofsted == OfstedInadequate:
		need(SignOffInadequate, "Ofsted rated the home inadequate: only the director's override for this child lets it be offered.")
	case pl.SupportedOutcome == OutcomeSerious:
		need(SignOffInadequate, "Ofsted found serious or widespread weaknesses at the provider (its lowest outcome for supported accommodation): only the director's override for this child lets it be offered.")
	}
	return out
}

func councilName(c CouncilCode) string {
	if k, ok := CouncilByCode(c); ok {
		return k.Name
	}
	return string(c)
}

// SignOffID identifies a sign-off.
type SignOffID int64

// OverrideID identifies an override of a home's inadequate rating.
type OverrideID int64

// SignOff is a manager's approval of what accepting one home of an offer needs (a SignOffNeed).
type SignOff struct {
	ID        SignOffID
	Offer     OfferID
	Placement PlacementID // the home of the offer it approves
	Kind      SignOffKind
	Level     ManagerLevel // the lowest level that may give it (Kind.Level)
	Reason    string
	// Who gave it: the token (its principal, until named accounts), its role and level, set by
	// the store from the actor.
	By       TokenID
	ByRole   Role
	ByLevel  ManagerLevel
	At       time.Time
	Council  CouncilCode // the offer's
	Override OverrideID  // for an inadequate_override: the override it stands for; else 0
}

// InadequateOverride is the director's decision that one child may be offered one home Ofsted
// rated inadequate, with a written reason. The search then considers the home for that child
// only; accepting it counts the override as the inadequate_override sign-off.
type InadequateOverride struct {
	ID        OverrideID
	Child     ChildID
	Council   CouncilCode // the child's
	Placement PlacementID
	Reason    string
	By        TokenID
	ByLevel   ManagerLevel
	At        time.Time
}

// MinSignOffReason is the shortest reason a sign-off or override may give, in characters once
// trimmed: a reason is written for the record, not a tick.
const MinSignOffReason = 10

// CheckSignOffReason checks a written reason, naming field.
func CheckSignOffReason(field, reason string) error {
	p := newProblems()
	switch r := strings.TrimSpace(reason); {
	case len(r) < MinSignOffReason:
		p.add(field, "is required: at least %d characters saying why, for the record", MinSignOffReason)
	default:
		checkText(p, field, reason, MaxReasonLen)
	}
	return p.err()
}

// CheckGiver reports whether a principal may give a sign-off of kind k: only a manager, of the
// kind's level or above. A KindForbidden Error naming kind otherwise.
func CheckGiver(role Role, level ManagerLevel, k SignOffKind) error {
	if role != RoleManager {
		return &Error{Kind: KindForbidden, Msg: "only a manager gives sign-offs",
			Fields: []FieldError{{Field: "kind", Message: "only a manager gives sign-offs"}}}
	}
	if !level.AtLeast(k.Level()) {
		msg := fmt.Sprintf("%s sign-off needs %s or above; this token is %s", k, k.Level().Words(), level.Words())
		return &Error{Kind: KindForbidden, Msg: msg, Fields: []FieldError{{Field: "kind", Message: msg}}}
	}
	return nil
}

// Missing returns the needs no sign-off given covers, in order.
func Missing(needs []SignOffNeed, given []SignOff) []SignOffNeed {
	var out []SignOffNeed
	for _, n := range needs {
		if !slices.ContainsFunc(given, func(s SignOff) bool { return s.Kind == n.Kind }) {
			out = append(out, n)
		}
	}
	return out
}

// SignOffStore keeps sign-offs and overrides of inadequate ratings. Scope: an offer's and a
// child's council, as OfferStore and ChildStore. Each write is one transaction with its audit
// row, naming the actor the context carries; the giver's role and level are read from the
// actor's token in that transaction, never taken from the caller.
type SignOffStore interface {
	// GiveSignOff records a sign-off of kind for the home placement of an open offer in scope,
	// with a reason. ErrNotFound when the offer is not in scope; ErrInvalid naming kind (not a
	// kind, or inadequate_override, which is given by OverrideInadequate), placement (not an
	// option of the offer still open, or one that does not need this kind) or reason;
	// ErrForbidden naming kind when the actor's token is not a manager's of the kind's level or
	// above; ErrConflict when the offer is no longer open or the sign-off was given already.
	GiveSignOff(ctx context.Context, s Scope, offer OfferID, placement PlacementID, kind SignOffKind, reason string) (SignOff, error)
	// SignOffs lists the sign-offs of an offer in scope, oldest first, with the overrides of
	// its child for its homes as inadequate_override sign-offs.
	SignOffs(ctx context.Context, s Scope, offer OfferID) ([]SignOff, error)
	// SignOffsNeeded returns what each open home of an offer in scope needs (SignOffsNeeded,
	// with the children, the home and the policy as stored and the store's clock), by home.
	SignOffsNeeded(ctx context.Context, s Scope, offer OfferID) (map[PlacementID][]SignOffNeed, error)
	// OverrideInadequate records the director's override of a home's inadequate rating for one
	// child in scope, with a reason. ErrNotFound when the child is not in scope; ErrInvalid
	// naming placement (no such home, or one not rated inadequate) or reason; ErrForbidden
	// naming kind unless the actor's token is a director's; ErrConflict when the override exists.
	OverrideInadequate(ctx context.Context, s Scope, child ChildID, placement PlacementID, reason string) (InadequateOverride, error)
	// InadequateOverrides lists the overrides for a child in scope, oldest first.
	InadequateOverrides(ctx context.Context, s Scope, child ChildID) ([]InadequateOverride, error)
	// OverridesOf lists the overrides of many children at once, each child's oldest first (a
	// child with none is left out). It reads every scope: a match run lets each child's
	// overridden homes through for that child alone, and nothing of it is shown.
	OverridesOf(ctx context.Context, children []ChildID) (map[ChildID][]InadequateOverride, error)
}
