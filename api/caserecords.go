package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// The care record first (issue 23 item 3) and access by the data subject (item 4): a decided
// offer's record for the child's case file, as JSON for the council's case system and as a
// printable page (workspace_caserecord.go); marking it filed there; the decisions not yet
// filed; and a child's subject access export.

// filers mark a decision record filed: the child's council's officers and managers.
var filers = []catalogue.Role{catalogue.RoleOfficer, catalogue.RoleManager}

func (s *server) caseRecordRoutes() []route {
	page := "text/html"
	return []route{
		{http.MethodGet, "/v1/offers/:id/case-record", caseReaders, s.getCaseRecord, routeDoc{summary: "The offer's decision record for the child's case file (regulation 50: kept until the child's 75th birthday): the options with their reasons, what the child chose and said, the decision, who made it and why, the sign-offs with their law, the review of the move, and whether it is filed. 409 while the offer is open (audited).",
			out: caseRecordDTO{}}},
		{http.MethodPost, "/v1/offers/:id/case-record/filed", filers, s.markFiled, routeDoc{summary: "Record that the decision record was filed in the council's case system, with its reference there, once: filing again changes nothing and answers the first filing, already_filed. Retention deletes no decision record not yet filed. Audited.",
			in: filingRequest{}, out: filingDTO{}}},
		{http.MethodGet, "/v1/case-records/unfiled", caseReaders, s.listUnfiled, routeDoc{summary: "The decision records not yet filed in the case record (officers and managers: their council's), oldest first.",
			out: pageDTO[unfiledDTO]{}, query: params([]param{councilParam, {"child", "integer", "a child's ID"}}, pageParams)}},
		{http.MethodGet, "/v1/children/:id/subject-access", caseworkers, s.subjectAccess, routeDoc{summary: "A subject access request (UK GDPR article 15) for the child: everything placematch holds about them in one export, table by table, with who looked at their record; never a link's token or a hash. Read it before giving it out: the family network names third parties. Audited.",
			out: subjectAccessDTO{}}},
		{http.MethodGet, "/workspace/offers/:id/case-record", caseReaders, s.caseRecordPage, routeDoc{summary: "The offer's decision record as a page to print for the child's case file, with the form to mark it filed (HTML; audited).",
			content: page, query: []param{{"filed", "boolean", "say that it was just marked filed"}}}},
		{http.MethodPost, "/workspace/offers/:id/case-record/filed", filers, s.markFiledPage, routeDoc{summary: "Mark the decision record filed in the case system, with its reference there (HTML form, CSRF token), as POST /v1/offers/{id}/case-record/filed: 303 to the record; a mistake is the page again naming it (400).",
			status: 303, content: page}},
	}
}

type caseHomeDTO struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Area     string `json:"area"`
	Provider string `json:"provider"`
}

type caseOptionDTO struct {
	Rank            int         `json:"rank"`
	Role            string      `json:"role"`
	Home            caseHomeDTO `json:"home"`
	Score           float64     `json:"score"`
	Factors         []factorDTO `json:"factors"`
	WeeklyCost      int         `json:"weekly_cost"`
	HomeKm          float64     `json:"home_km"`
	ChildPrefers    bool        `json:"child_prefers"`
	Withdrawn       bool        `json:"withdrawn"`
	WithdrawnReason string      `json:"withdrawn_reason,omitempty"`
}

type caseDecisionDTO struct {
	Outcome   string    `json:"outcome"` // accepted or declined
	Home      int64     `json:"home,omitempty"`
	Reason    string    `json:"reason"`
	By        int64     `json:"by"`
	ByName    string    `json:"by_name"`
	At        time.Time `json:"at"`
	DepartsBy string    `json:"departs_from,omitempty"` // "the top option", "the child's preference", or both
}

type caseSignOffDTO struct {
	Home      int64     `json:"home"`
	Kind      string    `json:"kind"`
	Citation  string    `json:"citation"`
	Reason    string    `json:"reason"`
	By        int64     `json:"by"`
	ByName    string    `json:"by_name"`
	ByLevel   string    `json:"by_level"`
	At        time.Time `json:"at"`
	Overrides bool      `json:"override"` // the director's override of an inadequate rating
}

