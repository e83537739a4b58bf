package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// supportReaders see the sums of support plans: commissioners and administrators for any area,
// officers for their own council.
var supportReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleCommissioner}

// actionReadSupport is the audit action of a read of a child's support plans; the subject is
// the child.
const actionReadSupport = "read_support_plans"

// supportStore returns the support plan store, or a 501 when the server was built without one.
func (s *server) supportStore() (catalogue.SupportStore, error) {
	if s.support == nil {
		return nil, statusError(http.StatusNotImplemented, "support plans are not kept by this server")
	}
	return s.support, nil
}

type supportItemDTO struct {
	Need        string     `json:"need"`
	Level       int        `json:"level"`
	Training    string     `json:"training,omitempty"` // the skill the carers are to be trained in
	Therapeutic bool       `json:"therapeutic_support"`
	Equipment   bool       `json:"equipment"`
	Support     string     `json:"support"` // what answers the need, in words
	Arranged    bool       `json:"arranged"`
	ArrangedAt  *time.Time `json:"arranged_at,omitempty"`
	Note        string     `json:"note,omitempty"`
}

type supportPlanDTO struct {
	ID           int64            `json:"id"`
	Child        int64            `json:"child"`
	Council      string           `json:"council"`
	Placement    placementSummary `json:"placement"`
	Offer        int64            `json:"offer"`
	Status       string           `json:"status"`
	Items        []supportItemDTO `json:"items"`
	ClosedReason string           `json:"closed_reason,omitempty"`
	ClosedAt     *time.Time       `json:"closed_at,omitempty"`
	Version      int              `json:"version"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
}

// supportPlansDTO is the officer's view of a child's support plans, newest first.
type supportPlansDTO struct {
	Child   int64            `json:"child"`
	Council string           `json:"council"`
	Plans   []supportPlanDTO `json:"plans"`
}

// supportWords says what answers a need: "Trauma-informed training for the carers, and
// therapeutic support for the child and the carers."
func supportWords(it catalogue.SupportItem) string {
	var parts []string
	if it.Training != "" {
		parts = append(parts, catalogue.TrainingName(it.Training)+" training for the carers")
	}
	if it.Therapeutic {
		parts = append(parts, "therapeutic support for the child and the carers")
	}
	if it.Equipment {
		parts = append(parts, "equipment or adaptations to the home")
	}
	out := ""
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			out += ", and "
		default:
			out += ", "
		}
		out += p
	}
	return capitalise(out) + "."
}

func fromSupportItems(items []catalogue.SupportItem) []supportItemDTO {
	out := make([]supportItemDTO, len(items))
	for i, it := range items {
		out[i] = supportItemDTO{Need: string(it.Need), Level: int(it.Level), Training: string(it.Training),
			Therapeutic: it.Therapeutic, Equipment: it.Equipment, Support: supportWords(it), Arranged: it.Arranged,
			ArrangedAt: timePtr(it.ArrangedAt), Note: it.Note}
	}
	return out
}

// supportPlanView is the officer's view of one plan, with the home it is for.
func (s *server) supportPlanView(ctx context.Context, p catalogue.SupportPlan) (supportPlanDTO, error) {
	d := supportPlanDTO{ID: int64(p.ID), Child: int64(p.Child), Council: string(p.Council),
		Placement: placementSummary{ID: int64(p.Placement)}, Offer: int64(p.Offer), Status: string(p.Status),
		Items: fromSupportItems(p.Items), ClosedReason: p.ClosedReason, ClosedAt: timePtr(p.ClosedAt),
		Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	pl, err := s.store.Placement(ctx, catalogue.Everything, p.Placement)
	switch {
	case err == nil:
		d.Placement = summaryOf(&pl, availablePlaces(pl))
	case !errors.Is(err, catalogue.ErrNotFound):
		return supportPlanDTO{}, err
	}
	return d, nil
}

// getChildSupportPlans answers GET /v1/children/{id}/support-plans: the child's support plans,
// newest first (audited).
func (s *server) getChildSupportPlans(c *gin.Context) error {
	sup, err := s.supportStore()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := newQuery(c).err(); err != nil {
		return err
	}
	out, err := s.readSupportPlans(c, sup, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// readSupportPlans reads a child's support plans, newest first, in the caller's scope, and
// audits the read: GET /v1/children/{id}/support-plans's and the workspace's.
func (s *server) readSupportPlans(c *gin.Context, sup catalogue.SupportStore, id catalogue.ChildID) (supportPlansDTO, error) {
	ctx, sc := c.Request.Context(), principal(c).Scope()
	ch, err := s.store.Child(ctx, sc, id)
	if err != nil {
		return supportPlansDTO{}, err
	}
	plans, err := sup.SupportPlans(ctx, sc, ch.ID)
	if err != nil {
		return supportPlansDTO{}, err
	}
	if err := s.auditRead(c, actionReadSupport, "child:"+ch.ID.String(), ch.Council); err != nil {
		return supportPlansDTO{}, err
	}
	out := supportPlansDTO{Child: int64(ch.ID), Council: string(ch.Council), Plans: make([]supportPlanDTO, 0, len(plans))}
	for _, p := range plans {
		d, err := s.supportPlanView(ctx, p)
		if err != nil {
			return supportPlansDTO{}, err
		}
		out.Plans = append(out.Plans, d)
	}
	return out, nil
}

// getSupportPlan answers GET /v1/support-plans/{id} (audited).
func (s *server) getSupportPlan(c *gin.Context) error {
	sup, err := s.supportStore()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := newQuery(c).err(); err != nil {
		return err
	}
	ctx := c.Request.Context()
	p, err := sup.SupportPlan(ctx, principal(c).Scope(), catalogue.SupportPlanID(id))
	if err != nil {
		return err
	}
	if err := s.auditRead(c, actionReadSupport, "child:"+p.Child.String(), p.Council); err != nil {
		return err
	}
	d, err := s.supportPlanView(ctx, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
	return nil
}

// supportUpdateDTO is the body of PUT /v1/support-plans/{id}.
type supportUpdateDTO struct {
	Version     int                `json:"version"`
	Items       []supportChangeDTO `json:"items"`
	CloseReason string             `json:"close_reason"` // closes the plan: why it is no longer needed
}

type supportChangeDTO struct {
	Need     string `json:"need"`
	Arranged *bool  `json:"arranged"` // required: true when the support is arranged, false to undo
	Note     string `json:"note"`     // what was arranged, by whom, when it starts
}

// updateSupportPlan answers PUT /v1/support-plans/{id}: items marked arranged (or not), or the
// plan closed, at the version read.
func (s *server) updateSupportPlan(c *gin.Context) error {
	sup, err := s.supportStore()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body supportUpdateDTO
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	u := catalogue.SupportUpdate{Plan: catalogue.SupportPlanID(id), Version: body.Version, Close: body.CloseReason}
	var missing []catalogue.FieldError
	for i, ch := range body.Items {
		if ch.Arranged == nil {
			missing = append(missing, catalogue.FieldError{Field: fmt.Sprintf("items[%d].arranged", i),
				Message: "is required: true when the support is arranged, false to undo that"})
		}
		u.Items = append(u.Items, catalogue.SupportChange{Need: catalogue.NeedKind(ch.Need), Arranged: ch.Arranged != nil && *ch.Arranged, Note: ch.Note})
	}
	err = u.Validate()
	if fields := append(missing, catalogue.FieldErrors(err)...); len(fields) > 0 {
		return catalogue.InvalidFields(fields)
	}
	ctx := c.Request.Context()
	p, err := sup.UpdateSupportPlan(ctx, principal(c).Scope(), u)
	if err != nil {
		return err
	}
	d, err := s.supportPlanView(ctx, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
	return nil
}

// The sums of support plans for commissioners: households needing training per council and
// skill, and plans needing therapeutic support or equipment. Counts from 1 to 4 are withheld
// ("c"), as the DfE does and the sufficiency report and stability indicators do. They are worked
// out once for England, its regions and councils together, so that every view withholds the same
// figures: where exactly one part of a total (a council of its region, a region of England) is
// withheld, the smallest other part that is not zero is withheld too (or the total, when there
// is none), so that no withheld count is the total less the parts shown.

type supportCountDTO struct {
	Waiting  figureDTO `json:"waiting"`  // still to arrange
	Arranged figureDTO `json:"arranged"` // arranged
}

type trainingNeedDTO struct {
	Skill    string    `json:"skill"`
	Training string    `json:"training"` // the training in words: "trauma-informed training"
	Waiting  figureDTO `json:"households_waiting"`
	Arranged figureDTO `json:"households_arranged"`
	Summary  string    `json:"summary"` // "26 households need trauma-informed training"
}

type supportRowDTO struct {
	Area        areaDTO           `json:"area"`
	Plans       figureDTO         `json:"plans"`      // support plans in force, one for each young person
	Households  figureDTO         `json:"households"` // households with a support plan in force
	Training    []trainingNeedDTO `json:"training"`   // households needing training, by skill (none listed: no household of the area)
	Therapeutic supportCountDTO   `json:"therapeutic_support"`
	Equipment   supportCountDTO   `json:"equipment"` // equipment or adaptations to the home
}

// supportNeedsDTO is the commissioner's view of support for carers: the area's sums, and its
// regions' and councils'. Aggregates only.
type supportNeedsDTO struct {
	Area          areaDTO         `json:"area"`
	Total         supportRowDTO   `json:"total"`
	Regions       []supportRowDTO `json:"regions"`  // England's view: each region
	Councils      []supportRowDTO `json:"councils"` // each council of the area
	WithheldBelow int             `json:"withheld_below"`
	Notes         []string        `json:"notes"`
	ComputedAt    time.Time       `json:"computed_at"` // when the sums were worked out; the Age header says how long ago
}

var supportNotes = []string{
	"Support plans in force (open or arranged) of children placed through placematch, made when a match was accepted for the needs the home's carers were not trained for; a plan closes when the child's placement there ends.",
	"Training is counted in households: a household needing trauma-informed training for two children needs it once, and waits while any of it is still to arrange. A region's and England's households are counted once even when children of several councils live in one.",
	"Therapeutic support and equipment are counted in plans, one for each young person.",
	`Counts from 1 to 4 are withheld ("c"), and where one council's (or region's) figure is withheld, the next smallest is too, so that none can be worked out from the total.`,
}

// supportColumn is one published figure of a tally.
type supportColumn struct {
	skill catalogue.Skill // training in this skill; empty for the others
	kind  string          // plans, households, waiting, arranged, therapeutic_waiting, ...
}

func supportColumns(skills []catalogue.Skill) []supportColumn {
	cols := []supportColumn{{kind: "plans"}, {kind: "households"}}
	for _, s := range skills {
		cols = append(cols, supportColumn{skill: s, kind: "waiting"}, supportColumn{skill: s, kind: "arranged"})
	}
	return append(cols, supportColumn{kind: "therapeutic_waiting"}, supportColumn{kind: "therapeutic_arranged"},
		supportColumn{kind: "equipment_waiting"}, supportColumn{kind: "equipment_arranged"})
}

func (col supportColumn) of(t catalogue.SupportTally) int {
	switch col.kind {
	case "plans":
		return t.Plans
	case "households":
		return t.Households
	case "therapeutic_waiting":
		return t.Therapeutic.Waiting
	case "therapeutic_arranged":
		return t.Therapeutic.Arranged
	case "equipment_waiting":
		return t.Equipment.Waiting
	case "equipment_arranged":
		return t.Equipment.Arranged
	}
	for _, sc := range t.Training {
		if sc.Skill == col.skill {
			if col.kind == "waiting" {
				return sc.Waiting
			}
			return sc.Arranged
		}
	}
	return 0
}

// supportTable holds England's, every region's and every council's tally, and which of their
// figures are withheld.
type supportTable struct {
	skills   []catalogue.Skill // the training columns: every skill some household needs
	tally    map[string]catalogue.SupportTally
	withheld map[string]map[supportColumn]bool
}

// newSupportTable protects England's sums: primary suppression of counts from 1 to 4, then, for
// each column, the DfE's rule within each region (its councils against its total) and within
// England (its regions against its total).
func newSupportTable(all catalogue.SupportNeeds) *supportTable {
	t := &supportTable{tally: map[string]catalogue.SupportTally{sufficiency.EnglandCode: all.Total},
		withheld: map[string]map[supportColumn]bool{}}
	for _, sc := range all.Total.Training {
		t.skills = append(t.skills, sc.Skill)
	}
	regions := map[catalogue.RegionCode][]string{}
	for _, r := range all.Regions {
		t.tally[string(r.Region)] = r.SupportTally
	}
	for _, c := range all.Councils {
		t.tally[string(c.Council)] = c.SupportTally
		if co, ok := catalogue.CouncilByCode(c.Council); ok {
			regions[co.RegionCode] = append(regions[co.RegionCode], string(c.Council))
		}
	}
	cols := supportColumns(t.skills)
	for area, tl := range t.tally {
		t.withheld[area] = map[supportColumn]bool{}
		for _, col := range cols {
			if suppressed(col.of(tl)) {
				t.withheld[area][col] = true
			}
		}
	}
	var regionCodes []string
	for _, r := range all.Regions {
		regionCodes = append(regionCodes, string(r.Region))
	}
	for _, col := range cols {
		for _, r := range all.Regions {
			t.protect(col, string(r.Region), regions[r.Region])
		}
		t.protect(col, sufficiency.EnglandCode, regionCodes)
	}
	return t
}

// protect applies the DfE's rule to one total and its parts in one column: when exactly one part
// is withheld and the total is shown, the smallest other part that is not zero is withheld too
// (ties broken by code), or, when there is none, the total.
func (t *supportTable) protect(col supportColumn, total string, parts []string) {
	if t.withheld[total][col] {
		return
	}
	n, next, least := 0, "", 0
	for _, p := range slices.Sorted(slices.Values(parts)) {
		v := col.of(t.tally[p])
		switch {
		case t.withheld[p][col]:
			n++
		case v > 0 && (next == "" || v < least):
			next, least = p, v
		}
	}
	switch {
	case n != 1:
	case next != "":
		t.withheld[next][col] = true
	default:
		t.withheld[total][col] = true
	}
}

func (t *supportTable) figure(area string, col supportColumn) figureDTO {
	if t.withheld[area][col] {
		return fig(sufficiency.WithheldFigure())
	}
	return fig(sufficiency.CountFigure(col.of(t.tally[area])))
}

// row is an area's published sums.
func (t *supportTable) row(a areaDTO) supportRowDTO {
	f := func(kind string) figureDTO { return t.figure(a.Code, supportColumn{kind: kind}) }
	r := supportRowDTO{Area: a, Plans: f("plans"), Households: f("households"), Training: []trainingNeedDTO{},
		Therapeutic: supportCountDTO{Waiting: f("therapeutic_waiting"), Arranged: f("therapeutic_arranged")},
		Equipment:   supportCountDTO{Waiting: f("equipment_waiting"), Arranged: f("equipment_arranged")}}
	for _, s := range t.skills {
		wait, arr := supportColumn{skill: s, kind: "waiting"}, supportColumn{skill: s, kind: "arranged"}
		if w, ar := t.withheld[a.Code], t.tally[a.Code]; !w[wait] && !w[arr] && wait.of(ar) == 0 && arr.of(ar) == 0 {
			continue // no household of the area needs it
		}
		name := catalogue.TrainingName(s) + " training"
		tn := trainingNeedDTO{Skill: string(s), Training: name, Waiting: t.figure(a.Code, wait), Arranged: t.figure(a.Code, arr)}
		tn.Summary = trainingSummary(name, sufficiency.Figure(tn.Waiting), sufficiency.Figure(tn.Arranged))
		r.Training = append(r.Training, tn)
	}
	return r
}

// trainingSummary says a training need in words: "26 households need trauma-informed training;
// it is arranged for 10 more."
func trainingSummary(training string, waiting, arranged sufficiency.Figure) string {
	if waiting.Withheld() && arranged.Withheld() {
		return "The numbers of households needing " + training + " and with it arranged are withheld."
	}
	if waiting.Shown() && waiting.Int() == 0 && arranged.Shown() {
		return fmt.Sprintf("%s is arranged for the %s households that need it.", capitalise(training), thousands(arranged.Int()))
	}
	var out string
	switch {
	case waiting.Withheld():
		out = "The number of households needing " + training + " is withheld"
	case waiting.Int() == 0:
		out = "No household is waiting for " + training
	case waiting.Int() == 1:
		out = "1 household needs " + training
	default:
		out = fmt.Sprintf("%s households need %s", thousands(waiting.Int()), training)
	}
	switch {
	case arranged.Withheld():
		out += "; the number for whom it is arranged is withheld"
	case arranged.Int() > 0:
		out += fmt.Sprintf("; it is arranged for %s more", thousands(arranged.Int()))
	}
	return out + "."
}

// thousands writes n with commas: 1,240.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func councilArea(code catalogue.CouncilCode) areaDTO {
	co, _ := catalogue.CouncilByCode(code)
	return areaDTO{Level: string(sufficiency.LevelCouncil), Code: string(code), Name: co.Name, Region: string(co.RegionCode)}
}

func regionArea(code catalogue.RegionCode) areaDTO {
	for _, r := range catalogue.Regions() {
		if r.Code == code {
			return areaDTO{Level: string(sufficiency.LevelRegion), Code: string(code), Name: r.Name}
		}
	}
	return areaDTO{Level: string(sufficiency.LevelRegion), Code: string(code)}
}

// getSupportNeeds answers GET /v1/support-needs: training needs summed per council and skill,
// therapeutic support and equipment, for England, a region or a council. Aggregates only, counts
// from 1 to 4 withheld. Officers see their own council's; commissioners with a council, theirs
// unless they ask for another area.
func (s *server) getSupportNeeds(c *gin.Context) error {
	sup, err := s.supportStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.SupportNeedsFilter{Council: catalogue.CouncilCode(q.str("council")), Region: catalogue.RegionCode(q.str("region"))}
	if err := q.err(); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	p := principal(c)
	asked := c.Request.URL.Query().Has("council") || c.Request.URL.Query().Has("region")
	switch {
	case p.Role == catalogue.RoleOfficer && ((asked && f.Council != p.Council) || f.Region != ""):
		return catalogue.Errorf(catalogue.KindNotFound, "officers see the support needs of their own council only (%s)", p.Council)
	case !asked && p.Council != "":
		f.Council = p.Council
	}
	// England's sums, protected once, whatever the view: every view withholds the same figures.
	// They come from the cache of aggregates: the last copy, with its age, while a new one is
	// computed.
	cp, err := aggregateFor(c, s, p.Token, supportNeedsKey, s.aggAge, func(ctx context.Context) (*supportTable, error) {
		all, err := sup.SupportNeeds(ctx, catalogue.SupportNeedsFilter{})
		if err != nil {
			return nil, err
		}
		return newSupportTable(all), nil
	})
	if err != nil {
		return err
	}
	t := cp.Value
	out := supportNeedsDTO{Regions: []supportRowDTO{}, Councils: []supportRowDTO{}, WithheldBelow: smallCount + 1, Notes: supportNotes,
		ComputedAt: cp.ComputedAt.UTC()}
	switch {
	case f.Council != "":
		out.Area = councilArea(f.Council)
		out.Total = t.row(out.Area)
		out.Councils = append(out.Councils, out.Total)
	case f.Region != "":
		out.Area = regionArea(f.Region)
		out.Total = t.row(out.Area)
		for _, co := range catalogue.Councils() {
			if co.RegionCode == f.Region {
				out.Councils = append(out.Councils, t.row(councilArea(co.Code)))
			}
		}
	default:
		out.Area = areaDTO{Level: string(sufficiency.LevelEngland), Code: sufficiency.EnglandCode, Name: "England"}
		out.Total = t.row(out.Area)
		for _, r := range catalogue.Regions() {
			out.Regions = append(out.Regions, t.row(regionArea(r.Code)))
		}
		for _, co := range catalogue.Councils() {
			out.Councils = append(out.Councils, t.row(councilArea(co.Code)))
		}
	}
	subject := "support_needs"
	switch {
	case f.Council != "":
		subject += "?council=" + string(f.Council)
	case f.Region != "":
		subject += "?region=" + string(f.Region)
	}
	if err := s.auditRead(c, "read", subject, f.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}