type caseReviewDTO struct {
	ID            int64      `json:"id"`
	MovedOn       string     `json:"moved_on"` // YYYY-MM-DD
	Reason        string     `json:"reason"`   // SSDA903 reason the last placement ended
	Outcome       string     `json:"outcome,omitempty"`
	ChildSpokenTo bool       `json:"child_spoken_to"`
	Findings      string     `json:"findings,omitempty"`
	ReviewedBy    int64      `json:"reviewed_by,omitempty"`
	ReviewedName  string     `json:"reviewed_by_name,omitempty"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
}

type filingRequest struct {
	Reference string `json:"reference"`
}

type filingDTO struct {
	Offer     int64     `json:"offer"`
	Reference string    `json:"reference"`
	By        int64     `json:"by"`
	ByName    string    `json:"by_name,omitempty"`
	At        time.Time `json:"at"`
	// AlreadyFiled answers a second filing: the first stands, and nothing changed.
	AlreadyFiled bool `json:"already_filed,omitempty"`
}

// caseRecordDTO is one decision record for the child's case file.
type caseRecordDTO struct {
	Offer          int64           `json:"offer"`
	Child          int64           `json:"child"`
	ChildFirstName string          `json:"child_first_name"`
	CaseRef        string          `json:"case_ref"`
	Council        string          `json:"council"`
	Status         string          `json:"status"`
	Siblings       []int64         `json:"siblings"`
	Options        []caseOptionDTO `json:"options"`
	ChildSay       childSayDTO     `json:"child_say"`
	// SiblingSays: what each brother or sister moving with the child said through their own link.
	SiblingSays     []siblingSayDTO  `json:"sibling_says,omitempty"`
	Decision        *caseDecisionDTO `json:"decision,omitempty"`
	WithdrawnReason string           `json:"withdrawn_reason,omitempty"`
	OneChoiceReason string           `json:"one_choice_reason,omitempty"`
	SignOffs        []caseSignOffDTO `json:"sign_offs"`
	Reviews         []caseReviewDTO  `json:"reviews"`
	CreatedAt       time.Time        `json:"created_at"`
	SentAt          *time.Time       `json:"sent_at,omitempty"`
	PlacedAt        *time.Time       `json:"placed_at,omitempty"`
	// KeepUntil is the day the case record may be destroyed: the child's 75th birthday.
	KeepUntil  string     `json:"keep_until"`
	Regulation string     `json:"regulation"`
	Filing     *filingDTO `json:"filing,omitempty"`
}

// unfiledDTO is a decision record not yet filed: IDs and dates, never a name.
type unfiledDTO struct {
	Offer     int64     `json:"offer"`
	Child     int64     `json:"child"`
	Council   string    `json:"council"`
	Status    string    `json:"status"`
	DecidedAt time.Time `json:"decided_at"`
}

type subjectTableDTO struct {
	Table string           `json:"table"`
	Why   string           `json:"why"`
	Rows  []map[string]any `json:"rows"`
}

// subjectAccessDTO is a subject access export.
type subjectAccessDTO struct {
	Subject string            `json:"subject"`
	At      time.Time         `json:"at"`
	Tables  []subjectTableDTO `json:"tables"`
}

func fromFiling(f catalogue.Filing, names map[catalogue.TokenID]string) filingDTO {
	return filingDTO{Offer: int64(f.Offer), Reference: f.Reference, By: int64(f.By), ByName: names[f.By], At: f.At}
}

// fromCaseRecord is a decision record for the case file.
func fromCaseRecord(r casework.CaseRecord) caseRecordDTO {
	o := r.Offer
	d := caseRecordDTO{Offer: int64(o.ID), Child: int64(o.Child), ChildFirstName: r.Child.FirstName, CaseRef: r.Child.CaseRef,
		Council: string(o.Council), Status: string(o.Status), Siblings: ids(o.Siblings), Options: []caseOptionDTO{},
		ChildSay: fromSay(o.Say), WithdrawnReason: o.WithdrawnReason, OneChoiceReason: o.OneChoiceReason,
		SignOffs: []caseSignOffDTO{}, Reviews: []caseReviewDTO{}, CreatedAt: o.CreatedAt, SentAt: timePtr(o.SentAt),
		PlacedAt: timePtr(o.PlacedAt), Regulation: catalogue.CaseRecordRegulation}
	if d.Siblings == nil {
		d.Siblings = []int64{}
	}
	for _, id := range o.Siblings {
		d.SiblingSays = append(d.SiblingSays, siblingSayDTO{Child: int64(id), Say: fromSay(o.SiblingSays[id])})
	}
	if !r.Child.DateOfBirth.IsZero() {
		d.KeepUntil = r.Child.DateOfBirth.AddDate(75, 0, 0).Format(time.DateOnly)
	}
	for _, op := range o.Options {
		h := r.Homes[op.Placement]
		od := caseOptionDTO{Rank: op.Rank, Role: string(op.Role), Score: op.Score, Factors: []factorDTO{}, WeeklyCost: op.WeeklyCost,
			HomeKm: op.HomeKm, ChildPrefers: o.Say.Preference == op.Placement && op.Placement != 0,
			Withdrawn: op.Withdrawn, WithdrawnReason: op.WithdrawnReason,
			Home: caseHomeDTO{ID: int64(op.Placement), Name: h.Name, Kind: string(h.Kind), Area: h.AreaName, Provider: r.Providers[h.Provider].Name}}
		for _, f := range op.Factors {
			od.Factors = append(od.Factors, factorDTO{Factor: string(f.Factor), Weight: f.Weight, Score: f.Score, Reason: f.Reason})
		}
		d.Options = append(d.Options, od)
	}
	if dec := o.Decision; dec != nil {
		cd := &caseDecisionDTO{Outcome: "declined", Home: int64(dec.Placement), Reason: dec.Reason, By: int64(dec.By), ByName: r.Names[dec.By], At: dec.At}
		if dec.Accepted {
			cd.Outcome = "accepted"
			top := o.Options[0].Placement
			switch departsTop, departsChild := dec.Placement != top, o.Say.Preference != 0 && dec.Placement != o.Say.Preference; {
			case departsTop && departsChild:
				cd.DepartsBy = "the top option and the child's preference"
			case departsTop:
				cd.DepartsBy = "the top option"
			case departsChild:
				cd.DepartsBy = "the child's preference"
			}
		}
		d.Decision = cd
	}
	for _, so := range r.SignOffs {
		d.SignOffs = append(d.SignOffs, caseSignOffDTO{Home: int64(so.Placement), Kind: string(so.Kind), Citation: so.Kind.Citation(),
			Reason: so.Reason, By: int64(so.By), ByName: r.Names[so.By], ByLevel: string(so.ByLevel), At: so.At, Overrides: so.Override != 0})
	}
	for _, rv := range r.Reviews {
		d.Reviews = append(d.Reviews, caseReviewDTO{ID: int64(rv.ID), MovedOn: rv.MovedOn.Format(time.DateOnly), Reason: string(rv.Reason),
			Outcome: string(rv.Outcome), ChildSpokenTo: rv.ChildSpokenTo, Findings: rv.Findings, ReviewedBy: int64(rv.ReviewedBy),
			ReviewedName: r.Names[rv.ReviewedBy], ReviewedAt: timePtr(rv.ReviewedAt)})
	}
	if r.Filing != nil {
		f := fromFiling(*r.Filing, r.Names)
		d.Filing = &f
	}
	return d
}

// readCaseRecord reads an offer's decision record in the caller's scope and audits the read
// of the child's record: GET /v1/offers/{id}/case-record's and the workspace's.
func (s *server) readCaseRecord(c *gin.Context, id catalogue.OfferID) (casework.CaseRecord, error) {
	r, err := s.work.CaseRecord(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return casework.CaseRecord{}, err
	}
	return r, s.auditRead(c, "case record", "child:"+r.Offer.Child.String(), r.Offer.Council)
}

// getCaseRecord answers GET /v1/offers/{id}/case-record.
func (s *server) getCaseRecord(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	r, err := s.readCaseRecord(c, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromCaseRecord(r))
	return nil
}

// markFiled answers POST /v1/offers/{id}/case-record/filed.
func (s *server) markFiled(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	var body filingRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	f, filed, err := s.work.MarkFiled(c.Request.Context(), principal(c).Scope(), id, body.Reference)
	if err != nil {
		return err
	}
	d := fromFiling(f, nil)
	d.AlreadyFiled = !filed
	c.JSON(http.StatusOK, d)
	return nil
}

// listUnfiled answers GET /v1/case-records/unfiled.
func (s *server) listUnfiled(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.UnfiledFilter{
		Council: enum(q, "council", catalogue.CouncilCode.Valid),
		Child:   catalogue.ChildID(q.int("child", 1, 1<<62)),
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.OfferID(after)
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.work.UnfiledDecisions(c.Request.Context(), principal(c).Scope(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, func(o catalogue.Offer) unfiledDTO {
		d := unfiledDTO{Offer: int64(o.ID), Child: int64(o.Child), Council: string(o.Council), Status: string(o.Status), DecidedAt: o.UpdatedAt}
		if o.Decision != nil {
			d.DecidedAt = o.Decision.At
		}
		return d
	}))
	return nil
}

// subjectAccess answers GET /v1/children/{id}/subject-access.
func (s *server) subjectAccess(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	exp, err := s.work.SubjectAccess(c.Request.Context(), principal(c).Scope(), catalogue.Subject{Child: catalogue.ChildID(id)})
	if err != nil {
		return err
	}
	d := subjectAccessDTO{Subject: exp.Subject, At: exp.At, Tables: make([]subjectTableDTO, len(exp.Tables))}
	for i, t := range exp.Tables {
		d.Tables[i] = subjectTableDTO{Table: t.Table, Why: t.Why, Rows: t.Rows}
	}
	c.JSON(http.StatusOK, d)
	return nil
}
